"""Tables of the directory service."""

import sqlalchemy as sa

from shared.tables import plumbing_tables

metadata = sa.MetaData()
plumbing = plumbing_tables(metadata)

employers = sa.Table(
    "employers",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("credit_code", sa.String(18), nullable=False, unique=True),
    sa.Column("district", sa.String(30), nullable=False),
    sa.Column("competent_department", sa.String(200)),
    sa.Column("municipal_state_owned", sa.Boolean, nullable=False),
    sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("registered_by", sa.String(200), nullable=False),
)

# The expert database, job board and services live in their own module on the same metadata.
from services.directory import platform_tables  # noqa: E402,F401
