"""The embedded bus: the same semantics as RabbitMQ, in-process, durable in one SQLite file.

Messages live in a table until acked, so a killed process loses nothing: on restart the
messages that were in flight are delivered again. Topic bindings, the delivery limit,
backoff, parking and replay behave as with the real broker.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from shared.bus.base import Bus, Delivery, DeliveryHandler, ParkedMessage, PublishError, backoff_delay
from shared.concurrency import wait_for_wake

log = logging.getLogger(__name__)

_metadata = sa.MetaData()
messages = sa.Table(
    "bus_messages",
    _metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("queue", sa.String(100), nullable=False),
    sa.Column("message_id", sa.String(100), nullable=False),
    sa.Column("routing_key", sa.String(200), nullable=False),
    sa.Column("body", sa.LargeBinary, nullable=False),
    sa.Column("headers", sa.Text, nullable=False, default="{}"),
    sa.Column("delivery_count", sa.Integer, nullable=False, default=0),
    sa.Column("available_at", sa.DateTime, nullable=False),
    sa.Column("state", sa.String(10), nullable=False, default="ready"),  # ready | inflight | parked
    sa.Column("parked_at", sa.DateTime, nullable=True),
    sa.Index("ix_bus_messages_queue_state", "queue", "state", "available_at"),
)
bindings_table = sa.Table(
    "bus_bindings",
    _metadata,
    sa.Column("queue", sa.String(100), primary_key=True),
    sa.Column("pattern", sa.String(200), primary_key=True),
)


def topic_matches(pattern: str, routing_key: str) -> bool:
    """AMQP topic semantics: ``*`` is one word, ``#`` zero or more words."""
    p, k = pattern.split("."), routing_key.split(".")

    def match(i: int, j: int) -> bool:
        if i == len(p):
            return j == len(k)
        if p[i] == "#":
            return any(match(i + 1, jj) for jj in range(j, len(k) + 1))
        return j < len(k) and p[i] in ("*", k[j]) and match(i + 1, j + 1)

    return match(0, 0)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class EmbeddedBus(Bus):
    def __init__(
        self,
        path: Path | str,
        *,
        delivery_limit: int = 5,
        retry_backoff_seconds: float = 0.2,
        poll_seconds: float = 0.5,
    ) -> None:
        self.path = Path(path)
        self.delivery_limit = delivery_limit
        self.retry_backoff_seconds = retry_backoff_seconds
        self.poll_seconds = poll_seconds
        self._engine: AsyncEngine | None = None
        self._bindings: dict[str, set[str]] = {}
        self._wake: dict[str, asyncio.Event] = {}
        self._consumers: dict[str, asyncio.Task] = {}
        self._lock = asyncio.Lock()

    async def start(self) -> None:
        if self._engine is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._engine = create_async_engine(
            f"sqlite+aiosqlite:///{self.path}", connect_args={"timeout": 30}
        )
        async with self._engine.begin() as conn:
            await conn.exec_driver_sql("PRAGMA journal_mode=WAL")
            # The bus is infrastructure, not a service's data: it keeps its own schema.
            await conn.run_sync(_metadata.create_all)
            # Whatever was in flight when the process died is delivered again.
            await conn.execute(
                messages.update().where(messages.c.state == "inflight").values(state="ready")
            )
            rows = (await conn.execute(sa.select(bindings_table))).all()
        for queue, pattern in rows:
            self._bindings.setdefault(queue, set()).add(pattern)

    async def close(self) -> None:
        for service in list(self._consumers):
            await self.stop_consuming(service)
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = None

    async def declare(self, subscriptions: dict[str, Iterable[str]]) -> None:
        engine = self._require_engine()
        async with self._lock, engine.begin() as conn:
            for service, keys in subscriptions.items():
                queue = f"{service}.events"
                for key in keys:
                    if key in self._bindings.get(queue, set()):
                        continue
                    await conn.execute(bindings_table.insert().values(queue=queue, pattern=key))
                    self._bindings.setdefault(queue, set()).add(key)

    async def publish(
        self, routing_key: str, body: bytes, *, message_id: str, headers: dict | None = None
    ) -> None:
        engine = self._require_engine()
        queues = [q for q, patterns in self._bindings.items() if any(topic_matches(p, routing_key) for p in patterns)]
        if not queues:
            # Same as a mandatory publish returned by RabbitMQ: the relay retries later.
            raise PublishError(f"unroutable: no queue bound for {routing_key}")
        now = _now()
        try:
            async with self._lock, engine.begin() as conn:
                await conn.execute(
                    messages.insert(),
                    [
                        {
                            "queue": q,
                            "message_id": message_id,
                            "routing_key": routing_key,
                            "body": body,
                            "headers": json.dumps(headers or {}),
                            "delivery_count": 0,
                            "available_at": now,
                            "state": "ready",
                        }
                        for q in queues
                    ],
                )
        except Exception as exc:
            raise PublishError(str(exc)) from exc
        for q in queues:
            self._event(q).set()

    def _event(self, queue: str) -> asyncio.Event:
        return self._wake.setdefault(queue, asyncio.Event())

    async def consume(self, service: str, handler: DeliveryHandler) -> None:
        if service in self._consumers:
            return
        self._consumers[service] = asyncio.create_task(
            self._consume_loop(f"{service}.events", handler), name=f"bus-consumer-{service}"
        )

    async def _consume_loop(self, queue: str, handler: DeliveryHandler) -> None:
        wake = self._event(queue)
        while True:
            wake.clear()
            row = await self._claim(queue)
            if row is None:
                await wait_for_wake(wake, self.poll_seconds)
                continue
            delivery = Delivery(
                body=row.body,
                message_id=row.message_id,
                routing_key=row.routing_key,
                delivery_count=row.delivery_count,
                headers=json.loads(row.headers or "{}"),
            )
            try:
                await handler(delivery)
            except asyncio.CancelledError:
                await self._release(row.seq)
                raise
            except Exception:
                log.exception("handler failed; handing back for redelivery", extra={"message_id": row.message_id})
                await self._fail(row.seq, row.delivery_count + 1)
            else:
                await self._ack(row.seq)

    async def _claim(self, queue: str):
        engine = self._require_engine()
        async with self._lock, engine.begin() as conn:
            row = (
                await conn.execute(
                    sa.select(messages)
                    .where(messages.c.queue == queue, messages.c.state == "ready", messages.c.available_at <= _now())
                    .order_by(messages.c.available_at, messages.c.seq)
                    .limit(1)
                )
            ).first()
            if row is not None:
                await conn.execute(messages.update().where(messages.c.seq == row.seq).values(state="inflight"))
            return row

    async def _ack(self, seq: int) -> None:
        async with self._lock, self._require_engine().begin() as conn:
            await conn.execute(messages.delete().where(messages.c.seq == seq))

    async def _release(self, seq: int) -> None:
        async with self._lock, self._require_engine().begin() as conn:
            await conn.execute(messages.update().where(messages.c.seq == seq).values(state="ready"))

    async def _fail(self, seq: int, delivery_count: int) -> None:
        values: dict = {"delivery_count": delivery_count}
        # As RabbitMQ's x-delivery-limit: parked once the redeliveries exceed the limit.
        if delivery_count > self.delivery_limit:
            values.update(state="parked", parked_at=_now())
        else:
            delay = backoff_delay(self.retry_backoff_seconds, delivery_count - 1)
            values.update(state="ready", available_at=_now() + timedelta(seconds=delay))
        async with self._lock, self._require_engine().begin() as conn:
            await conn.execute(messages.update().where(messages.c.seq == seq).values(**values))

    async def stop_consuming(self, service: str) -> None:
        task = self._consumers.pop(service, None)
        if task is not None:
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass

    async def parked(self, service: str, limit: int = 100) -> list[ParkedMessage]:
        async with self._require_engine().connect() as conn:
            rows = (
                await conn.execute(
                    sa.select(messages)
                    .where(messages.c.queue == f"{service}.events", messages.c.state == "parked")
                    .order_by(messages.c.seq)
                    .limit(limit)
                )
            ).all()
        return [
            ParkedMessage(
                message_id=r.message_id,
                routing_key=r.routing_key,
                body=r.body.decode(errors="replace"),
                delivery_count=r.delivery_count,
                parked_at=r.parked_at.replace(tzinfo=UTC) if r.parked_at else None,
            )
            for r in rows
        ]

    async def replay(self, service: str, message_ids: Iterable[str] | None = None) -> int:
        queue = f"{service}.events"
        condition = sa.and_(messages.c.queue == queue, messages.c.state == "parked")
        if message_ids is not None:
            condition = sa.and_(condition, messages.c.message_id.in_(list(message_ids)))
        async with self._lock, self._require_engine().begin() as conn:
            result = await conn.execute(
                messages.update()
                .where(condition)
                .values(state="ready", delivery_count=0, available_at=_now(), parked_at=None)
            )
        self._event(queue).set()
        return result.rowcount or 0

    async def is_ready(self) -> bool:
        if self._engine is None:
            return False
        try:
            async with self._engine.connect() as conn:
                await conn.execute(sa.text("SELECT 1"))
            return True
        except Exception:
            return False

    def _require_engine(self) -> AsyncEngine:
        if self._engine is None:
            raise PublishError("bus not started")
        return self._engine
