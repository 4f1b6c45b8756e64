"""Revocation (R-SUPERVISE): breaches, recoveries, entitlements revoked; evaluations reported by review.

Revision ID: subsidy_0007
Revises: subsidy_0006
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "subsidy_0007"
down_revision = "subsidy_0006"
branch_labels = None
depends_on = None

BIGINT = sa.BigInteger().with_variant(sa.Integer, "sqlite")
MONEY = sa.Numeric(14, 2).with_variant(sa.String(20), "sqlite")


def upgrade() -> None:
    op.create_table(
        "breaches",
        sa.Column("breach_id", sa.Uuid, primary_key=True),
        sa.Column("expert_id", sa.Uuid, nullable=False),
        sa.Column("application_id", sa.Uuid, nullable=False),
        sa.Column("breach_date", sa.Date),
        sa.Column("attributable_to", sa.String(20)),
        sa.Column("facts", sa.Text),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
        sa.Column("withdrawal_reason", sa.Text),
    )
    op.create_index("ix_breaches_application_id", "breaches", ["application_id"])
    op.create_table(
        "recoveries",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("breach_id", sa.Uuid, nullable=False),
        sa.Column("entitlement_id", sa.Uuid, sa.ForeignKey("entitlements.id"), nullable=False),
        sa.Column("expert_id", sa.Uuid, nullable=False),
        sa.Column("funding_year", sa.Integer, nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("ledger_entry_id", BIGINT, nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_recoveries_breach_id", "recoveries", ["breach_id"])
    op.create_table(
        "reported_evaluations",
        sa.Column("application_id", sa.Uuid, primary_key=True),
        sa.Column("funding_year", sa.Integer, primary_key=True),
        sa.Column("evaluation_id", sa.Uuid, nullable=False),
        sa.Column("grade", sa.String(20), nullable=False),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("evaluated_by", sa.String(200), nullable=False),
    )
    with op.batch_alter_table("entitlements") as batch:
        batch.add_column(sa.Column("revoked_by_breach", sa.Uuid))
        batch.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True)))
    with op.batch_alter_table("performance_evaluations") as batch:
        batch.add_column(sa.Column("source", sa.String(20), nullable=False, server_default="officer"))


def downgrade() -> None:
    with op.batch_alter_table("performance_evaluations") as batch:
        batch.drop_column("source")
    with op.batch_alter_table("entitlements") as batch:
        batch.drop_column("revoked_at")
        batch.drop_column("revoked_by_breach")
    op.drop_table("reported_evaluations")
    op.drop_table("recoveries")
    op.drop_table("breaches")
