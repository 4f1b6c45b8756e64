"""Reads of permit applications: one application as its reader may see it, and the applications of a case."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from services.permits.applications.models import permit_applications
from services.permits.cases.models import green_channel_cases
from services.permits.cases.queries import case_for, on_visible_case
from shared.auth import Principal, Role
from shared.errors import NotFound
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


async def list_expert_permits(runtime: ServiceRuntime, *, expert_id: uuid.UUID, principal: Principal) -> list:
    """Every permit application of the expert's own (not dependants') across their cases, latest validity first:
    officers, and the expert themself (the token's subject); anyone else 404, as if there were none."""
    if not (principal.is_officer or (principal.has_any(Role.expert) and principal.subject == str(expert_id))):
        raise NotFound(f"no permits of expert {expert_id}")
    a, c = permit_applications, green_channel_cases
    async with runtime.db.session() as session:
        return list((await session.execute(
            sa.select(a).join(c, c.c.id == a.c.case_id)
            .where(c.c.expert_id == expert_id, a.c.dependant_id.is_(None))
            .order_by(a.c.valid_until.desc(), a.c.id))).all())
