"""REST routes of partner-agency webhooks: /permits/v1/webhook-subscriptions and /permits/v1/webhook-deliveries."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from services.permits.webhooks import handlers, queries
from services.permits.webhooks.domain import DeliveryStatus
from services.permits.webhooks.schemas import (
    WebhookAttemptRead,
    WebhookDeliveryRead,
    WebhookReplayed,
    WebhookReplayRange,
    WebhookSecretRotated,
    WebhookSubscriptionCreate,
    WebhookSubscriptionCreated,
    WebhookSubscriptionRead,
    WebhookSubscriptionUpdate,
    WebhookTestSent,
)
from shared.api import ETAG, LOCATION, Officer, RowId, RuntimeDep, documented, etag, if_match
from shared.schemas import Page

subscriptions_router = APIRouter(prefix="/permits/v1/webhook-subscriptions", tags=["webhook subscriptions"])
deliveries_router = APIRouter(prefix="/permits/v1/webhook-deliveries", tags=["webhook subscriptions"])

IfMatchSubscription = if_match("subscription")
"""The subscription's version as read (``*`` or none: any version)."""


def _deliveries(rows, next_cursor: str | None) -> Page[WebhookDeliveryRead]:
    return Page[WebhookDeliveryRead](items=[WebhookDeliveryRead.model_validate(r._mapping) for r in rows],
                                     next_cursor=next_cursor)


def _attempts(rows, next_cursor: str | None) -> Page[WebhookAttemptRead]:
    return Page[WebhookAttemptRead](items=[WebhookAttemptRead.model_validate(r._mapping) for r in rows],
                                    next_cursor=next_cursor)


@subscriptions_router.post("", status_code=201, summary="Subscribe a partner agency's endpoint (secret shown once)",
                           responses=documented(201, LOCATION, ETAG))
async def create_webhook_subscription(
    body: WebhookSubscriptionCreate, runtime: RuntimeDep, officer: Officer, response: Response
) -> WebhookSubscriptionCreated:
    subscription = await handlers.create_webhook_subscription(runtime, data=body, actor=officer.subject)
    response.headers["Location"] = f"/permits/v1/webhook-subscriptions/{subscription.id}"
    response.headers["ETag"] = etag(subscription.version)
    response.headers["Cache-Control"] = "no-store"  # the response carries the secret
    return subscription


@subscriptions_router.get("", summary="Webhook subscriptions, oldest first")
async def list_webhook_subscriptions(
    runtime: RuntimeDep,
    _: Officer,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[WebhookSubscriptionRead]:
    rows, next_cursor = await queries.list_subscriptions(runtime, cursor=cursor, limit=limit)
    return Page[WebhookSubscriptionRead](items=[WebhookSubscriptionRead.model_validate(r._mapping) for r in rows],
                                         next_cursor=next_cursor)


@subscriptions_router.get("/{subscription_id}", summary="One webhook subscription (without its secret)",
                          responses=documented(200, ETAG))
async def get_webhook_subscription(
    subscription_id: uuid.UUID, runtime: RuntimeDep, _: Officer, response: Response
) -> WebhookSubscriptionRead:
    row = await queries.get_subscription(runtime, subscription_id=subscription_id)
    response.headers["ETag"] = etag(row.version)
    return WebhookSubscriptionRead.model_validate(row._mapping)


@subscriptions_router.patch(
    "/{subscription_id}",
    summary="Change URL, event types, description or enabled flag",
    responses={412: {"description": "If-Match does not match the current version"}, **documented(200, ETAG)},
)
async def update_webhook_subscription(
    subscription_id: uuid.UUID,
    body: WebhookSubscriptionUpdate,
    runtime: RuntimeDep,
    _: Officer,
    response: Response,
    expected: IfMatchSubscription,
) -> WebhookSubscriptionRead:
    subscription = await handlers.update_webhook_subscription(
        runtime, subscription_id=subscription_id, data=body, expected_version=expected.version
    )
    response.headers["ETag"] = etag(subscription.version)
    return subscription


@subscriptions_router.post("/{subscription_id}/test", status_code=202,
                           summary="Queue a WebhookTest message to this endpoint")
async def send_test_webhook(subscription_id: uuid.UUID, runtime: RuntimeDep, _: Officer) -> WebhookTestSent:
    return WebhookTestSent(webhook_id=await handlers.send_test_webhook(runtime, subscription_id=subscription_id))


@subscriptions_router.get("/{subscription_id}/deliveries",
                          summary="The delivery log of one subscription, newest first")
async def list_webhook_deliveries(
    subscription_id: uuid.UUID,
    runtime: RuntimeDep,
    _: Officer,
    status: DeliveryStatus | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[WebhookDeliveryRead]:
    return _deliveries(*await queries.list_deliveries(
        runtime, subscription_id=subscription_id, status=status, cursor=cursor, limit=limit))


@subscriptions_router.get("/{subscription_id}/attempts",
                          summary="Every delivery attempt to this subscription: time, status code or error, duration")
async def list_webhook_attempts(
    subscription_id: uuid.UUID,
    runtime: RuntimeDep,
    _: Officer,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[WebhookAttemptRead]:
    return _attempts(*await queries.list_attempts(runtime, subscription_id=subscription_id, cursor=cursor,
                                                  limit=limit))


@deliveries_router.get("", summary="Deliveries across subscriptions, newest first (status=exhausted: the flagged ones)")
async def list_all_webhook_deliveries(
    runtime: RuntimeDep,
    _: Officer,
    status: DeliveryStatus | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[WebhookDeliveryRead]:
    return _deliveries(*await queries.list_deliveries(runtime, status=status, cursor=cursor, limit=limit))


@deliveries_router.get("/{delivery_id}/attempts", summary="Every attempt of one delivery, newest first")
async def list_delivery_attempts(
    delivery_id: RowId,
    runtime: RuntimeDep,
    _: Officer,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[WebhookAttemptRead]:
    return _attempts(*await queries.list_attempts(runtime, delivery_id=delivery_id, cursor=cursor, limit=limit))


@deliveries_router.post("/{delivery_id}/replay", status_code=202, summary="Send one delivery again")
async def replay_webhook_delivery(delivery_id: RowId, runtime: RuntimeDep, _: Officer) -> None:
    await handlers.replay_webhook_delivery(runtime, delivery_id=delivery_id)


@subscriptions_router.post(
    "/{subscription_id}/rotate-secret",
    summary="A new signing secret (shown once); the old one keeps signing alongside it for the overlap",
)
async def rotate_webhook_secret(
    subscription_id: uuid.UUID, runtime: RuntimeDep, _: Officer, response: Response
) -> WebhookSecretRotated:
    response.headers["Cache-Control"] = "no-store"
    return await handlers.rotate_webhook_secret(runtime, subscription_id=subscription_id)


@subscriptions_router.post("/{subscription_id}/deliveries/replay",
                           summary="Send again the deliveries of a time range")
async def replay_webhook_range(
    subscription_id: uuid.UUID, body: WebhookReplayRange, runtime: RuntimeDep, _: Officer
) -> WebhookReplayed:
    return WebhookReplayed(
        replayed=await handlers.replay_webhook_range(runtime, subscription_id=subscription_id, data=body)
    )
