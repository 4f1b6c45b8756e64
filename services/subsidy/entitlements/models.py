"""Tables of the policy (R-EFFECTIVE): its versions, each in force over a period."""

import sqlalchemy as sa

from services.subsidy.tables import JSON, metadata

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
