"""Events for tests: build an event, wrap it in its CloudEvents envelope, or publish it as its producer does.

* ``employer_registered(**overrides)``: an EmployerRegistered with fixed values (any field overridden);
* ``envelope_of(event)``: the CloudEvents envelope, from ``/services/<producer>`` unless ``source`` says otherwise;
* ``published(event, service)``: the envelope as a unit of work of ``service`` wraps it (request context ids);
* ``commit(runtime, *events)``: one unit of work of ``runtime`` publishes the events and commits;
* ``publish(platform, *events)``: each event leaves through its producing service's outbox, one unit of work
  each, as that service would publish it (an approval from review, a passed formal review from intake...).

The builders of each service's own events (approvals, breaches, formal reviews) stay with that service's
test data in tests/support/<service>.py and are published with ``publish``."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from shared.events import CloudEvent, Event
from shared.events.directory import EmployerRegistered
from shared.uow import UnitOfWork


def employer_registered(**overrides) -> EmployerRegistered:
    values = {
        "employer_id": uuid.UUID("6f1c1b8e-7d3c-4a51-9b35-1f9a4a3e2c10"),
        "name": "Haidian Photonics",
        "credit_code": "91350100M000100Y43",
        "district": "haidian",
        "municipal_state_owned": False,
        "registered_at": datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
    }
    return EmployerRegistered(**{**values, **overrides})


def envelope_of(event: Event, *, source: str | None = None, correlation_id: str | None = None,
                causation_id: str | None = None) -> CloudEvent:
    return CloudEvent.wrap(event, source=source or f"/services/{event.producer}", correlation_id=correlation_id,
                           causation_id=causation_id)


def published(event: Event, service: str) -> CloudEvent:
    """Wrap the event as a service's unit of work does (no database needed to record it)."""
    return UnitOfWork(db=None, tables=None, service=service).publish(event)  # type: ignore[arg-type]


async def commit(runtime, *events: Event) -> None:
    """One unit of work of ``runtime`` publishes ``events`` (its outbox) and commits."""
    async with runtime.uow() as uow:
        for event in events:
            uow.publish(event)
        await uow.commit()


async def publish(platform, *events: Event) -> None:
    """Each event leaves through its producing service's outbox, as that service would publish it."""
    for event in events:
        await commit(platform.runtime(event.producer), event)
