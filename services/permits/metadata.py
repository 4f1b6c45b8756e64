"""The permits service's one metadata, on which every sub-domain declares its tables.

Each sub-domain declares its own tables in its ``models.py`` (the green-channel case, which several read, in
``cases/``; its permit applications in ``applications/``); ``services.permits.models`` imports them all for
Alembic. The metadata lives here, in a module that imports nothing of the service, so
that a sub-domain's tables and the service's ``models.py`` can be imported in any order."""

import sqlalchemy as sa

metadata = sa.MetaData()
