"""The ledger: grants, disbursements and recoveries, append-only (a correction is a new row).

Revision ID: subsidy_0004
Revises: subsidy_0003
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

from shared.migration_ops import forbid_update_and_delete

revision = "subsidy_0004"
down_revision = "subsidy_0003"
branch_labels = None
depends_on = None

BIGINT = sa.BigInteger().with_variant(sa.Integer, "sqlite")
MONEY = sa.Numeric(14, 2).with_variant(sa.String(20), "sqlite")


def upgrade() -> None:
    op.create_table(
        "ledger_entries",
        sa.Column("id", BIGINT, primary_key=True, autoincrement=True),
        sa.Column("entitlement_id", sa.Uuid, nullable=False),
        sa.Column("expert_id", sa.Uuid, nullable=False),
        sa.Column("track", sa.String(30), nullable=False),
        sa.Column("funding_year", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("item_code", sa.String(40)),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("corrects", BIGINT, sa.ForeignKey("ledger_entries.id")),
        sa.Column("reference", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(200)),
        sa.CheckConstraint("kind IN ('grant', 'disbursement', 'recovery')", name="ck_ledger_entries_kind"),
    )
    op.create_index("ix_ledger_entries_expert_year", "ledger_entries", ["expert_id", "funding_year"])
    forbid_update_and_delete("ledger_entries")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ledger_entries_append_only ON ledger_entries")
    op.drop_index("ix_ledger_entries_expert_year", table_name="ledger_entries")
    op.drop_table("ledger_entries")
