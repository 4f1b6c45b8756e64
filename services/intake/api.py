"""REST routes of the intake service under /intake/v1."""

from __future__ import annotations

import uuid
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Query

from services.intake.models import employer_replica
from services.intake.schemas import ReplicatedEmployerRead
from shared.api import Officer, RuntimeDep
from shared.errors import NotFound
from shared.schemas import Page, decode_cursor, encode_cursor

router = APIRouter(prefix="/intake/v1", tags=["employers"])


@router.get("/employers", summary="Intake's replica of the employer registry")
async def list_replicated_employers(
    runtime: RuntimeDep,
    _: Officer,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[ReplicatedEmployerRead]:
    query = sa.select(employer_replica).order_by(employer_replica.c.employer_id).limit(limit + 1)
    after = decode_cursor(cursor)
    if after:
        query = query.where(employer_replica.c.employer_id > uuid.UUID(after["id"]))
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    items = [ReplicatedEmployerRead.model_validate(r._mapping) for r in rows[:limit]]
    next_cursor = encode_cursor({"id": str(items[-1].employer_id)}) if len(rows) > limit else None
    return Page[ReplicatedEmployerRead](items=items, next_cursor=next_cursor)


@router.get("/employers/{employer_id}", summary="One replicated employer")
async def get_replicated_employer(
    employer_id: uuid.UUID, runtime: RuntimeDep, _: Officer
) -> ReplicatedEmployerRead:
    async with runtime.db.session() as session:
        row = (
            await session.execute(sa.select(employer_replica).where(employer_replica.c.employer_id == employer_id))
        ).first()
    if row is None:
        raise NotFound(f"employer {employer_id} has not reached intake")
    return ReplicatedEmployerRead.model_validate(row._mapping)
