"""The subsidy service's one metadata, and the column types its tables share (JSON, BIGINT).

Each sub-domain declares its own tables on this metadata in its ``models.py`` (a table several sub-domains
read, such as the entitlements, the ledger or the disbursements, in the sub-domain that writes it);
``services.subsidy.models`` imports them all for Alembic. The metadata lives here, in a module that imports nothing of the service, so
that a sub-domain's tables and the service's ``models.py`` can be imported in any order."""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

metadata = sa.MetaData()

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIGINT = sa.BigInteger().with_variant(sa.Integer, "sqlite")
"""The ledger's ids (BIGINT; INTEGER on SQLite, whose autoincrement needs it)."""
