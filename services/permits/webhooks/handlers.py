"""Commands of partner-agency webhooks, and the fan-out of the service's events to the partners subscribed.

A delivery is a row committed with the change that caused it; the dispatcher (workers/webhook_dispatcher.py)
sends it. Whatever queues one wakes the dispatcher once its unit of work has committed
(``uow.after_commit``), so it goes now rather than at the dispatcher's next poll.
"""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa

from services.permits.settings import PermitsSettings
from services.permits.webhooks.domain import WEBHOOK_TEST_EVENT, DeliveryStatus, thin_payload, webhook_payload
from services.permits.webhooks.models import webhook_deliveries, webhook_subscriptions
from services.permits.webhooks.schemas import (
    WebhookReplayRange,
    WebhookSecretRotated,
    WebhookSubscriptionCreate,
    WebhookSubscriptionCreated,
    WebhookSubscriptionRead,
    WebhookSubscriptionUpdate,
)
from shared.errors import Conflict, PreconditionFailed, Unprocessable
from shared.events import Event
from shared.queries import one_or_404
from shared.runtime import ServiceRuntime
from shared.uow import UnitOfWork
from shared.webhooks import check_target, generate_secret

RESOLVE_TIMEOUT_SECONDS = 5.0


async def _resolve(host: str, port: int) -> set[str]:
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(
            loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout=RESOLVE_TIMEOUT_SECONDS
        )
    except (OSError, TimeoutError) as exc:
        raise Unprocessable(f"the webhook URL's host {host!r} does not resolve", field="url") from exc
    return {info[4][0] for info in infos}


async def check_webhook_url(settings: PermitsSettings, url: str) -> None:
    """Refuse a URL that is not https in production or that resolves to a private or loopback address
    (IPv6 forms that carry one included), unless the settings allow that network or that exact target.

    Checked when the URL is set and again before each delivery attempt, since DNS can change
    in between. A short window remains between this check and the connection (rebinding);
    pinning the checked address for the connection would close it.
    """
    parts = urlsplit(url)
    if not parts.hostname:
        raise Unprocessable("a webhook URL needs a host", field="url")
    addresses = await _resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    check_target(
        url,
        addresses=addresses,
        require_https=not settings.is_development,
        allowed_networks=settings.webhook_allowed_cidrs,
        allowed_targets=settings.webhook_allowed_targets,
    )


def _no_subscription(subscription_id: uuid.UUID) -> str:
    return f"no webhook subscription {subscription_id}"


async def create_webhook_subscription(
    runtime: ServiceRuntime, *, data: WebhookSubscriptionCreate, actor: str
) -> WebhookSubscriptionCreated:
    """Subscribe a partner agency's endpoint; its whsec_ secret is returned here and never again."""
    url = str(data.url)
    await check_webhook_url(runtime.settings, url)
    now = datetime.now(UTC)
    row = {
        "id": uuid.uuid4(),
        "url": url,
        "event_types": data.event_types,
        "description": data.description,
        "secret": generate_secret(),
        "enabled": True,
        "disabled_reason": None,
        "version": 1,
        "created_at": now,
        "created_by": actor,
        "updated_at": now,
    }
    async with runtime.uow() as uow:
        await uow.session.execute(sa.insert(webhook_subscriptions).values(**row))
        uow.audit("create_webhook_subscription", object_type="webhook_subscription", object_id=row["id"],
                  detail={"url": url, "event_types": data.event_types})  # never the secret
        await uow.commit()
    return WebhookSubscriptionCreated.model_validate(row)


