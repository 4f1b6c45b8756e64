"""The idempotent consumer: a handler's writes and its inbox record commit together, then ack."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from pydantic import ValidationError

from shared import context
from shared.bus import Delivery
from shared.db import dialect_insert
from shared.events import CloudEvent, Event, event_class
from shared.observability import ServiceMetrics
from shared.tables import PlumbingTables
from shared.uow import UnitOfWork

log = logging.getLogger(__name__)

EventHandler = Callable[[Event, CloudEvent, UnitOfWork], Awaitable[None]]
"""A service's event handler: translate the event into a change, within the given unit of work."""


class InboxConsumer:
    """Dispatches deliveries to a service's handlers, exactly one effect per event id."""

    def __init__(
        self,
        name: str,
        *,
        handlers: dict[type[Event], EventHandler],
        tables: PlumbingTables,
        new_uow: Callable[[], UnitOfWork],
        metrics: ServiceMetrics | None = None,
    ) -> None:
        self.name = name
        self.handlers = handlers
        self.inbox = tables.inbox
        self.new_uow = new_uow
        self.metrics = metrics

    def _count(self, outcome: str) -> None:
        if self.metrics:
            self.metrics.events_handled.labels(self.metrics.service, outcome).inc()

    def _read(self, delivery: Delivery) -> tuple[CloudEvent, EventHandler, Event] | None:
        """The envelope, its handler and the event; ``None`` for a type this service does not handle.
        A message we cannot read raises: it is retried, then parked for an operator to see."""
        envelope = CloudEvent.model_validate_json(delivery.body)
        contract = event_class(envelope.type, envelope.dataversion)
        handler = self.handlers.get(contract) if contract else None
        if handler is None:
            log.info("no handler for %s v%s; acknowledged", envelope.type, envelope.dataversion)
            self._count("ignored")
            return None
        try:
            return envelope, handler, contract.model_validate(envelope.data)
        except ValidationError:
            self._count("invalid")
            raise

    async def __call__(self, delivery: Delivery) -> None:
        read = self._read(delivery)
        if read is None:
            return
        envelope, handler, event = read
        token = context.bind(
            context.ActionContext(
                request_id=envelope.correlationid or str(envelope.id), causation_id=str(envelope.id)
            )
        )
        try:
            async with self.new_uow() as uow:
                if not await self._claim(uow, envelope):
                    self._count("duplicate")
                    return
                await handler(event, envelope, uow)
                await uow.commit()
            self._count("applied")
        except Exception:
            self._count("failed")
            raise
        finally:
            context.reset(token)

    async def handle_batch(self, deliveries: list[Delivery]) -> list[BaseException | None]:
        """Several deliveries in one transaction: one commit for all, then each is acked.

        Returns, per delivery, ``None`` (ack) or the exception to retry it for. If any handler or the
        commit fails, nothing of the batch is kept and each delivery runs again on its own (``__call__``),
        so one failing event is retried alone and the others take effect once, as they would singly.
        """
        results: list[BaseException | None] = [None] * len(deliveries)
        ready: list[tuple[int, CloudEvent, EventHandler, Event]] = []
        for i, delivery in enumerate(deliveries):
            try:
                read = self._read(delivery)
            except Exception as exc:  # unreadable: retried, then parked, as on its own
                results[i] = exc
                continue
            if read is not None:
                ready.append((i, *read))
        if len(ready) <= 1:  # nothing to batch: the single path
            for i, *_ in ready:
                results[i] = await self._one(deliveries[i])
            return results
        applied = duplicates = 0
        try:
            async with self.new_uow() as uow:
                claimed = await self._claim_all(uow, [envelope for _, envelope, _, _ in ready])
                for _, envelope, handler, event in ready:
                    if str(envelope.id) not in claimed:
                        duplicates += 1
                        continue
                    claimed.discard(str(envelope.id))  # the same event twice in the batch: once
                    token = context.bind(context.ActionContext(
                        request_id=envelope.correlationid or str(envelope.id), causation_id=str(envelope.id)))
                    try:
                        await handler(event, envelope, uow)
                        applied += 1
                    finally:
                        context.reset(token)
                await uow.commit()
        except Exception:
            log.info("a batch of %d events failed; each runs again on its own", len(ready), exc_info=True)
            for i, *_ in ready:
                results[i] = await self._one(deliveries[i])
            return results
        for outcome, n in (("applied", applied), ("duplicate", duplicates)):
            for _ in range(n):
                self._count(outcome)
        return results

    async def _one(self, delivery: Delivery) -> BaseException | None:
        try:
            await self(delivery)
        except Exception as exc:
            return exc
        return None

    async def _claim_all(self, uow: UnitOfWork, envelopes: list[CloudEvent]) -> set[str]:
        """Record every (consumer, event id) of a batch in one statement; the ids not already there."""
        now = datetime.now(UTC)
        rows = {str(e.id): {"consumer": self.name, "event_id": str(e.id), "event_type": e.type, "received_at": now}
                for e in envelopes}
        # One statement whatever the batch's size (parameters apart: compiled once, then cached), sent as a
        # multi-row INSERT by SQLAlchemy's "insertmanyvalues"; the rows that conflict return nothing.
        statement = dialect_insert(uow.session)(self.inbox).on_conflict_do_nothing().returning(self.inbox.c.event_id)
        result = await uow.session.execute(statement, list(rows.values()))
        return set(result.scalars().all())

    async def _claim(self, uow: UnitOfWork, envelope: CloudEvent) -> bool:
        """Record (consumer, event id) in the handler's transaction; False if already there."""
        values = {
            "consumer": self.name,
            "event_id": str(envelope.id),
            "event_type": envelope.type,
            "received_at": datetime.now(UTC),
        }
        result = await uow.session.execute(dialect_insert(uow.session)(self.inbox).on_conflict_do_nothing(), values)
        return bool(result.rowcount)


__all__ = ["EventHandler", "InboxConsumer"]
