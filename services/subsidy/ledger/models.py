"""The ledger (R-SUB-*): append-only money rows of every grant, disbursement, recovery and repayment.

Every amount column is the platform's one money column type, MoneyColumn (NUMERIC(14, 2); exact text on SQLite)."""

import sqlalchemy as sa

from services.subsidy.metadata import BIGINT, metadata
from shared.money import MoneyColumn

ledger_entries = sa.Table(
    "ledger_entries",
    metadata,
    # Append-only in the database itself (migration subsidy_0004): money rows are never updated.
    sa.Column("id", BIGINT, primary_key=True, autoincrement=True),
    sa.Column("entitlement_id", sa.Uuid, nullable=False),
    sa.Column("expert_id", sa.Uuid, nullable=False),
    sa.Column("track", sa.String(30), nullable=False),
    sa.Column("funding_year", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("item_code", sa.String(40)),
    sa.Column("amount", MoneyColumn, nullable=False),
    sa.Column("corrects", BIGINT, sa.ForeignKey("ledger_entries.id")),
    sa.Column("reference", sa.String(200), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("recorded_by", sa.String(200)),
    # 'repayment' (migration subsidy_0010): money the expert paid back on a recovery (R-SUPERVISE).
    sa.CheckConstraint("kind IN ('grant', 'disbursement', 'recovery', 'repayment')", name="ck_ledger_entries_kind"),
)
