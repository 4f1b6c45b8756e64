"""The breach replica: the contract breaches review announced for intake's applications (intake_0003)."""

import sqlalchemy as sa

from services.intake.metadata import metadata

application_breaches = sa.Table(
    "application_breaches",
    metadata,
    sa.Column("breach_id", sa.Uuid, primary_key=True),
    sa.Column("application_id", sa.Uuid, nullable=False, index=True),
    sa.Column("expert_id", sa.Uuid, nullable=False),
    sa.Column("attributable_to", sa.String(20)),
    sa.Column("breach_date", sa.Date),
    sa.Column("confirmed_at", sa.DateTime(timezone=True)),
    sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
)
"""One row per breach of an application's contract; ``attributable_to`` empty while only the withdrawal is known."""
