"""Request and response models of partner-agency webhooks: subscriptions, deliveries and attempts."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import Field, HttpUrl, computed_field, field_validator

from services.permits.webhooks.domain import WEBHOOK_EVENT_TYPES, DeliveryStatus
from shared.schemas import Input, Output, UtcDateTime

EventTypes = Annotated[list[str], Field(min_length=1, max_length=len(WEBHOOK_EVENT_TYPES))]


def _known_event_types(value: list[str] | None) -> list[str] | None:
    if value is None:
        return None
    unknown = sorted(set(value) - WEBHOOK_EVENT_TYPES)
    if unknown:
        raise ValueError(f"unknown event type(s) {unknown}; subscribable: {sorted(WEBHOOK_EVENT_TYPES)}")
    return sorted(set(value))


class WebhookSubscriptionCreate(Input):
    """A partner agency's endpoint (e.g. the entry-exit bureau, 出入境管理部门)."""

    url: Annotated[HttpUrl, Field(max_length=2000, description="Where deliveries are POSTed (https in production)")]
    event_types: EventTypes
    description: Annotated[str | None, Field(max_length=500)] = None

    @field_validator("event_types")
    @classmethod
    def _event_types(cls, value: list[str] | None) -> list[str] | None:
        return _known_event_types(value)


class WebhookSubscriptionUpdate(Input):
    """Fields left out are left as they are."""

    url: Annotated[HttpUrl | None, Field(max_length=2000)] = None
    event_types: EventTypes | None = None
    description: Annotated[str | None, Field(max_length=500)] = None
    enabled: bool | None = None

    @field_validator("event_types")
    @classmethod
    def _event_types(cls, value: list[str] | None) -> list[str] | None:
        return _known_event_types(value)


class WebhookSubscriptionRead(Output):
    """A subscription as officers see it: never the secret."""

    id: uuid.UUID
    url: str
    event_types: list[str]
    description: str | None
    enabled: bool
    disabled_reason: str | None
    version: int
    created_at: UtcDateTime
    created_by: str
    updated_at: UtcDateTime


class WebhookSubscriptionCreated(WebhookSubscriptionRead):
    secret: str = Field(description="The whsec_ signing secret: shown this once, store it now")


class WebhookDeliveryRead(Output):
    """One message to one subscription: the delivery log's line."""

    id: int
    webhook_id: str
    subscription_id: uuid.UUID
    event_type: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: UtcDateTime | None
    last_attempt_at: UtcDateTime | None
    last_status_code: int | None
    last_error: str | None
    created_at: UtcDateTime
    delivered_at: UtcDateTime | None
    payload: str

    @computed_field
    @property
    def flagged(self) -> bool:
        """Every retry failed: an officer should look, and may replay it."""
        return self.status == DeliveryStatus.exhausted


class WebhookTestSent(Output):
    webhook_id: str


class WebhookSecretRotated(Output):
    id: uuid.UUID
    secret: str = Field(description="The new whsec_ signing secret: shown this once, store it now")
    previous_secret_valid_until: UtcDateTime
    """Until then every delivery is signed with both the new and the previous secret."""


class WebhookReplayRange(Input):
    """Deliveries created in [since, until) to send again; by default only those that failed for good."""

    since: UtcDateTime
    until: UtcDateTime | None = None
    only_failed: bool = True
    """True: exhausted and gone deliveries only; False: delivered ones too (receivers dedup on webhook-id)."""


class WebhookReplayed(Output):
    replayed: int


class WebhookAttemptRead(Output):
    id: int
    delivery_id: int
    subscription_id: uuid.UUID
    webhook_id: str
    attempt: int
    attempted_at: UtcDateTime
    status_code: int | None
    error: str | None
    duration_ms: int
    outcome: DeliveryStatus
    """What the attempt left the delivery as: pending (to retry), delivered, exhausted or gone."""
