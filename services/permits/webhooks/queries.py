"""Reads of partner-agency webhooks for the API: subscriptions (oldest first), the delivery log and the
per-attempt log (newest first)."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from services.permits.webhooks.domain import DeliveryStatus
from services.permits.webhooks.models import webhook_deliveries, webhook_delivery_attempts, webhook_subscriptions
from shared.queries import Keyset, fetch_page, one_or_404
from shared.runtime import ServiceRuntime

SUBSCRIPTIONS = Keyset.oldest_first(webhook_subscriptions.c.created_at, webhook_subscriptions.c.id)
DELIVERIES = Keyset.newest_first(webhook_deliveries.c.id)
ATTEMPTS = Keyset.newest_first(webhook_delivery_attempts.c.id)


async def list_subscriptions(runtime: ServiceRuntime, *, cursor: str | None, limit: int
                             ) -> tuple[list[Any], str | None]:
    async with runtime.db.session() as session:
        return await fetch_page(session, sa.select(webhook_subscriptions), SUBSCRIPTIONS, cursor=cursor, limit=limit)


async def get_subscription(runtime: ServiceRuntime, *, subscription_id: uuid.UUID) -> Any:
    table = webhook_subscriptions
    async with runtime.db.session() as session:
        return await one_or_404(session, sa.select(table).where(table.c.id == subscription_id),
                                f"no webhook subscription {subscription_id}")


async def list_deliveries(runtime: ServiceRuntime, *, subscription_id: uuid.UUID | None = None,
                          status: DeliveryStatus | None, cursor: str | None, limit: int
                          ) -> tuple[list[Any], str | None]:
    """The deliveries of one subscription, or of all (``subscription_id`` None), optionally in one status."""
    d = webhook_deliveries
    query = sa.select(d)
    if subscription_id is not None:
        query = query.where(d.c.subscription_id == subscription_id)
    if status is not None:
        query = query.where(d.c.status == status.value)
    async with runtime.db.session() as session:
        return await fetch_page(session, query, DELIVERIES, cursor=cursor, limit=limit)


async def list_attempts(runtime: ServiceRuntime, *, subscription_id: uuid.UUID | None = None,
                        delivery_id: int | None = None, cursor: str | None, limit: int
                        ) -> tuple[list[Any], str | None]:
    """Every attempt to one subscription, or of one delivery."""
    t = webhook_delivery_attempts
    where = t.c.subscription_id == subscription_id if delivery_id is None else t.c.delivery_id == delivery_id
    async with runtime.db.session() as session:
        return await fetch_page(session, sa.select(t).where(where), ATTEMPTS, cursor=cursor, limit=limit)
