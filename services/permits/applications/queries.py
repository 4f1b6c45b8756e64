"""Reads of permit applications: one application as its reader may see it, and the applications of a case."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from services.permits.cases.domain import may_see_case
from services.permits.cases.queries import case_for
from services.permits.applications.models import permit_applications
from services.permits.cases.models import green_channel_cases
from shared.auth import Principal
from shared.errors import NotFound
from shared.runtime import ServiceRuntime


async def application_for(session, application_id: uuid.UUID, principal: Principal, *, lock: bool = False) -> Any:
    """The application (with its case's employer), if ``principal`` may see its case (404 otherwise).

    ``lock``: the application (not its case) held FOR UPDATE until the caller's unit of work ends."""
    a, c = permit_applications, green_channel_cases
    query = sa.select(a, c.c.employer_id).join(c, c.c.id == a.c.case_id).where(a.c.id == application_id)
    if lock:
        query = query.with_for_update(of=a)
    row = (await session.execute(query)).first()
    if row is None or not may_see_case(principal, row):
        raise NotFound(f"no permit application {application_id}")
    return row


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
