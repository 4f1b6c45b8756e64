"""Tables of the performance evaluations (R-SUB-RECURRING): the grade of each work year, and review's
announcements of them kept by application (they may come before the approval)."""

import sqlalchemy as sa

from services.subsidy.metadata import metadata

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
