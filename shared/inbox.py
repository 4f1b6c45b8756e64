"""The idempotent consumer: a handler's writes and its inbox record commit together, then ack."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from pydantic import ValidationError

from shared import context
from shared.bus import Delivery
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

    async def __call__(self, delivery: Delivery) -> None:
        # A message we cannot read raises: it is retried, then parked for an operator to see.
        envelope = CloudEvent.model_validate_json(delivery.body)
        contract = event_class(envelope.type, envelope.dataversion)
        handler = self.handlers.get(contract) if contract else None
        if handler is None:
            log.info("no handler for %s v%s; acknowledged", envelope.type, envelope.dataversion)
            self._count("ignored")
            return
        try:
            event = contract.model_validate(envelope.data)
        except ValidationError:
            self._count("invalid")
            raise
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

    async def _claim(self, uow: UnitOfWork, envelope: CloudEvent) -> bool:
        """Record (consumer, event id) in the handler's transaction; False if already there."""
        values = {
            "consumer": self.name,
            "event_id": str(envelope.id),
            "event_type": envelope.type,
            "received_at": datetime.now(UTC),
        }
        dialect = uow.session.bind.dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        result = await uow.session.execute(insert(self.inbox).values(**values).on_conflict_do_nothing())
        return bool(result.rowcount)


__all__ = ["EventHandler", "InboxConsumer"]