async def update_webhook_subscription(
    runtime: ServiceRuntime,
    *,
    subscription_id: uuid.UUID,
    data: WebhookSubscriptionUpdate,
    expected_version: int | None,
) -> WebhookSubscriptionRead:
    """Change a subscription's URL, event types, description or enabled flag (If-Match: its version)."""
    changes = data.model_dump(exclude_unset=True)
    for field_name in ("url", "event_types", "enabled"):
        if field_name in changes and changes[field_name] is None:
            raise Unprocessable(f"{field_name} may be changed, not removed", field=field_name)
    if "url" in changes:
        changes["url"] = str(data.url)
        await check_webhook_url(runtime.settings, changes["url"])
    if "enabled" in changes:
        changes["disabled_reason"] = None if changes["enabled"] else "disabled by an officer"
    async with runtime.uow() as uow:
        table = webhook_subscriptions
        current = await one_or_404(
            uow.session, sa.select(table).where(table.c.id == subscription_id).with_for_update(),
            _no_subscription(subscription_id))
        if expected_version is not None and expected_version != current.version:
            raise PreconditionFailed(
                "the subscription was changed since it was read", current_version=current.version
            )
        values = {**changes, "version": current.version + 1, "updated_at": datetime.now(UTC)}
        result = await uow.session.execute(
            sa.update(table).where(table.c.id == subscription_id, table.c.version == current.version).values(**values)
        )
        if result.rowcount != 1:
            raise PreconditionFailed("the subscription was changed concurrently", current_version=current.version)
        uow.audit("update_webhook_subscription", object_type="webhook_subscription", object_id=subscription_id,
                  detail={k: v for k, v in changes.items()})
        await uow.commit()
    return WebhookSubscriptionRead.model_validate({**current._mapping, **values})


async def rotate_webhook_secret(runtime: ServiceRuntime, *, subscription_id: uuid.UUID) -> WebhookSecretRotated:
    """A new secret, returned once; the old one keeps signing alongside it for the overlap."""
    table = webhook_subscriptions
    now = datetime.now(UTC)
    until = now + timedelta(seconds=runtime.settings.webhook_secret_overlap_seconds)
    secret = generate_secret()
    async with runtime.uow() as uow:
        current = await one_or_404(
            uow.session,
            sa.select(table.c.secret, table.c.version).where(table.c.id == subscription_id).with_for_update(),
            _no_subscription(subscription_id))
        await uow.session.execute(
            sa.update(table).where(table.c.id == subscription_id).values(
                secret=secret, previous_secret=current.secret, previous_secret_until=until,
                version=current.version + 1, updated_at=now,
            )
        )
        uow.audit("rotate_webhook_secret", object_type="webhook_subscription", object_id=subscription_id,
                  detail={"previous_secret_valid_until": until})  # never the secrets
        await uow.commit()
    return WebhookSecretRotated(id=subscription_id, secret=secret, previous_secret_valid_until=until)


