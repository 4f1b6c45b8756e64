"""What a running service holds: settings, database, bus, relay, consumer, metrics, verifier."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

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

log = logging.getLogger(__name__)


def all_bindings() -> dict[str, list[str]]:
    return {service: bindings(service) for service in SUBSCRIPTIONS}


@dataclass
class ServiceRuntime:
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
        handlers: dict[type, EventHandler],
        bus: Bus | None = None,
    ) -> "ServiceRuntime":
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
            settings=settings, tables=tables, handlers=handlers, db=db, bus=bus, owns_bus=own_bus,
            metrics=metrics, verifier=verifier, relay=relay, consumer=None,  # type: ignore[arg-type]
        )
        runtime.consumer = InboxConsumer(
            settings.service_name, handlers=handlers, tables=tables, new_uow=runtime.uow, metrics=metrics
        )
        return runtime

    async def start(self, *, relay: bool | None = None, consumer: bool | None = None) -> None:
        """Connect the bus, declare the whole topology, then start the relay and the consumer."""
        if self.owns_bus:
            await self.bus.start()
        await self.bus.declare(all_bindings())
        if relay if relay is not None else self.settings.relay_enabled:
            self.tasks.append(asyncio.create_task(self.relay.run_forever(), name=f"{self.name}-relay"))
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
        if self.owns_bus:
            await self.bus.close()
        await self.db.dispose()
