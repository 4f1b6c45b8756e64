"""Putting every other service's event on its expert's timeline (R-SUPERVISE), in the unit of work the inbox opens
for the event (beside the directory's own handling of it, if any)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from services.directory.timeline.domain import expert_of, summary
from services.directory.timeline.models import expert_timeline
from shared.db import dialect_insert
from shared.events import CloudEvent, Event
from shared.inbox import EventHandler
from shared.uow import UnitOfWork


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