async def enqueue_webhooks(uow: UnitOfWork, *, event_type: str, data: dict, only: uuid.UUID | None = None,
                           wake: Callable[[], None] | None = None) -> list[str]:
    """Record a message for every enabled subscription to ``event_type``, in the caller's transaction.

    ``wake``: the dispatcher's, called once the unit of work has committed if a message was queued."""
    table = webhook_subscriptions
    query = sa.select(table.c.id, table.c.event_types).where(table.c.enabled.is_(True))
    if only is not None:
        query = query.where(table.c.id == only)
    subscribers = [
        r.id for r in (await uow.session.execute(query)).all() if only is not None or event_type in r.event_types
    ]
    now = datetime.now(UTC)
    rows = [
        {
            "webhook_id": f"msg_{uuid.uuid4().hex}",
            "subscription_id": subscription_id,
            "event_type": event_type,
            "payload": webhook_payload(event_type, data, now),
            "status": DeliveryStatus.pending.value,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for subscription_id in subscribers
    ]
    if rows:
        await uow.session.execute(sa.insert(webhook_deliveries), rows)
        if wake is not None:
            uow.after_commit(wake)
    return [r["webhook_id"] for r in rows]


async def notify_partners(uow: UnitOfWork, event: Event, *, wake: Callable[[], None]) -> None:
    """Queue ``event``'s thin webhook to every partner subscribed to its type, in the caller's transaction
    (beside ``uow.publish(event)``, which records it for the bus); ``wake`` once committed."""
    await enqueue_webhooks(uow, event_type=event.event_type, data=thin_payload(event), wake=wake)


async def _enabled_subscription(uow: UnitOfWork, subscription_id: uuid.UUID, refusal: str) -> None:
    """404 for an unknown subscription; 409 naming ``refusal`` for a disabled one."""
    s = webhook_subscriptions
    found = await one_or_404(uow.session, sa.select(s.c.enabled).where(s.c.id == subscription_id),
                             _no_subscription(subscription_id))
    if not found.enabled:
        raise Conflict(refusal, current_state="disabled")


async def send_test_webhook(runtime: ServiceRuntime, *, subscription_id: uuid.UUID) -> str:
    """Queue a ``WebhookTest`` message to one subscription, so a partner can check its endpoint."""
    async with runtime.uow() as uow:
        await _enabled_subscription(uow, subscription_id, "the subscription is disabled")
        [webhook_id] = await enqueue_webhooks(
            uow, event_type=WEBHOOK_TEST_EVENT, data={"subscription_id": str(subscription_id)}, only=subscription_id,
            wake=runtime.extras.dispatcher.wake,
        )
        uow.audit("send_test_webhook", object_type="webhook_subscription", object_id=subscription_id,
                  detail={"webhook_id": webhook_id})
        await uow.commit()
    return webhook_id


async def replay_webhook_delivery(runtime: ServiceRuntime, *, delivery_id: int) -> None:
    """Send a delivery again with a fresh retry schedule (same webhook-id: a receiver that has it takes it once)."""
    d, s = webhook_deliveries, webhook_subscriptions
    async with runtime.uow() as uow:
        row = await one_or_404(
            uow.session,
            sa.select(d.c.webhook_id, d.c.status, s.c.enabled).join(s, s.c.id == d.c.subscription_id)
            .where(d.c.id == delivery_id),
            f"no webhook delivery {delivery_id}")
        if not row.enabled:
            raise Conflict("the subscription is disabled; enable it before replaying", current_state="disabled")
        await uow.session.execute(
            sa.update(d).where(d.c.id == delivery_id).values(
                status=DeliveryStatus.pending.value, attempts=0, next_attempt_at=datetime.now(UTC)
            )
        )
        uow.audit("replay_webhook_delivery", object_type="webhook_delivery", object_id=delivery_id,
                  detail={"webhook_id": row.webhook_id, "previous_status": row.status})
        uow.after_commit(runtime.extras.dispatcher.wake)
        await uow.commit()


async def replay_webhook_range(
    runtime: ServiceRuntime, *, subscription_id: uuid.UUID, data: WebhookReplayRange
) -> int:
    """Send again the deliveries of one subscription created in a time range; return how many."""
    d = webhook_deliveries
    # In UTC: SQLite keeps timestamps as UTC text, so an offset left on would compare wrongly there.
    since = data.since.astimezone(UTC)
    until = (data.until or datetime.now(UTC)).astimezone(UTC)
    if until <= since:
        raise Unprocessable("until must be after since", field="until")
    statuses = [DeliveryStatus.exhausted.value, DeliveryStatus.gone.value]
    if not data.only_failed:
        statuses.append(DeliveryStatus.delivered.value)
    async with runtime.uow() as uow:
        await _enabled_subscription(uow, subscription_id, "the subscription is disabled; enable it before replaying")
        result = await uow.session.execute(
            sa.update(d)
            .where(d.c.subscription_id == subscription_id, d.c.created_at >= since, d.c.created_at < until,
                   d.c.status.in_(statuses))
            .values(status=DeliveryStatus.pending.value, attempts=0, next_attempt_at=datetime.now(UTC))
        )
        replayed = result.rowcount
        uow.audit("replay_webhook_range", object_type="webhook_subscription", object_id=subscription_id,
                  detail={"since": since, "until": until, "statuses": statuses, "replayed": replayed})
        uow.after_commit(runtime.extras.dispatcher.wake)
        await uow.commit()
    return replayed


async def disable_gone_subscription(runtime: ServiceRuntime, *, subscription_id: uuid.UUID, webhook_id: str) -> None:
    """The receiver answered 410 Gone: stop sending to it until an officer enables it again."""
    table = webhook_subscriptions
    async with runtime.uow() as uow:
        await uow.session.execute(
            sa.update(table).where(table.c.id == subscription_id, table.c.enabled.is_(True)).values(
                enabled=False, disabled_reason=f"the endpoint answered 410 Gone to {webhook_id}",
                version=table.c.version + 1, updated_at=datetime.now(UTC),
            )
        )
        uow.audit("disable_webhook_subscription_gone", object_type="webhook_subscription",
                  object_id=subscription_id, detail={"webhook_id": webhook_id})
        await uow.commit()
