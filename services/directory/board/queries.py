"""Reads of the job board for the API (R-PLATFORM (2)-(4)): postings, matchmaking events and their registrations."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.directory.board.models import event_registrations, matchmaking_events, postings
from services.directory.board.schemas import MatchmakingEventRead, PostingRead, RegistrationRead
from shared.queries import Keyset, fetch_page, one_or_404, where_given

POSTINGS_BY_DATE = Keyset.oldest_first(postings.c.posted_at, postings.c.id)
EVENTS_BY_DATE = Keyset.oldest_first(matchmaking_events.c.starts_at, matchmaking_events.c.id)


async def list_postings(session, *, status: str | None, field: str | None, focus_area: str | None,
                        employer_id: uuid.UUID | None, cursor: str | None, limit: int
                        ) -> tuple[list[PostingRead], str | None]:
    query = sa.select(postings)
    query = where_given(query, (postings.c.status, status),
                        (postings.c.field, field),
                        (postings.c.focus_area, focus_area),
                        (postings.c.employer_id, employer_id))
    rows, next_cursor = await fetch_page(session, query, POSTINGS_BY_DATE, cursor=cursor, limit=limit)
    return [PostingRead.model_validate(r._mapping) for r in rows], next_cursor


async def get_posting_row(session, posting_id: uuid.UUID):
    return await one_or_404(session, sa.select(postings).where(postings.c.id == posting_id),
                            f"no posting {posting_id}")


async def get_posting(session, posting_id: uuid.UUID) -> PostingRead:
    return PostingRead.model_validate((await get_posting_row(session, posting_id))._mapping)


def _registered():
    return (sa.select(sa.func.count()).select_from(event_registrations)
            .where(event_registrations.c.event_id == matchmaking_events.c.id)
            .scalar_subquery().label("registered"))


async def list_events(session, *, cursor: str | None, limit: int) -> tuple[list[MatchmakingEventRead], str | None]:
    rows, next_cursor = await fetch_page(session, sa.select(matchmaking_events, _registered()), EVENTS_BY_DATE,
                                         cursor=cursor, limit=limit)
    return [MatchmakingEventRead.model_validate(r._mapping) for r in rows], next_cursor


async def get_event(session, event_id: uuid.UUID) -> MatchmakingEventRead:
    row = await one_or_404(
        session, sa.select(matchmaking_events, _registered()).where(matchmaking_events.c.id == event_id),
        f"no matchmaking event {event_id}")
    return MatchmakingEventRead.model_validate(row._mapping)


async def list_registrations(session, event_id: uuid.UUID) -> list[RegistrationRead]:
    """An event's registrations in order (404 for an unknown event)."""
    await get_event(session, event_id)
    rows = (await session.execute(
        sa.select(event_registrations).where(event_registrations.c.event_id == event_id)
        .order_by(event_registrations.c.registered_at, event_registrations.c.id))).all()
    return [RegistrationRead.model_validate(r._mapping) for r in rows]
