"""Tables of the policy (R-EFFECTIVE): its versions, each in force over a period."""

import sqlalchemy as sa


from services.subsidy.metadata import JSON, metadata
from shared.money import MoneyColumn

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
