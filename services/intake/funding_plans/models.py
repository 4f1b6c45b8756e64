"""The plans quoted after an approval, per application (intake_0009)."""

import sqlalchemy as sa

from services.intake.metadata import metadata

application_plan_quotes = sa.Table(
    "application_plan_quotes",
    metadata,
    sa.Column("application_id", sa.Uuid, primary_key=True),
    sa.Column("decision_id", sa.Uuid, nullable=False),
    sa.Column("funding_plan", sa.JSON, nullable=False),
    sa.Column("quoted_at", sa.DateTime(timezone=True), nullable=False),
)
"""The quoted plan of an application whose approval announced it ``to_be_quoted``."""
