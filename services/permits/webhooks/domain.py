"""Rules of partner-agency webhooks that need no I/O: what may be subscribed, what a partner receives, which
secrets sign a delivery, and what one attempt's answer means for the next (Standard Webhooks)."""

from __future__ import annotations

import email.utils
import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from services.permits.settings import PermitsSettings
from shared.events import Event

CASE_REINSTATED = "PermitCaseReinstated"
"""Webhook-only: a revoked case reinstated after its breach was withdrawn (no bus event carries it)."""

WEBHOOK_EVENT_TYPES = frozenset(
    {"PermitCaseOpened", "WorkPermitIssued", "ResidencePermitIssued", "PermitExpiring", "PermitRevocationRequested",
     CASE_REINSTATED}
)
"""What a partner agency may subscribe to: the permits service's own events (thin payloads)."""

WEBHOOK_TEST_EVENT = "WebhookTest"

WEBHOOK_STATES = {
    "PermitCaseOpened": "open",
    "WorkPermitIssued": "issued",
    "ResidencePermitIssued": "issued",
    "PermitExpiring": "expiring",
    "PermitRevocationRequested": "revocation_requested",
}


class DeliveryStatus(StrEnum):
    """Where one webhook message to one subscription stands."""

    pending = "pending"
    delivered = "delivered"
    exhausted = "exhausted"
    """Every retry of the schedule failed: flagged for an officer, who may replay it."""
    gone = "gone"
    """The receiver answered 410: the subscription was disabled."""


def thin_payload(event: Event) -> dict:
    """What partners receive of an event: its ids, dates and a state; the contracts carry no passport or salary."""
    return {**event.model_dump(mode="json"), "state": WEBHOOK_STATES[event.event_type]}


def webhook_payload(event_type: str, data: dict, at: datetime) -> str:
    """The body partners receive: thin (ids, states, dates), fixed at enqueue so every retry is identical."""
    return json.dumps({"type": event_type, "timestamp": at.isoformat(), "data": data},
                      separators=(",", ":"), default=str)


def signing_secrets(*, secret: str, previous_secret: str | None, previous_secret_until: datetime | None,
                    now: datetime) -> list[str]:
    """The secrets a delivery is signed with now: the current one, and the previous during the overlap."""
    if previous_secret and previous_secret_until is not None:
        if previous_secret_until.tzinfo is None:  # SQLite hands timestamps back naive (UTC)
            previous_secret_until = previous_secret_until.replace(tzinfo=UTC)
        if now < previous_secret_until:
            return [secret, previous_secret]
    return [secret]


@dataclass(frozen=True)
class Outcome:
    status: str
    status_code: int | None
    error: str | None
    next_attempt_at: datetime | None = None


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """A ``Retry-After`` header (seconds or an HTTP date) as seconds from ``now``; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def judge(
    *,
    attempts: int,
    status_code: int | None,
    retry_after: str | None,
    error: str | None,
    settings: PermitsSettings,
    now: datetime,
    rng: random.Random,
) -> Outcome:
    """What one attempt's answer means. ``attempts`` counts this one.

    2xx delivered; 410 gone (the subscription is disabled); 429 and 503 honour Retry-After
    (capped); anything else, a network error included, is retried on the schedule with
    jitter, and after the schedule's last delay the delivery is exhausted.
    """
    if status_code is not None and 200 <= status_code < 300:
        return Outcome(DeliveryStatus.delivered, status_code, None)
    if status_code == 410:
        return Outcome(DeliveryStatus.gone, status_code, "410 Gone: the subscription is disabled")
    error = error or f"HTTP {status_code}"
    schedule = settings.webhook_retry_schedule_seconds
    if attempts > len(schedule):
        return Outcome(DeliveryStatus.exhausted, status_code, error)
    jitter = settings.webhook_retry_jitter
    delay = schedule[attempts - 1] * (1 + rng.uniform(-jitter, jitter))
    if status_code in (429, 503):
        asked = retry_after_seconds(retry_after, now)
        if asked is not None:
            delay = min(asked, settings.webhook_max_retry_after_seconds)
    return Outcome(DeliveryStatus.pending, status_code, error, now + timedelta(seconds=delay))
