-- Run once by the postgres image on an empty data directory (docker-entrypoint-initdb.d),
-- as POSTGRES_USER (platform), who therefore owns them: one database per service.
CREATE DATABASE intake;
CREATE DATABASE review;
CREATE DATABASE subsidy;
CREATE DATABASE permits;
CREATE DATABASE directory;
