"""The expert's timeline for officers (R-SUPERVISE): selection, permits, payments and revocation in one place."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Query

from services.directory import timeline
from services.directory.experts.models import experts
from shared.api import Officer, RuntimeDep
from shared.errors import NotFound
from shared.schemas import Output, Page, UtcDateTime

router = APIRouter(prefix="/directory/v1", tags=["experts"])


class TimelineEntry(Output):
    event_id: uuid.UUID
    occurred_at: UtcDateTime
    type: str
    service: str
    application_id: uuid.UUID | None = None
    summary: dict[str, Any]


@router.get("/experts/{expert_id}/timeline",
            summary="Officers: every service's events about the expert, in order (R-SUPERVISE)")
async def expert_timeline(
    expert_id: uuid.UUID,
    runtime: RuntimeDep,
    officer: Officer,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[TimelineEntry]:
    async with runtime.db.session() as session:
        items, next_cursor = await timeline.page(session, expert_id=expert_id, cursor=cursor, limit=limit)
        if not items and cursor is None:
            known = await session.scalar(sa.select(experts.c.id).where(experts.c.id == expert_id))
            if known is None:
                raise NotFound(f"no expert {expert_id}")
    return Page[TimelineEntry](items=[TimelineEntry.model_validate(i) for i in items], next_cursor=next_cursor)
