"""The directory's one ``MetaData``: each sub-domain declares its tables on it in its ``models.py``.

A module of its own, so that the service's ``models.py`` can import every sub-domain's tables by name (the names
Alembic's env.py and the tests use) while those modules declare them on this metadata, with no import cycle."""

import sqlalchemy as sa

metadata = sa.MetaData()
