"""The outbox relay: the only publisher. A row is marked sent only after the broker's confirm."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from shared.bus import Bus, BusUnavailable, PublishError
from shared.db import Database
from shared.observability import ServiceMetrics
from shared.tables import PlumbingTables
from shared.workers import Worker

log = logging.getLogger(__name__)


def retry_delay(attempts: int) -> timedelta:
    """Back off a row the bus refused: 0.5 s, 1 s, 2 s ... capped at 30 s."""
    return timedelta(seconds=min(30.0, 0.5 * 2 ** max(0, attempts - 1)))


class OutboxRelay(Worker):
    name = "outbox relay"

    def __init__(
        self,
        db: Database,
        tables: PlumbingTables,
        bus: Bus,
        *,
        batch_size: int = 500,
        poll_seconds: float = 1.0,
        metrics: ServiceMetrics | None = None,
    ) -> None:
        super().__init__(poll_seconds=poll_seconds)
        self.db = db
        self.outbox = tables.outbox
        self.bus = bus
        self.batch_size = batch_size
        self.metrics = metrics

    async def run_once(self) -> bool:
        """A full batch leaves more behind: the next pass follows at once."""
        return await self.relay_once() >= self.batch_size

    async def after_failure(self) -> None:
        await asyncio.sleep(self.poll_seconds)  # the bus or the database is down: do not spin on it

    async def relay_once(self) -> int:
        """Publish one batch of due rows; return how many the broker confirmed."""
        now = datetime.now(UTC)
        query = (
            sa.select(self.outbox.c.id, self.outbox.c.event_id, self.outbox.c.routing_key,
                      self.outbox.c.payload, self.outbox.c.attempts)
            .where(
                self.outbox.c.sent_at.is_(None),
                sa.or_(self.outbox.c.next_attempt_at.is_(None), self.outbox.c.next_attempt_at <= now),
            )
            .order_by(self.outbox.c.id)
            .limit(self.batch_size)
        )
        if self.db.supports_skip_locked:
            # Several relays may run: each takes rows the others have not locked.
            query = query.with_for_update(skip_locked=True)
        async with self.db.session() as session, session.begin():
            rows = (await session.execute(query)).all()
            if not rows:
                if self.metrics:
                    self.metrics.outbox_backlog.set(0)
                return 0
            results = await asyncio.gather(
                *(
                    self.bus.publish(
                        row.routing_key, row.payload.encode(), message_id=row.event_id,
                    )
                    for row in rows
                ),
                return_exceptions=True,
            )
            sent_ids = [row.id for row, result in zip(rows, results) if not isinstance(result, BaseException)]
            if sent_ids:
                await session.execute(
                    sa.update(self.outbox).where(self.outbox.c.id.in_(sent_ids)).values(sent_at=datetime.now(UTC))
                )
            for row, result in zip(rows, results):
                if isinstance(result, BusUnavailable):
                    # The broker is away, not refusing this row: no back-off, so that everything due is
                    # published on the first pass after it is back, not when each row's delay runs out.
                    continue
                if isinstance(result, BaseException):
                    if not isinstance(result, PublishError):
                        log.error("unexpected publish error", exc_info=result)
                    attempts = row.attempts + 1
                    await session.execute(
                        sa.update(self.outbox)
                        .where(self.outbox.c.id == row.id)
                        .values(
                            attempts=attempts,
                            last_error=str(result)[:1000],
                            next_attempt_at=datetime.now(UTC) + retry_delay(attempts),
                        )
                    )
        failed = len(rows) - len(sent_ids)
        if self.metrics:
            self.metrics.events_published.inc(len(sent_ids))
            if failed:
                self.metrics.publish_failures.inc(failed)
            self.metrics.outbox_backlog.set(len(rows) - len(sent_ids))
        if failed:
            log.warning("outbox: %d of %d publishes refused; will retry", failed, len(rows))
        return len(sent_ids)

    async def backlog(self) -> int:
        async with self.db.session() as session:
            return (
                await session.execute(
                    sa.select(sa.func.count()).select_from(self.outbox).where(self.outbox.c.sent_at.is_(None))
                )
            ).scalar_one()
