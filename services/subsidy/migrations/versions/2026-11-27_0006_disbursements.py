"""Disbursements to municipal finance and the daily reconciliations against its statement.

Revision ID: subsidy_0006
Revises: subsidy_0005
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "subsidy_0006"
down_revision = "subsidy_0005"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
MONEY = sa.Numeric(14, 2).with_variant(sa.String(20), "sqlite")


def upgrade() -> None:
    op.create_table(
        "disbursements",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("entitlement_id", sa.Uuid, sa.ForeignKey("entitlements.id"), nullable=False),
        sa.Column("expert_id", sa.Uuid, nullable=False),
        sa.Column("track", sa.String(30), nullable=False),
        sa.Column("district", sa.String(30), nullable=False),
        sa.Column("funding_year", sa.Integer, nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("run_id", sa.Uuid),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("cancel_requested", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("leased_until", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.Text),
        sa.Column("finance_payment_id", sa.String(100)),
        sa.Column("booked_on", sa.Date),
        sa.Column("final_at", sa.DateTime(timezone=True)),
        sa.Column("failure_reason", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("run_id", "entitlement_id", name="uq_disbursements_run_entitlement"),
        sa.CheckConstraint("status IN ('pending', 'accepted', 'settled', 'failed', 'cancelled')",
                           name="ck_disbursements_status"),
    )
    op.create_index("ix_disbursements_due", "disbursements", ["status", "next_attempt_at"])
    op.create_index("ix_disbursements_entitlement_year", "disbursements", ["entitlement_id", "funding_year"])
    op.create_index("ix_disbursements_booked_on", "disbursements", ["booked_on"])
    op.create_table(
        "reconciliations",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ran_by", sa.String(200)),
        sa.Column("ours", sa.Integer, nullable=False),
        sa.Column("theirs", sa.Integer, nullable=False),
        sa.Column("differences", JSON, nullable=False),
    )
    op.create_index("ix_reconciliations_day", "reconciliations", ["day"])


def downgrade() -> None:
    op.drop_table("reconciliations")
    op.drop_table("disbursements")
