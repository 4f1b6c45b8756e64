"""REST routes of the directory service under /directory/v1."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Query, Response

from services.directory import handlers
from services.directory.models import employers
from services.directory.schemas import EmployerCreate, EmployerRead
from shared.api import CurrentPrincipal, Officer, RuntimeDep
from shared.errors import NotFound, Unprocessable
from shared.schemas import Page, decode_cursor, encode_cursor

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
    after = decode_cursor(cursor)
    if after:
        try:
            at, last_id = datetime.fromisoformat(after["at"]), uuid.UUID(after["id"])
        except (KeyError, TypeError, ValueError) as exc:
            raise Unprocessable("malformed cursor", field="cursor") from exc
        query = query.where(
            sa.or_(
                employers.c.registered_at > at,
                sa.and_(employers.c.registered_at == at, employers.c.id > last_id),
            )
        )
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    items = [EmployerRead.model_validate(r._mapping) for r in rows[:limit]]
    next_cursor = (
        encode_cursor({"at": items[-1].registered_at.isoformat(), "id": str(items[-1].id)})
        if len(rows) > limit else None
    )
    return Page[EmployerRead](items=items, next_cursor=next_cursor)


@router.get("/employers/{employer_id}", summary="One employer")
async def get_employer(employer_id: uuid.UUID, runtime: RuntimeDep, _: CurrentPrincipal) -> EmployerRead:
    async with runtime.db.session() as session:
        row = (await session.execute(sa.select(employers).where(employers.c.id == employer_id))).first()
    if row is None:
        raise NotFound(f"no employer {employer_id}")
    return EmployerRead.model_validate(row._mapping)
