"""Reads of school placement: one request as its reader may see it, and the requests of a case."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from services.permits.cases.queries import case_for, on_visible_case
from services.permits.schools.models import school_placements
from shared.auth import Principal
from shared.runtime import ServiceRuntime


async def placement_for(session, placement_id: uuid.UUID, principal: Principal, *, lock: bool = False) -> Any:
    """The request (with its case's employer), if ``principal`` may see its case (404 otherwise).

    ``lock``: the request held FOR UPDATE until the caller's unit of work ends."""
    return await on_visible_case(session, school_placements, placement_id, principal, lock=lock,
                                 detail=f"no school placement {placement_id}")


async def get_school_placement(runtime: ServiceRuntime, *, placement_id: uuid.UUID, principal: Principal) -> Any:
    async with runtime.db.session() as session:
        return await placement_for(session, placement_id, principal)


async def list_school_placements(runtime: ServiceRuntime, *, case_id: uuid.UUID, principal: Principal) -> list:
    """In the order requested; 404 if ``principal`` may not see the case."""
    p = school_placements
    async with runtime.db.session() as session:
        await case_for(session, case_id, principal)
        return list((await session.execute(
            sa.select(p).where(p.c.case_id == case_id).order_by(p.c.requested_at, p.c.id))).all())
