"""The webhook dispatcher: sends due deliveries signed per Standard Webhooks, and schedules their retries.

Modelled on the outbox relay: deliveries are rows committed with the change that caused
them; the dispatcher claims due rows for a lease (so several dispatchers can run, and a
dispatcher killed mid-send is retried after the lease), sends, and records the outcome.
A message keeps its ``webhook-id`` across retries, so a receiver that got it before and
lost our copy of its answer takes it once.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import sqlalchemy as sa

from services.permits import handlers
from services.permits.domain import DeliveryStatus
from services.permits.models import webhook_deliveries, webhook_delivery_attempts, webhook_subscriptions
from services.permits.settings import PermitsSettings
from shared.concurrency import wait_for_wake
from shared.errors import DomainError
from shared.runtime import ServiceRuntime
from shared.webhooks import webhook_headers

log = logging.getLogger(__name__)


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


class WebhookDispatcher:
    def __init__(
        self,
        runtime: ServiceRuntime,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.runtime = runtime
        self.settings: PermitsSettings = runtime.settings  # type: ignore[assignment]
        self.transport = transport
        self.rng = rng or random.Random()
        self._client: httpx.AsyncClient | None = None
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

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

    async def run_forever(self) -> None:
        while True:
            self._wake.clear()
            try:
                sent = await self.dispatch_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("webhook dispatch pass failed; retrying")
                sent = 0
            if sent >= self.settings.webhook_batch_size:
                continue
            await wait_for_wake(self._wake, self.settings.webhook_poll_seconds)

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
            await handlers.check_webhook_url(self.settings, row.url)
            secrets = handlers.signing_secrets(
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
            await handlers.disable_gone_subscription(self.runtime, subscription_id=row.subscription_id,
                                                     webhook_id=row.webhook_id)
        elif outcome.status == DeliveryStatus.exhausted:
            log.warning("webhook delivery %s exhausted after %d attempts", row.webhook_id, row.attempts + 1)
