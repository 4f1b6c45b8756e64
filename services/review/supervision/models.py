"""Tables of supervision, declared on the review service's metadata (migrations review_0010, review_0011)."""

import sqlalchemy as sa

from services.review.metadata import metadata
from shared.money import MoneyColumn

supervised_selections = sa.Table(
    "supervised_selections",
    metadata,
    # What the committee approved, written with ApplicationApproved in the same transaction
    # (record_selection): whose case it is, and the terms a signed contract is compared with.
    sa.Column("application_id", sa.Uuid, primary_key=True),
    sa.Column("decision_id", sa.Uuid, nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expert_id", sa.Uuid, nullable=False, index=True),
    sa.Column("expert_name", sa.String(200), nullable=False),
    sa.Column("employer_id", sa.Uuid, nullable=False, index=True),
    sa.Column("employer_name", sa.String(200), nullable=False),
    sa.Column("track", sa.String(30), nullable=False),
    sa.Column("approved_start", sa.Date, nullable=False),
    sa.Column("approved_end", sa.Date, nullable=False),
    sa.Column("approved_annual_salary", MoneyColumn, nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_supervised_selections_recorded", "recorded_at", "application_id"),
)

signed_contracts = sa.Table(
    "signed_contracts",
    metadata,
    # The contract the employer signed after selection (R-ONBOARD); one per selected application.
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("application_id", sa.Uuid, sa.ForeignKey("supervised_selections.application_id"),
              nullable=False, unique=True),
    sa.Column("contract_start", sa.Date, nullable=False),
    sa.Column("contract_end", sa.Date, nullable=False),
    sa.Column("annual_salary", MoneyColumn, nullable=False),
    sa.Column("signed_on", sa.Date, nullable=False),
    sa.Column("differs_from_plan", sa.Boolean, nullable=False),
    # [{"field", "approved", "signed"}] for each term that differs from the approved plan.
    sa.Column("differences", sa.JSON, nullable=False),
    sa.Column("registered_by", sa.String(200), nullable=False),
    sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("contract_end > contract_start", name="ck_signed_contracts_period"),
)

performance_evaluations = sa.Table(
    "performance_evaluations",
    metadata,
    # 绩效考评: one grade per funding year of a selected case (R-SUB-RECURRING reads it).
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("application_id", sa.Uuid, sa.ForeignKey("supervised_selections.application_id"), nullable=False),
    sa.Column("funding_year", sa.Integer, nullable=False),
    sa.Column("grade", sa.String(20), nullable=False),
    sa.Column("comments", sa.Text, nullable=False),
    sa.Column("evaluated_by", sa.String(200), nullable=False),
    sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("application_id", "funding_year", name="uq_performance_evaluations_year"),
    sa.CheckConstraint("grade IN ('excellent', 'good', 'qualified', 'unqualified')",
                       name="ck_performance_evaluations_grade"),
)

contract_breaches = sa.Table(
    "contract_breaches",
    metadata,
    # 违反合同约定 (R-SUPERVISE): reported -> confirmed (ContractBreached) -> withdrawn on appeal
    # (ContractBreachWithdrawn); or reported -> dismissed.
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("application_id", sa.Uuid, sa.ForeignKey("supervised_selections.application_id"),
              nullable=False, index=True),
    sa.Column("expert_id", sa.Uuid, nullable=False),
    sa.Column("employer_id", sa.Uuid, nullable=False),
    sa.Column("breach_date", sa.Date, nullable=False),
    sa.Column("facts", sa.Text, nullable=False),
    sa.Column("attributable_to", sa.String(20), nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("reported_by", sa.String(200), nullable=False),
    sa.Column("reporter_role", sa.String(30), nullable=False),
    sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("confirmed_by", sa.String(200)),
    sa.Column("confirmed_at", sa.DateTime(timezone=True)),
    sa.Column("closed_by", sa.String(200)),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
    sa.Column("closing_reason", sa.Text),
    sa.CheckConstraint("state IN ('reported', 'confirmed', 'dismissed', 'withdrawn')",
                       name="ck_contract_breaches_state"),
    sa.CheckConstraint("attributable_to IN ('expert', 'employer')", name="ck_contract_breaches_attribution"),
    sa.Index("ix_contract_breaches_reported", "reported_at", "id"),
)

breach_appeals = sa.Table(
    "breach_appeals",
    metadata,
    # The expert or the employer contests a confirmed breach; officers uphold it (by withdrawing the
    # breach) or dismiss it.
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("breach_id", sa.Uuid, sa.ForeignKey("contract_breaches.id"), nullable=False, index=True),
    sa.Column("appellant", sa.String(200), nullable=False),
    sa.Column("appellant_role", sa.String(30), nullable=False),
    sa.Column("grounds", sa.Text, nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("lodged_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("decided_by", sa.String(200)),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("decision_reason", sa.Text),
    sa.CheckConstraint("state IN ('open', 'upheld', 'dismissed')", name="ck_breach_appeals_state"),
    sa.Index("ix_breach_appeals_lodged", "lodged_at", "id"),
)
