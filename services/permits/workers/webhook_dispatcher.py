"""The webhook dispatcher: sends due deliveries signed per Standard Webhooks, and schedules their retries.

Modelled on the outbox relay: deliveries are rows committed with the change that caused
them; the dispatcher claims due rows for a lease (so several dispatchers can run, and a
dispatcher killed mid-send is retried after the lease), sends, and records the outcome
(``judge``, webhooks/domain.py). A message keeps its ``webhook-id`` across retries, so a
receiver that got it before and lost our copy of its answer takes it once. Whatever queues
a delivery wakes it after committing; otherwise it polls every ``webhook_poll_seconds``.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from datetime import UTC, datetime, timedelta

import httpx
import sqlalchemy as sa

from services.permits.settings import PermitsSettings
from services.permits.webhooks.domain import DeliveryStatus, judge, signing_secrets
from services.permits.webhooks.handlers import check_webhook_url, disable_gone_subscription
from services.permits.webhooks.models import webhook_deliveries, webhook_delivery_attempts, webhook_subscriptions
from shared.errors import DomainError
from shared.runtime import ServiceRuntime
from shared.webhooks import webhook_headers
from shared.workers import Worker

log = logging.getLogger(__name__)


class WebhookDispatcher(Worker):
    name = "webhook dispatcher"

    def __init__(
        self,
        runtime: ServiceRuntime,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        rng: random.Random | None = None,
    ) -> None:
        settings: PermitsSettings = runtime.settings  # type: ignore[assignment]
        super().__init__(poll_seconds=settings.webhook_poll_seconds, enabled=settings.webhook_dispatcher_enabled)
        self.runtime = runtime
        self.settings = settings
        self.transport = transport
        self.rng = rng or random.Random()
        self._client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            # No redirects: a 3xx could point the platform at an address the subscription check refused.
            self._client = httpx.AsyncClient(
                transport=self.transport, timeout=self.settings.webhook_timeout_seconds, follow_redirects=False
            )
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def run_once(self) -> bool:
        """One batch; a full one means more may be due at once."""
        return await self.dispatch_once() >= self.settings.webhook_batch_size

    async def dispatch_once(self) -> int:
        """Send one batch of due deliveries; return how many were attempted."""
        claimed = await self._claim()
        results = await asyncio.gather(*(self._attempt(row) for row in claimed), return_exceptions=True)
        for row, result in zip(claimed, results):
            if isinstance(result, Exception):
                # Its lease runs out and a later pass tries again.
                log.error("webhook delivery %s: attempt not recorded", row.webhook_id, exc_info=result)
        return len(claimed)

    async def _claim(self) -> list:
        d, s = webhook_deliveries, webhook_subscriptions
        now = datetime.now(UTC)
        query = (
            sa.select(d.c.id, d.c.webhook_id, d.c.subscription_id, d.c.payload, d.c.attempts, s.c.url, s.c.secret,
                      s.c.previous_secret, s.c.previous_secret_until)
            .join(s, s.c.id == d.c.subscription_id)
            .where(d.c.status == DeliveryStatus.pending, d.c.next_attempt_at <= now, s.c.enabled.is_(True))
            .order_by(d.c.next_attempt_at, d.c.id)
            .limit(self.settings.webhook_batch_size)
        )
        if self.runtime.db.supports_skip_locked:
            query = query.with_for_update(skip_locked=True, of=d)
        async with self.runtime.db.session() as session, session.begin():
            rows = (await session.execute(query)).all()
            if rows:
                lease = now + timedelta(seconds=self.settings.webhook_lease_seconds)
                await session.execute(
                    sa.update(d).where(d.c.id.in_([r.id for r in rows])).values(next_attempt_at=lease)
                )
        return rows

    async def _attempt(self, row) -> None:
        body = row.payload.encode()
        status_code = retry_after = error = None
        started_at, started = datetime.now(UTC), time.monotonic()
        try:
            # Again at send time: the name may resolve elsewhere now than when it was subscribed.
            await check_webhook_url(self.settings, row.url)
            secrets = signing_secrets(
                secret=row.secret, previous_secret=row.previous_secret,
                previous_secret_until=row.previous_secret_until, now=datetime.now(UTC),
            )
            headers = {**webhook_headers(secrets, msg_id=row.webhook_id, body=body),
                       "content-type": "application/json"}
            response = await self._http().post(row.url, content=body, headers=headers)
            status_code, retry_after = response.status_code, response.headers.get("retry-after")
        except DomainError as exc:
            error = f"target refused: {exc.detail}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:1000]
        duration_ms = round((time.monotonic() - started) * 1000)
        now = datetime.now(UTC)
        outcome = judge(attempts=row.attempts + 1, status_code=status_code, retry_after=retry_after, error=error,
                        settings=self.settings, now=now, rng=self.rng)
        d = webhook_deliveries
        async with self.runtime.db.session() as session, session.begin():
            await session.execute(
                sa.update(d).where(d.c.id == row.id).values(
                    status=outcome.status, attempts=row.attempts + 1, last_attempt_at=now,
                    last_status_code=outcome.status_code, last_error=outcome.error,
                    next_attempt_at=outcome.next_attempt_at,
                    delivered_at=now if outcome.status == DeliveryStatus.delivered else None,
                )
            )
            # The per-attempt log: every attempt, whatever came of it, with the delivery's update.
            await session.execute(sa.insert(webhook_delivery_attempts).values(
                delivery_id=row.id, subscription_id=row.subscription_id, webhook_id=row.webhook_id,
                attempt=row.attempts + 1, attempted_at=started_at, status_code=status_code,
                error=error, duration_ms=duration_ms, outcome=str(outcome.status),
            ))
        if outcome.status == DeliveryStatus.gone:
            await disable_gone_subscription(self.runtime, subscription_id=row.subscription_id,
                                            webhook_id=row.webhook_id)
        elif outcome.status == DeliveryStatus.exhausted:
            log.warning("webhook delivery %s exhausted after %d attempts", row.webhook_id, row.attempts + 1)
