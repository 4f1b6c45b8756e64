"""REST routes of intake's employer replica under /intake/v1 (officers)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from services.intake.replicas import queries
from services.intake.replicas.schemas import ReplicatedEmployerRead
from shared.api import Officer, RuntimeDep
from shared.schemas import Page

router = APIRouter(prefix="/intake/v1", tags=["employers"])


@router.get("/employers", summary="Intake's replica of the employer registry")
async def list_replicated_employers(
    runtime: RuntimeDep,
    _: Officer,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[ReplicatedEmployerRead]:
    rows, next_cursor = await queries.list_employers(runtime, cursor=cursor, limit=limit)
    return Page[ReplicatedEmployerRead](items=[ReplicatedEmployerRead.model_validate(r._mapping) for r in rows],
                                        next_cursor=next_cursor)


@router.get("/employers/{employer_id}", summary="One replicated employer")
async def get_replicated_employer(
    employer_id: uuid.UUID, runtime: RuntimeDep, _: Officer
) -> ReplicatedEmployerRead:
    return ReplicatedEmployerRead.model_validate((await queries.get_employer(runtime, employer_id))._mapping)
