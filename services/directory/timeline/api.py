"""The expert's timeline for officers (R-SUPERVISE): selection, permits, payments and revocation in one place."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from services.directory.timeline import queries
from services.directory.timeline.schemas import TimelineEntry
from shared.api import Officer, RuntimeDep
from shared.schemas import Page

router = APIRouter(prefix="/directory/v1", tags=["experts"])


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
        items, next_cursor = await queries.page(session, expert_id=expert_id, cursor=cursor, limit=limit)
    return Page[TimelineEntry](items=items, next_cursor=next_cursor)
