"""REST routes of the permits service under /permits/v1."""

from __future__ import annotations

import uuid
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Header, Query, Response

from services.permits import handlers
from services.permits.domain import DeliveryStatus
from services.permits.models import webhook_deliveries, webhook_subscriptions
from services.permits.schemas import (
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
from shared.api import Officer, RuntimeDep
from shared.errors import NotFound, Unprocessable
from shared.schemas import Page, after_position, cursor_int, encode_cursor, position_cursor

router = APIRouter(prefix="/permits/v1", tags=["permits"])
webhooks_router = APIRouter(prefix="/permits/v1/webhook-subscriptions", tags=["webhook subscriptions"])
deliveries_router = APIRouter(prefix="/permits/v1/webhook-deliveries", tags=["webhook subscriptions"])


def _etag(version: int) -> str:
    return f'"{version}"'


def _if_match_version(if_match: str | None) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return None
    try:
        return int(if_match.strip().removeprefix("W/").strip('"'))
    except ValueError as exc:
        raise Unprocessable("If-Match is the ETag of the subscription as read", field="If-Match") from exc


@webhooks_router.post("", status_code=201, summary="Subscribe a partner agency's endpoint (secret shown once)")
async def create_webhook_subscription(
    body: WebhookSubscriptionCreate, runtime: RuntimeDep, officer: Officer, response: Response
) -> WebhookSubscriptionCreated:
    subscription = await handlers.create_webhook_subscription(runtime, data=body, actor=officer.subject)
    response.headers["Location"] = f"/permits/v1/webhook-subscriptions/{subscription.id}"
    response.headers["ETag"] = _etag(subscription.version)
    response.headers["Cache-Control"] = "no-store"  # the response carries the secret
    return subscription


@webhooks_router.get("", summary="Webhook subscriptions, oldest first")
async def list_webhook_subscriptions(
    runtime: RuntimeDep,
    _: Officer,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[WebhookSubscriptionRead]:
    table = webhook_subscriptions
    query = sa.select(table).order_by(table.c.created_at, table.c.id).limit(limit + 1)
    after = after_position(cursor, table.c.created_at, table.c.id)
    if after is not None:
        query = query.where(after)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    items = [WebhookSubscriptionRead.model_validate(r._mapping) for r in rows[:limit]]
    next_cursor = position_cursor(items[-1].created_at, items[-1].id) if len(rows) > limit else None
    return Page[WebhookSubscriptionRead](items=items, next_cursor=next_cursor)


@webhooks_router.get("/{subscription_id}", summary="One webhook subscription (without its secret)")
async def get_webhook_subscription(
    subscription_id: uuid.UUID, runtime: RuntimeDep, _: Officer, response: Response
) -> WebhookSubscriptionRead:
    table = webhook_subscriptions
    async with runtime.db.session() as session:
        row = (await session.execute(sa.select(table).where(table.c.id == subscription_id))).first()
    if row is None:
        raise NotFound(f"no webhook subscription {subscription_id}")
    response.headers["ETag"] = _etag(row.version)
    return WebhookSubscriptionRead.model_validate(row._mapping)


@webhooks_router.patch(
    "/{subscription_id}",
    summary="Change URL, event types, description or enabled flag",
    responses={412: {"description": "If-Match does not match the current version"}},
)
async def update_webhook_subscription(
    subscription_id: uuid.UUID,
    body: WebhookSubscriptionUpdate,
    runtime: RuntimeDep,
    _: Officer,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> WebhookSubscriptionRead:
    subscription = await handlers.update_webhook_subscription(
        runtime, subscription_id=subscription_id, data=body, expected_version=_if_match_version(if_match)
    )
    response.headers["ETag"] = _etag(subscription.version)
    return subscription


@webhooks_router.post("/{subscription_id}/test", status_code=202, summary="Queue a WebhookTest message to this endpoint")
async def send_test_webhook(subscription_id: uuid.UUID, runtime: RuntimeDep, _: Officer) -> WebhookTestSent:
    return WebhookTestSent(webhook_id=await handlers.send_test_webhook(runtime, subscription_id=subscription_id))


@webhooks_router.get("/{subscription_id}/deliveries", summary="The delivery log of one subscription, newest first")
async def list_webhook_deliveries(
    subscription_id: uuid.UUID,
    runtime: RuntimeDep,
    _: Officer,
    status: DeliveryStatus | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[WebhookDeliveryRead]:
    d = webhook_deliveries
    query = sa.select(d).where(d.c.subscription_id == subscription_id).order_by(d.c.id.desc()).limit(limit + 1)
    if status is not None:
        query = query.where(d.c.status == status.value)
    before = cursor_int(cursor)
    if before is not None:
        query = query.where(d.c.id < before)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    items = [WebhookDeliveryRead.model_validate(r._mapping) for r in rows[:limit]]
    next_cursor = encode_cursor({"id": items[-1].id}) if len(rows) > limit else None
    return Page[WebhookDeliveryRead](items=items, next_cursor=next_cursor)


@deliveries_router.post("/{delivery_id}/replay", status_code=202, summary="Send one delivery again")
async def replay_webhook_delivery(delivery_id: int, runtime: RuntimeDep, _: Officer) -> None:
    await handlers.replay_webhook_delivery(runtime, delivery_id=delivery_id)


@webhooks_router.post(
    "/{subscription_id}/rotate-secret",
    summary="A new signing secret (shown once); the old one keeps signing alongside it for the overlap",
)
async def rotate_webhook_secret(
    subscription_id: uuid.UUID, runtime: RuntimeDep, _: Officer, response: Response
) -> WebhookSecretRotated:
    response.headers["Cache-Control"] = "no-store"
    return await handlers.rotate_webhook_secret(runtime, subscription_id=subscription_id)


@webhooks_router.post("/{subscription_id}/deliveries/replay", summary="Send again the deliveries of a time range")
async def replay_webhook_range(
    subscription_id: uuid.UUID, body: WebhookReplayRange, runtime: RuntimeDep, _: Officer
) -> WebhookReplayed:
    return WebhookReplayed(
        replayed=await handlers.replay_webhook_range(runtime, subscription_id=subscription_id, data=body)
    )
