"""Tables of the subsidy service."""

import sqlalchemy as sa

from shared.tables import plumbing_tables

metadata = sa.MetaData()
plumbing = plumbing_tables(metadata)
