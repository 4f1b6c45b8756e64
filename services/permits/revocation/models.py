"""Tables of revocation (R-SUPERVISE): the replica of the contract breaches review announced."""

import sqlalchemy as sa

from services.permits.metadata import metadata


breaches = sa.Table(
    "breaches",
    metadata,
    sa.Column("breach_id", sa.Uuid, primary_key=True),
    sa.Column("application_id", sa.Uuid, nullable=False),
    sa.Column("expert_id", sa.Uuid, nullable=False),
    # None until the ContractBreached itself arrives (its withdrawal may come first).
    sa.Column("attributable_to", sa.String(20)),
    sa.Column("breach_date", sa.Date),
    sa.Column("withdrawn", sa.Boolean, nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_breaches_application", "application_id"),
)
"""Breaches as permits heard of them, so one arriving before its approval still applies."""
