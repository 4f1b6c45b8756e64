"""Annual claims, assessed and frozen, and the performance evaluations Art. 12 needs.

Revision ID: subsidy_0005
Revises: subsidy_0004
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "subsidy_0005"
down_revision = "subsidy_0004"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
MONEY = sa.Numeric(14, 2).with_variant(sa.String(20), "sqlite")


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("entitlement_id", sa.Uuid, sa.ForeignKey("entitlements.id"), nullable=False),
        sa.Column("expert_id", sa.Uuid, nullable=False),
        sa.Column("track", sa.String(30), nullable=False),
        sa.Column("funding_year", sa.Integer, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("evidence_reference", sa.String(500), nullable=False),
        sa.Column("inputs", JSON, nullable=False),
        sa.Column("policy_version", sa.String(50), sa.ForeignKey("policy_versions.id"), nullable=False),
        sa.Column("items", JSON, nullable=False),
        sa.Column("total", MONEY, nullable=False),
        sa.Column("submitted_by", sa.String(200), nullable=False),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_claims_entitlement_id", "claims", ["entitlement_id"])
    op.create_table(
        "performance_evaluations",
        sa.Column("entitlement_id", sa.Uuid, sa.ForeignKey("entitlements.id"), primary_key=True),
        sa.Column("funding_year", sa.Integer, primary_key=True),
        sa.Column("grade", sa.String(20), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("performance_evaluations")
    op.drop_index("ix_claims_entitlement_id", table_name="claims")
    op.drop_table("claims")
