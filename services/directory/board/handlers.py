"""Commands of the job board (R-PLATFORM (2)-(4)); the only place here that opens a unit of work."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from services.directory.board.domain import PostingStatus, require_posting_owner
from services.directory.board.models import event_registrations, matchmaking_events, postings
from services.directory.board.schemas import MatchmakingEventCreate, PostingCreate
from services.directory.catalogue.taxonomy import FIELDS_BY_CODE
from shared.auth import Principal
from shared.errors import Conflict
from shared.queries import one_or_404
from shared.runtime import ServiceRuntime


async def create_posting(runtime: ServiceRuntime, *, data: PostingCreate, employer_id: uuid.UUID, actor: str
                         ) -> uuid.UUID:
    """An employer's demand posting (R-PLATFORM (2)), open from now."""
    row = {
        "id": uuid.uuid4(), **data.model_dump(exclude={"employer_id"}), "employer_id": employer_id,
        "focus_area": FIELDS_BY_CODE[data.field].focus_area, "status": PostingStatus.open.value,
        "posted_at": datetime.now(UTC), "posted_by": actor, "closed_at": None,
    }
    async with runtime.uow() as uow:
        await uow.session.execute(sa.insert(postings).values(**row))
        uow.audit("create_posting", object_type="posting", object_id=row["id"])
        await uow.commit()
    return row["id"]


async def close_posting(runtime: ServiceRuntime, *, posting_id: uuid.UUID, principal: Principal) -> None:
    """Close a posting; only its employer or an officer, and only while it is open."""
    async with runtime.uow() as uow:
        row = await one_or_404(
            uow.session, sa.select(postings).where(postings.c.id == posting_id).with_for_update(),
            f"no posting {posting_id}")
        require_posting_owner(principal, row)
        if row.status != PostingStatus.open:
            raise Conflict(f"the posting is {row.status}", current_state=row.status)
        await uow.session.execute(sa.update(postings).where(postings.c.id == posting_id)
                                  .values(status=PostingStatus.closed.value, closed_at=datetime.now(UTC)))
        uow.audit("close_posting", object_type="posting", object_id=posting_id)
        await uow.commit()


async def create_event(runtime: ServiceRuntime, *, data: MatchmakingEventCreate) -> uuid.UUID:
    """A project matchmaking event (R-PLATFORM (3)-(4))."""
    row = {"id": uuid.uuid4(), **data.model_dump(), "created_at": datetime.now(UTC)}
    async with runtime.uow() as uow:
        await uow.session.execute(sa.insert(matchmaking_events).values(**row))
        uow.audit("create_matchmaking_event", object_type="matchmaking_event", object_id=row["id"])
        await uow.commit()
    return row["id"]


async def register_for_event(runtime: ServiceRuntime, *, event_id: uuid.UUID, kind: str, registrant: str) -> dict:
    """Register an expert or an employer; a second registration of the same one is refused, as is one past capacity."""
    async with runtime.uow() as uow:
        session = uow.session
        # Locked: registrations of one event one after the other, so the count below holds to the commit.
        event = await one_or_404(
            session, sa.select(matchmaking_events).where(matchmaking_events.c.id == event_id).with_for_update(),
            f"no matchmaking event {event_id}")
        existing = await session.scalar(sa.select(event_registrations.c.id).where(
            event_registrations.c.event_id == event_id, event_registrations.c.registrant_kind == kind,
            event_registrations.c.registrant_id == registrant))
        if existing is not None:
            raise Conflict("already registered for this event", current_state="registered",
                           registration_id=str(existing))
        taken = await session.scalar(sa.select(sa.func.count()).select_from(event_registrations)
                                     .where(event_registrations.c.event_id == event_id))
        if taken >= event.capacity:
            raise Conflict(f"the event is full ({event.capacity} places)", current_state="full")
        row = {"id": uuid.uuid4(), "event_id": event_id, "registrant_kind": kind, "registrant_id": registrant,
               "registered_at": datetime.now(UTC)}
        await session.execute(sa.insert(event_registrations).values(**row))
        uow.audit("register_for_event", object_type="matchmaking_event", object_id=event_id)
        await uow.commit()
    return row
