"""Every table of the permits service, on its one metadata (Alembic's env.py targets it): the plumbing (outbox,
inbox, audit log, idempotency keys), the tables several sub-domains share (``tables.py``), and each
sub-domain's own."""

from services.permits.reminders.models import permit_reminders
from services.permits.revocation.models import breaches
from services.permits.schools.models import school_placements
from services.permits.applications.models import permit_applications
from services.permits.cases.models import green_channel_cases
from services.permits.metadata import metadata
from services.permits.webhooks.models import webhook_deliveries, webhook_delivery_attempts, webhook_subscriptions
from shared.tables import plumbing_tables

plumbing = plumbing_tables(metadata)

__all__ = [
    "breaches",
    "green_channel_cases",
    "metadata",
    "permit_applications",
    "permit_reminders",
    "plumbing",
    "school_placements",
    "webhook_deliveries",
    "webhook_delivery_attempts",
    "webhook_subscriptions",
]
