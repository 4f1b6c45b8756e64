"""REST routes of the directory service under /directory/v1."""

from __future__ import annotations

import uuid
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Query, Response

from services.directory import handlers
from services.directory.models import employers
from services.directory.schemas import EmployerCreate, EmployerRead
from shared.api import CurrentPrincipal, Officer, RuntimeDep
from shared.errors import NotFound
from shared.schemas import Page, after_position, position_cursor

router = APIRouter(prefix="/directory/v1", tags=["employers"])


@router.post("/employers", status_code=201, summary="Register an employer (用人单位)")
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
    query = sa.select(employers).order_by(employers.c.registered_at, employers.c.id).limit(limit + 1)
    after = after_position(cursor, employers.c.registered_at, employers.c.id)
    if after is not None:
        query = query.where(after)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    items = [EmployerRead.model_validate(r._mapping) for r in rows[:limit]]
    next_cursor = position_cursor(items[-1].registered_at, items[-1].id) if len(rows) > limit else None
    return Page[EmployerRead](items=items, next_cursor=next_cursor)


@router.get("/employers/{employer_id}", summary="One employer")
async def get_employer(employer_id: uuid.UUID, runtime: RuntimeDep, _: CurrentPrincipal) -> EmployerRead:
    async with runtime.db.session() as session:
        row = (await session.execute(sa.select(employers).where(employers.c.id == employer_id))).first()
    if row is None:
        raise NotFound(f"no employer {employer_id}")
    return EmployerRead.model_validate(row._mapping)
