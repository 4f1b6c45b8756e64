"""REST routes of the reconciliation with municipal finance under /subsidy/v1."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from services.subsidy.reconciliation import handlers, queries
from services.subsidy.reconciliation.schemas import ReconciliationRead, ReconciliationRequest
from shared.api import Officer, RuntimeDep
from shared.schemas import Page

router = APIRouter(prefix="/subsidy/v1", tags=["subsidy"])


@router.post("/reconciliations", status_code=201,
             summary="Reconcile one day's disbursements with municipal finance's statement; every difference listed")
async def reconcile(body: ReconciliationRequest, runtime: RuntimeDep, officer: Officer) -> ReconciliationRead:
    return ReconciliationRead(**await handlers.reconcile(runtime, day=body.day, actor=officer.subject))


@router.get("/reconciliations", summary="The recorded reconciliations, latest run first, by booking day")
async def list_reconciliations(
    runtime: RuntimeDep, _: Officer,
    day: Annotated[date | None, Query(alias="date", description="The booking day compared")] = None,
    cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Page[ReconciliationRead]:
    rows, next_cursor = await queries.list_reconciliations(runtime, day=day, cursor=cursor, limit=limit)
    return Page[ReconciliationRead](items=[ReconciliationRead(**r._mapping) for r in rows], next_cursor=next_cursor)


@router.get("/reconciliations/{reconciliation_id}", summary="A recorded reconciliation")
async def get_reconciliation(reconciliation_id: uuid.UUID, runtime: RuntimeDep, _: Officer) -> ReconciliationRead:
    return ReconciliationRead(**(await queries.get_reconciliation(runtime, reconciliation_id))._mapping)
