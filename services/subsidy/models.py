"""Tables of the subsidy service."""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from shared.money import MoneyColumn
from shared.tables import plumbing_tables

metadata = sa.MetaData()
plumbing = plumbing_tables(metadata)

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
Money = MoneyColumn
"""Every amount column: the platform's one money column type (NUMERIC(14, 2); exact text on SQLite)."""

policy_versions = sa.Table(
    "policy_versions",
    metadata,
    sa.Column("id", sa.String(50), primary_key=True),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("effective_from", sa.Date, nullable=False, unique=True),
    # Exclusive: the version applies to periods ending on effective_from .. effective_to - 1 day.
    sa.Column("effective_to", sa.Date),
    # Rates, caps, thresholds, grades, reduction order, funding year: see domain.PolicyParameters.
    sa.Column("parameters", JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("effective_to IS NULL OR effective_to > effective_from", name="ck_policy_versions_period"),
)

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
    sa.Column("annual_salary", Money, nullable=False),
    # R-CAP-EXCEPTION: the committee's approved cap in place of 200,000, with reason and approver.
    sa.Column("cap_exception_amount", Money),
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

_BIGINT = sa.BigInteger().with_variant(sa.Integer, "sqlite")

ledger_entries = sa.Table(
    "ledger_entries",
    metadata,
    # Append-only in the database itself (migration subsidy_0004): money rows are never updated.
    sa.Column("id", _BIGINT, primary_key=True, autoincrement=True),
    sa.Column("entitlement_id", sa.Uuid, nullable=False),
    sa.Column("expert_id", sa.Uuid, nullable=False),
    sa.Column("track", sa.String(30), nullable=False),
    sa.Column("funding_year", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("item_code", sa.String(40)),
    sa.Column("amount", Money, nullable=False),
    sa.Column("corrects", _BIGINT, sa.ForeignKey("ledger_entries.id")),
    sa.Column("reference", sa.String(200), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("recorded_by", sa.String(200)),
    # 'repayment' (migration subsidy_0010): money the expert paid back on a recovery (R-SUPERVISE).
    sa.CheckConstraint("kind IN ('grant', 'disbursement', 'recovery', 'repayment')", name="ck_ledger_entries_kind"),
)

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
    sa.Column("total", Money, nullable=False),
    sa.Column("submitted_by", sa.String(200), nullable=False),
    sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
)

performance_evaluations = sa.Table(
    "performance_evaluations",
    metadata,
    # R-SUB-RECURRING: the grade of one work year (绩效考评), recorded by an officer until
    # PerformanceEvaluated arrives from review.
    sa.Column("entitlement_id", sa.Uuid, sa.ForeignKey("entitlements.id"), primary_key=True),
    sa.Column("funding_year", sa.Integer, primary_key=True),
    sa.Column("grade", sa.String(20), nullable=False),
    sa.Column("recorded_by", sa.String(200), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    # 'officer' (the endpoint) or 'review' (PerformanceEvaluated, which prevails).
    sa.Column("source", sa.String(20), nullable=False, default="officer"),
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
    sa.Column("amount", Money, nullable=False),
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

reconciliations = sa.Table(
    "reconciliations",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("day", sa.Date, nullable=False, index=True),
    sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ran_by", sa.String(200)),
    sa.Column("ours", sa.Integer, nullable=False),
    sa.Column("theirs", sa.Integer, nullable=False),
    sa.Column("differences", JSON, nullable=False),
)

breaches = sa.Table(
    "breaches",
    metadata,
    # R-SUPERVISE: every ContractBreached, and ContractBreachWithdrawn even when it arrives first
    # (then attributable_to is unknown until the breach itself arrives, and nothing is revoked).
    sa.Column("breach_id", sa.Uuid, primary_key=True),
    sa.Column("expert_id", sa.Uuid, nullable=False),
    sa.Column("application_id", sa.Uuid, nullable=False, index=True),
    sa.Column("breach_date", sa.Date),
    sa.Column("attributable_to", sa.String(20)),
    sa.Column("facts", sa.Text),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
    sa.Column("withdrawal_reason", sa.Text),
)

recoveries = sa.Table(
    "recoveries",
    metadata,
    # Money paid for periods after an expert-attributable breach, owed back (a 'recovery' ledger row).
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("breach_id", sa.Uuid, nullable=False, index=True),
    sa.Column("entitlement_id", sa.Uuid, sa.ForeignKey("entitlements.id"), nullable=False),
    sa.Column("expert_id", sa.Uuid, nullable=False, index=True),
    sa.Column("funding_year", sa.Integer, nullable=False),
    sa.Column("amount", Money, nullable=False),
    sa.Column("explanation", sa.Text, nullable=False),
    # open -> repaid (outstanding 0, by repayments) | cancelled (the breach withdrawn on appeal)
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("ledger_entry_id", _BIGINT, nullable=False),
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
)

recovery_repayments = sa.Table(
    "recovery_repayments",
    metadata,
    # Money the expert paid back on a recovery, as a bureau officer recorded its receipt (R-SUPERVISE);
    # each is also a 'repayment' ledger row referencing the recovery, so the ledger alone gives the balance.
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("recovery_id", sa.Uuid, sa.ForeignKey("recoveries.id"), nullable=False, index=True),
    sa.Column("amount", Money, nullable=False),
    sa.Column("received_on", sa.Date, nullable=False, index=True),
    sa.Column("reference", sa.String(200), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("ledger_entry_id", _BIGINT, nullable=False),
    sa.Column("recorded_by", sa.String(200), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
)

reported_evaluations = sa.Table(
    "reported_evaluations",
    metadata,
    # PerformanceEvaluated as review announced it, by application: it may arrive before the approval.
    sa.Column("application_id", sa.Uuid, primary_key=True),
    sa.Column("funding_year", sa.Integer, primary_key=True),
    sa.Column("evaluation_id", sa.Uuid, nullable=False),
    sa.Column("grade", sa.String(20), nullable=False),
    sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("evaluated_by", sa.String(200), nullable=False),
)

annual_runs = sa.Table(
    "annual_runs",
    metadata,
    # One pass over every open entitlement with a claim for a funding year; resumable from `cursor`.
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("funding_year", sa.Integer, nullable=False),
    # running -> issued (every instruction recorded; the sender pays them)
    sa.Column("status", sa.String(20), nullable=False),
    # The last entitlement id assessed (keyset): a resumed run continues after it.
    sa.Column("cursor", sa.Uuid),
    sa.Column("entitlements_total", sa.Integer, nullable=False),
    sa.Column("entitlements_assessed", sa.Integer, nullable=False),
    sa.Column("disbursements_issued", sa.Integer, nullable=False),
    sa.Column("amount_issued", Money, nullable=False),
    sa.Column("leased_until", sa.DateTime(timezone=True)),
    sa.Column("started_by", sa.String(200), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("issued_at", sa.DateTime(timezone=True)),
)
