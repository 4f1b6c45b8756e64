"""The expert's timeline (R-SUPERVISE): a read model built from every other service's events.

Directory subscribes to every event type another service publishes (all of
``registered_events()`` but its own catalogue and employer events); each delivery becomes one
row: the expert, the event's own time, type, producing service and a thin summary (scalar
fields only; never a passport number, a salary or a nested contract), keyed by the event id so
a duplicate writes nothing. An officer reads it in order (time, then event id) with a cursor.

An event that names only its application (``ApplicationReturned``) is placed through what
directory knows of the application: any row of the same application that names the expert. A
row that arrives before any such row keeps its application id and an empty expert and is
resolved on read through the expert's other rows of that application. Nothing is updated and
no key but the event id is shared, so concurrent handlers never wait on each other's locks.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel

from services.directory.metadata import metadata
from shared.db import dialect_insert
from shared.events import CloudEvent, Event, registered_events
from shared.inbox import EventHandler
from shared.schemas import after_position, position_cursor
from shared.uow import UnitOfWork

OWN_PRODUCER = "directory"

expert_timeline = sa.Table(
    "expert_timeline",
    metadata,
    sa.Column("event_id", sa.Uuid, primary_key=True),
    sa.Column("expert_id", sa.Uuid),
    sa.Column("application_id", sa.Uuid),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("type", sa.String(60), nullable=False),
    sa.Column("service", sa.String(20), nullable=False),
    sa.Column("summary", sa.JSON, nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
)
"""One row per event concerning an expert; ``expert_id`` empty until the application is known."""

sa.Index("ix_expert_timeline_expert", expert_timeline.c.expert_id, expert_timeline.c.occurred_at,
         expert_timeline.c.event_id)
sa.Index("ix_expert_timeline_application", expert_timeline.c.application_id)

EXCLUDED_KEYS = frozenset({"facts", "achievements", "reasons"})
"""Free text kept out of the thin summary (it may quote anything)."""


def _restricted(key: str) -> bool:
    return "passport" in key or "salary" in key or key in EXCLUDED_KEYS


def _scalar(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, uuid.UUID)) for v in value):
        return [str(v) if isinstance(v, uuid.UUID) else v for v in value]
    raise TypeError


def summary(event: Event) -> dict[str, Any]:
    """The event's scalar fields, less anything restricted; nested parts (contracts, plans) left out."""
    out: dict[str, Any] = {}
    for key in type(event).model_fields:
        if _restricted(key):
            continue
        value = getattr(event, key)
        if isinstance(value, BaseModel):
            continue
        try:
            out[key] = _scalar(value)
        except TypeError:
            continue
    return out


def expert_of(event: Event) -> uuid.UUID | None:
    expert_id = getattr(event, "expert_id", None)
    if expert_id is None:
        expert = getattr(event, "expert", None)
        expert_id = getattr(expert, "expert_id", None)
    return expert_id


def timeline_events() -> tuple[type[Event], ...]:
    """What directory records on the timelines: every registered event another service publishes."""
    return tuple(e for e in registered_events() if e.producer != OWN_PRODUCER)


async def record(event: Event, envelope: CloudEvent, uow: UnitOfWork) -> None:
    """Put one event on its expert's timeline; a duplicate event id writes nothing."""
    session = uow.session
    insert = dialect_insert(session)
    expert_id = expert_of(event)
    application_id = getattr(event, "application_id", None)
    if expert_id is None and application_id is not None:
        # A plain read, no lock: whose application it is, if any earlier event said so.
        expert_id = await session.scalar(sa.select(expert_timeline.c.expert_id).where(
            expert_timeline.c.application_id == application_id, expert_timeline.c.expert_id.is_not(None)).limit(1))
    await session.execute(insert(expert_timeline).values(
        event_id=envelope.id, expert_id=expert_id, application_id=application_id,
        occurred_at=envelope.time, type=envelope.type, service=type(event).producer,
        summary=summary(event), recorded_at=datetime.now(envelope.time.tzinfo),
    ).on_conflict_do_nothing(index_elements=["event_id"]))


def with_timeline(handler: EventHandler | None) -> EventHandler:
    """The event recorded on the timeline, then handled as before (same unit of work)."""
    if handler is None:
        return record

    async def both(event: Event, envelope: CloudEvent, uow: UnitOfWork) -> None:
        await record(event, envelope, uow)
        await handler(event, envelope, uow)

    both.__name__ = getattr(handler, "__name__", "handler")
    both.__doc__ = handler.__doc__
    return both


def handlers(existing: dict[type, EventHandler]) -> dict[type, EventHandler]:
    """The directory's handler table: the existing handlers, each also recording, plus every other event."""
    table: dict[type, EventHandler] = {event: with_timeline(existing.get(event)) for event in timeline_events()}
    for event, handler in existing.items():
        table.setdefault(event, handler)
    return table


async def page(session, *, expert_id: uuid.UUID, cursor: str | None, limit: int
               ) -> tuple[list[dict[str, Any]], str | None]:
    """The expert's timeline in order (event time, then event id), a page at a time."""
    t = expert_timeline
    applications = sa.select(t.c.application_id).where(t.c.expert_id == expert_id, t.c.application_id.is_not(None))
    query = sa.select(t).where(sa.or_(
        t.c.expert_id == expert_id,
        sa.and_(t.c.expert_id.is_(None), t.c.application_id.in_(applications)),
    ))
    after = after_position(cursor, t.c.occurred_at, t.c.event_id)
    if after is not None:
        query = query.where(after)
    rows = (await session.execute(query.order_by(t.c.occurred_at, t.c.event_id).limit(limit + 1))).all()
    items = [dict(r._mapping) for r in rows[:limit]]
    next_cursor = position_cursor(items[-1]["occurred_at"], items[-1]["event_id"]) if len(rows) > limit else None
    return items, next_cursor

