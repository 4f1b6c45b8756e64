"""Entitlements, one per approved application (ApplicationApproved).

Revision ID: subsidy_0003
Revises: subsidy_0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "subsidy_0003"
down_revision = "subsidy_0002"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
MONEY = sa.Numeric(14, 2).with_variant(sa.String(20), "sqlite")


def upgrade() -> None:
    op.create_table(
        "entitlements",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("application_id", sa.Uuid, nullable=False, unique=True),
        sa.Column("decision_id", sa.Uuid, nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expert_id", sa.Uuid, nullable=False),
        sa.Column("expert_name", sa.String(200), nullable=False),
        sa.Column("employer_id", sa.Uuid, nullable=False),
        sa.Column("employer_name", sa.String(200), nullable=False),
        sa.Column("employer_district", sa.String(30), nullable=False),
        sa.Column("track", sa.String(30), nullable=False),
        sa.Column("contract_start", sa.Date, nullable=False),
        sa.Column("contract_end", sa.Date, nullable=False),
        sa.Column("annual_salary", MONEY, nullable=False),
        sa.Column("cap_exception_amount", MONEY),
        sa.Column("cap_exception_reason", sa.Text),
        sa.Column("cap_exception_approved_by", sa.String(200)),
        sa.Column("funding_plan", JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source_event_id", sa.String(36), nullable=False),
    )
    op.create_index("ix_entitlements_expert_id", "entitlements", ["expert_id"])


def downgrade() -> None:
    op.drop_index("ix_entitlements_expert_id", table_name="entitlements")
    op.drop_table("entitlements")
