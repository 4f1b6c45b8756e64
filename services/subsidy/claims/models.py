"""Tables of the annual claims: each as assessed, frozen."""

import sqlalchemy as sa

from services.subsidy.metadata import JSON, metadata
from shared.money import MoneyColumn

claims = sa.Table(
    "claims",
    metadata,
    # An assessed annual claim: inputs, policy version and explained items frozen as assessed.
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("entitlement_id", sa.Uuid, sa.ForeignKey("entitlements.id"), nullable=False, index=True),
    sa.Column("expert_id", sa.Uuid, nullable=False),
    sa.Column("track", sa.String(30), nullable=False),
    sa.Column("funding_year", sa.Integer, nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
    sa.Column("evidence_reference", sa.String(500), nullable=False),
    sa.Column("inputs", JSON, nullable=False),
    sa.Column("policy_version", sa.String(50), sa.ForeignKey("policy_versions.id"), nullable=False),
    sa.Column("items", JSON, nullable=False),
    sa.Column("total", MoneyColumn, nullable=False),
    sa.Column("submitted_by", sa.String(200), nullable=False),
    sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
)
