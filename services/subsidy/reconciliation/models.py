"""Tables of the reconciliation with municipal finance: each run and the differences it found."""

import sqlalchemy as sa

from services.subsidy.metadata import JSON, metadata

reconciliations = sa.Table(
    "reconciliations",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("day", sa.Date, nullable=False, index=True),
    sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ran_by", sa.String(200)),
    sa.Column("ours", sa.Integer, nullable=False),
    sa.Column("theirs", sa.Integer, nullable=False),
    sa.Column("differences", JSON, nullable=False),
)
