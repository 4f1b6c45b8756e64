"""The one SQLAlchemy metadata of the intake service, on which every sub-domain declares its tables.

A module of its own, below the sub-domains' models: ``models.py`` imports every table for Alembic, and a
sub-domain's tables would import ``models.py`` back if the metadata lived there."""

import sqlalchemy as sa

metadata = sa.MetaData()
