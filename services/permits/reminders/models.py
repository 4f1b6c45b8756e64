"""Tables of the expiry reminders (R-PERMIT): the reminders sent, one per permit and threshold."""

import sqlalchemy as sa

from services.permits.metadata import metadata


permit_reminders = sa.Table(
    "permit_reminders",
    metadata,
    sa.Column("permit_application_id", sa.Uuid, sa.ForeignKey("permit_applications.id"), primary_key=True),
    sa.Column("days_ahead", sa.Integer, primary_key=True),
    sa.Column("sent_on", sa.Date, nullable=False),
)
"""One expiry reminder per permit and threshold (the job is idempotent)."""
