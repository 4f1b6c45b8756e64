"""REST routes of the employer registry under /directory/v1."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from services.directory.employers import handlers, queries
from services.directory.employers.schemas import EmployerCreate, EmployerRead
from shared.api import LOCATION, CurrentPrincipal, Officer, RuntimeDep, documented
from shared.schemas import Page

router = APIRouter(prefix="/directory/v1", tags=["employers"])


@router.post("/employers", status_code=201, summary="Register an employer (用人单位)", responses=documented(201, LOCATION))
async def register_employer(
    body: EmployerCreate, runtime: RuntimeDep, officer: Officer, response: Response
) -> EmployerRead:
    employer = await handlers.register_employer(runtime, data=body, actor=officer.subject)
    response.headers["Location"] = f"/directory/v1/employers/{employer.id}"
    return employer


@router.get("/employers", summary="The employer registry, by registration order")
async def list_employers(
    runtime: RuntimeDep,
    _: CurrentPrincipal,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[EmployerRead]:
    async with runtime.db.session() as session:
        items, next_cursor = await queries.list_employers(session, cursor=cursor, limit=limit)
    return Page[EmployerRead](items=items, next_cursor=next_cursor)


@router.get("/employers/{employer_id}", summary="One employer")
async def get_employer(employer_id: uuid.UUID, runtime: RuntimeDep, _: CurrentPrincipal) -> EmployerRead:
    async with runtime.db.session() as session:
        return await queries.get_employer(session, employer_id)
