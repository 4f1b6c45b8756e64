"""Reads of permit applications: one application as its reader may see it, and the applications of a case."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from services.permits.cases.queries import case_for, on_visible_case
from services.permits.applications.models import permit_applications
from shared.auth import Principal
from shared.runtime import ServiceRuntime


async def application_for(session, application_id: uuid.UUID, principal: Principal, *, lock: bool = False) -> Any:
    """The application (with its case's employer), if ``principal`` may see its case (404 otherwise).

    ``lock``: the application (not its case) held FOR UPDATE until the caller's unit of work ends."""
    return await on_visible_case(session, permit_applications, application_id, principal, lock=lock,
                                 detail=f"no permit application {application_id}")


async def get_permit_application(runtime: ServiceRuntime, *, application_id: uuid.UUID, principal: Principal) -> Any:
    async with runtime.db.session() as session:
        return await application_for(session, application_id, principal)


async def list_case_applications(runtime: ServiceRuntime, *, case_id: uuid.UUID, principal: Principal) -> list:
    """In filing order; 404 if ``principal`` may not see the case."""
    a = permit_applications
    async with runtime.db.session() as session:
        await case_for(session, case_id, principal)
        return list((await session.execute(
            sa.select(a).where(a.c.case_id == case_id).order_by(a.c.created_at, a.c.id))).all())
