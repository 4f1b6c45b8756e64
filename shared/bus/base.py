"""The bus interface both implementations honour.

Semantics (DESIGN.md): at-least-once delivery, no ordering; a handler that returns acks the
message, a handler that raises hands it back with backoff; after ``delivery_limit``
deliveries the message is parked, listable and replayable.
"""

from __future__ import annotations

import abc
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime


class PublishError(Exception):
    """The broker did not take responsibility for a message (nack, return, time-out, no connection)."""


class BusUnavailable(PublishError):
    """No message can be published now (not connected): nothing is wrong with this one."""


@dataclass(frozen=True)
class Delivery:
    body: bytes
    message_id: str
    routing_key: str
    delivery_count: int = 0
    """How many times it was delivered before this time (0 on the first delivery)."""
    headers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ParkedMessage:
    message_id: str
    routing_key: str
    body: str
    delivery_count: int
    parked_at: datetime | None = None


DeliveryHandler = Callable[[Delivery], Awaitable[None]]


def backoff_delay(base: float, delivery_count: int, cap: float = 30.0) -> float:
    """Exponential backoff before a failed delivery is handed back: base, 2*base, 4*base, ..."""
    return min(cap, base * (2 ** max(0, delivery_count)))


class Bus(abc.ABC):
    """A topic bus with one durable queue per consuming service."""

    @abc.abstractmethod
    async def start(self) -> None: ...

    @abc.abstractmethod
    async def close(self) -> None: ...

    @abc.abstractmethod
    async def declare(self, subscriptions: dict[str, Iterable[str]]) -> None:
        """Declare every service's queue, parking queue and bindings (idempotent)."""

    @abc.abstractmethod
    async def publish(
        self, routing_key: str, body: bytes, *, message_id: str, headers: dict | None = None
    ) -> None:
        """Return once the broker has the message durably; raise ``PublishError`` otherwise."""

    @abc.abstractmethod
    async def consume(self, service: str, handler: DeliveryHandler) -> None:
        """Start delivering the service's queue to ``handler`` (returns once consuming)."""

    @abc.abstractmethod
    async def stop_consuming(self, service: str) -> None: ...

    @abc.abstractmethod
    async def parked(self, service: str, limit: int = 100) -> list[ParkedMessage]: ...

    @abc.abstractmethod
    async def replay(self, service: str, message_ids: Iterable[str] | None = None) -> int:
        """Move parked messages (all, or those named) back to the service's queue."""

    @abc.abstractmethod
    async def is_ready(self) -> bool: ...
