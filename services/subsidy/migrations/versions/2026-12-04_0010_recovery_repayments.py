"""Recoveries a person can see and settle: repayments recorded against a recovery.

Each repayment is one row here and one ``repayment`` row in the append-only ledger (R-SUPERVISE); the
ledger's kind check admits the new kind. SQLite cannot alter a CHECK constraint in place, so there the
ledger is rebuilt (rows, index and append-only triggers kept).

Revision ID: subsidy_0010
Revises: subsidy_0009
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

from shared.migration_ops import forbid_update_and_delete

revision = "subsidy_0010"
down_revision = "subsidy_0009"
branch_labels = None
depends_on = None

BIGINT = sa.BigInteger().with_variant(sa.Integer, "sqlite")
MONEY = sa.Numeric(14, 2).with_variant(sa.String(20), "sqlite")
KINDS_BEFORE = "kind IN ('grant', 'disbursement', 'recovery')"
KINDS_AFTER = "kind IN ('grant', 'disbursement', 'recovery', 'repayment')"


def _ledger_kinds(check: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE ledger_entries DROP CONSTRAINT ck_ledger_entries_kind")
        op.execute(f"ALTER TABLE ledger_entries ADD CONSTRAINT ck_ledger_entries_kind CHECK ({check})")
        return
    for verb in ("update", "delete"):  # dropped with the old table anyway; recreated on the new one
        op.execute(f"DROP TRIGGER IF EXISTS ledger_entries_no_{verb}")
    ledger = sa.Table(
        "ledger_entries", sa.MetaData(),
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
        sa.CheckConstraint(check, name="ck_ledger_entries_kind"),
        sa.Index("ix_ledger_entries_expert_year", "expert_id", "funding_year"),
    )
    with op.batch_alter_table("ledger_entries", recreate="always", copy_from=ledger):
        pass
    forbid_update_and_delete("ledger_entries")


def upgrade() -> None:
    op.create_table(
        "recovery_repayments",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("recovery_id", sa.Uuid, sa.ForeignKey("recoveries.id"), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("received_on", sa.Date, nullable=False),
        sa.Column("reference", sa.String(200), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("ledger_entry_id", BIGINT, nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_recovery_repayments_recovery_id", "recovery_repayments", ["recovery_id"])
    op.create_index("ix_recovery_repayments_received_on", "recovery_repayments", ["received_on"])
    op.create_index("ix_recoveries_expert_id", "recoveries", ["expert_id"])
    _ledger_kinds(KINDS_AFTER)


def downgrade() -> None:
    # Repayment rows cannot stay under the old check: refuse rather than lose money rows.
    if op.get_bind().execute(sa.text("SELECT count(*) FROM ledger_entries WHERE kind = 'repayment'")).scalar():
        raise RuntimeError("the ledger holds repayments; subsidy_0010 cannot be undone without losing them")
    _ledger_kinds(KINDS_BEFORE)
    op.drop_index("ix_recoveries_expert_id", table_name="recoveries")
    op.drop_index("ix_recovery_repayments_received_on", table_name="recovery_repayments")
    op.drop_index("ix_recovery_repayments_recovery_id", table_name="recovery_repayments")
    op.drop_table("recovery_repayments")
