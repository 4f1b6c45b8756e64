"""What a running service holds: settings, database, bus, relay, consumer, metrics, verifier, and its extras.

A service's own adapters and background workers are its ``Extras``: one typed object, built once with the
runtime (no I/O), read as ``runtime.extras.<name>``; the runtime starts the workers it declares and closes
the whole at stop. Nothing is added to the runtime or the app's state after construction."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from shared.auth import TokenVerifier
from shared.bus import Bus
from shared.db import Database
from shared.events.topology import SUBSCRIPTIONS, bindings
from shared.inbox import EventHandler, InboxConsumer
from shared.observability import ServiceMetrics
from shared.outbox import OutboxRelay
from shared.settings import ServiceSettings
from shared.tables import PlumbingTables
from shared.uow import UnitOfWork
from shared.workers import Worker

log = logging.getLogger(__name__)


def all_bindings() -> dict[str, list[str]]:
    return {service: bindings(service) for service in SUBSCRIPTIONS}


class Extras:
    """What a service adds to its runtime: outward adapters and background workers, as typed attributes."""

    def workers(self) -> Sequence[Worker]:
        """The background workers the service runs beside the relay (started if enabled)."""
        return ()

    async def close(self) -> None:
        """Release the adapters (HTTP clients, say) once the workers have stopped."""


E = TypeVar("E", bound=Extras)


@dataclass
class ServiceRuntime(Generic[E]):
    settings: ServiceSettings
    tables: PlumbingTables
    handlers: dict[type, EventHandler]
    db: Database
    bus: Bus
    owns_bus: bool
    metrics: ServiceMetrics
    verifier: TokenVerifier
    relay: OutboxRelay
    consumer: InboxConsumer
    extras: E = field(default_factory=Extras)  # type: ignore[assignment]
    tasks: list[asyncio.Task] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.settings.service_name

    def uow(self, *, single_statement: bool = False) -> UnitOfWork:
        """A new unit of work on this service's database; handlers open it with ``async with``."""
        return UnitOfWork(self.db, self.tables, service=self.name, on_commit=self.relay.wake,
                          single_statement=single_statement)

    @classmethod
    def build(
        cls,
        settings: ServiceSettings,
        *,
        tables: PlumbingTables,
        handlers: "dict[type, EventHandler] | Callable[[ServiceRuntime], dict[type, EventHandler]]",
        bus: Bus | None = None,
        extras: Callable[["ServiceRuntime"], Extras] | None = None,
    ) -> "ServiceRuntime":
        """``handlers``: the routing table, or a function of the runtime that builds it once the extras are
        built (a table whose handlers need an extra, such as a worker's ``wake``)."""
        from shared.bus import make_bus

        db = Database(settings.resolved_database_url, pool_size=settings.database_pool_size,
                      max_overflow=settings.database_max_overflow)
        metrics = ServiceMetrics(settings.service_name)
        own_bus = bus is None
        bus = bus or make_bus(settings)
        verifier = TokenVerifier(
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            secret=None if settings.oidc_jwks_url else settings.jwt_secret,
            jwks_url=settings.oidc_jwks_url or None,
        )
        relay = OutboxRelay(
            db, tables, bus,
            batch_size=settings.relay_batch_size, poll_seconds=settings.relay_poll_seconds, metrics=metrics,
        )
        runtime = cls(
            settings=settings, tables=tables, handlers={}, db=db, bus=bus, owns_bus=own_bus,
            metrics=metrics, verifier=verifier, relay=relay, consumer=None,  # type: ignore[arg-type]
        )
        if extras is not None:
            runtime.extras = extras(runtime)
        runtime.handlers = handlers(runtime) if callable(handlers) else handlers
        runtime.consumer = InboxConsumer(
            settings.service_name, handlers=runtime.handlers, tables=tables, new_uow=runtime.uow, metrics=metrics
        )
        return runtime

    async def start(self, *, relay: bool | None = None, consumer: bool | None = None, workers: bool = True) -> None:
        """Connect the bus, declare the whole topology, then start the relay, the service's enabled workers
        (``workers=False``: a relay-only or consumer-only process) and the consumer."""
        if self.owns_bus:
            await self.bus.start()
        await self.bus.declare(all_bindings())
        running: list[Worker] = []
        if relay if relay is not None else self.settings.relay_enabled:
            running.append(self.relay)
        if workers:
            running.extend(worker for worker in self.extras.workers() if worker.enabled)
        for worker in running:
            self.tasks.append(asyncio.create_task(
                worker.run_forever(), name=f"{self.name}-{worker.name.replace(' ', '-')}"))
        if (consumer if consumer is not None else self.settings.consumer_enabled) and self.handlers:
            await self.bus.consume(self.name, self.consumer)

    async def stop(self) -> None:
        await self.bus.stop_consuming(self.name)
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
        self.tasks.clear()
        for worker in self.extras.workers():
            try:
                await worker.close()
            except Exception:
                log.exception("%s: closing the %s failed", self.name, worker.name)
        await self.extras.close()
        if self.owns_bus:
            await self.bus.close()
        await self.db.dispose()
