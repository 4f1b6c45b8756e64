"""Reads of the expert's timeline for the API (officers)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.directory.experts.models import experts
from services.directory.timeline.models import expert_timeline
from services.directory.timeline.schemas import TimelineEntry
from shared.errors import NotFound
from shared.queries import Keyset, fetch_page

IN_ORDER = Keyset.oldest_first(expert_timeline.c.occurred_at, expert_timeline.c.event_id)


async def page(session, *, expert_id: uuid.UUID, cursor: str | None, limit: int
               ) -> tuple[list[TimelineEntry], str | None]:
    """The expert's timeline in order (event time, then event id), a page at a time; 404 for an expert the
    directory does not know and no event names."""
    t = expert_timeline
    applications = sa.select(t.c.application_id).where(t.c.expert_id == expert_id, t.c.application_id.is_not(None))
    query = sa.select(t).where(sa.or_(
        t.c.expert_id == expert_id,
        sa.and_(t.c.expert_id.is_(None), t.c.application_id.in_(applications)),
    ))
    rows, next_cursor = await fetch_page(session, query, IN_ORDER, cursor=cursor, limit=limit)
    if not rows and cursor is None:
        known = await session.scalar(sa.select(experts.c.id).where(experts.c.id == expert_id))
        if known is None:
            raise NotFound(f"no expert {expert_id}")
    return [TimelineEntry.model_validate(dict(r._mapping)) for r in rows], next_cursor
