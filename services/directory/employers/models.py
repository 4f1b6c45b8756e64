"""The employer registry's table, on the directory's metadata (migration directory_0001)."""

import sqlalchemy as sa

from services.directory.metadata import metadata

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
sa.Index("ix_employers_registered", employers.c.registered_at, employers.c.id)
