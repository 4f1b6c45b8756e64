"""The subsidy service's one metadata, and the tables several sub-domains share: the entitlements, the ledger
and the disbursements (claims, disbursements, the annual run, revocation and the statistics all read or write
them).

Each sub-domain declares its own tables on this metadata in its ``models.py``; ``services.subsidy.models``
imports them all for Alembic. The metadata lives here, in a module that imports nothing of the service, so
that a sub-domain's tables and the service's ``models.py`` can be imported in any order."""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from shared.money import MoneyColumn

metadata = sa.MetaData()

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIGINT = sa.BigInteger().with_variant(sa.Integer, "sqlite")
"""The ledger's ids (BIGINT; INTEGER on SQLite, whose autoincrement needs it)."""
# Every amount column is the platform's one money column type, MoneyColumn (NUMERIC(14, 2); exact text on SQLite).

entitlements = sa.Table(
    "entitlements",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    # One entitlement per approved application, whatever the number of deliveries or re-announcements.
    sa.Column("application_id", sa.Uuid, nullable=False, unique=True),
    sa.Column("decision_id", sa.Uuid, nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expert_id", sa.Uuid, nullable=False, index=True),
    sa.Column("expert_name", sa.String(200), nullable=False),
    sa.Column("employer_id", sa.Uuid, nullable=False),
    sa.Column("employer_name", sa.String(200), nullable=False),
    sa.Column("employer_district", sa.String(30), nullable=False),
    sa.Column("track", sa.String(30), nullable=False),
    sa.Column("contract_start", sa.Date, nullable=False),
    sa.Column("contract_end", sa.Date, nullable=False),
    sa.Column("annual_salary", MoneyColumn, nullable=False),
    # R-CAP-EXCEPTION: the committee's approved cap in place of 200,000, with reason and approver.
    sa.Column("cap_exception_amount", MoneyColumn),
    sa.Column("cap_exception_reason", sa.Text),
    sa.Column("cap_exception_approved_by", sa.String(200)),
    sa.Column("funding_plan", JSON, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("source_event_id", sa.String(36), nullable=False),
    # R-SUPERVISE: the breach that revoked it (status 'revoked'), until a withdrawal reopens it.
    sa.Column("revoked_by_breach", sa.Uuid),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
)


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


disbursements = sa.Table(
    "disbursements",
    metadata,
    # One payment instruction to municipal finance. Its id is our reference there and the source
    # of its Idempotency-Key, so every retry of it is the same payment.
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("entitlement_id", sa.Uuid, sa.ForeignKey("entitlements.id"), nullable=False),
    sa.Column("expert_id", sa.Uuid, nullable=False),
    sa.Column("track", sa.String(30), nullable=False),
    sa.Column("district", sa.String(30), nullable=False),
    sa.Column("funding_year", sa.Integer, nullable=False),
    sa.Column("amount", MoneyColumn, nullable=False),
    sa.Column("run_id", sa.Uuid),
    # pending (recorded, finance has not confirmed) -> accepted -> settled | failed; or cancelled.
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("cancel_requested", sa.Boolean, nullable=False, default=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("leased_until", sa.DateTime(timezone=True)),
    sa.Column("last_error", sa.Text),
    sa.Column("finance_payment_id", sa.String(100)),
    sa.Column("booked_on", sa.Date),
    sa.Column("final_at", sa.DateTime(timezone=True)),
    sa.Column("failure_reason", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    # An annual run issues at most one disbursement per entitlement, however often it is resumed.
    sa.UniqueConstraint("run_id", "entitlement_id", name="uq_disbursements_run_entitlement"),
)
