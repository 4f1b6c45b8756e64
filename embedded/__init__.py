"""The embedded default: all five services in one process, SQLite files, the in-process bus."""
