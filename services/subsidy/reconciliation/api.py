"""REST routes of the reconciliation with municipal finance under /subsidy/v1."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from services.subsidy.reconciliation import handlers, queries
from services.subsidy.reconciliation.schemas import ReconciliationRead, ReconciliationRequest
from shared.api import Officer, RuntimeDep

router = APIRouter(prefix="/subsidy/v1", tags=["subsidy"])


@router.post("/reconciliations", status_code=201,
             summary="Reconcile one day's disbursements with municipal finance's statement; every difference listed")
async def reconcile(body: ReconciliationRequest, runtime: RuntimeDep, officer: Officer) -> ReconciliationRead:
    return ReconciliationRead(**await handlers.reconcile(runtime, day=body.day, actor=officer.subject))


@router.get("/reconciliations/{reconciliation_id}", summary="A recorded reconciliation")
async def get_reconciliation(reconciliation_id: uuid.UUID, runtime: RuntimeDep, _: Officer) -> ReconciliationRead:
    return ReconciliationRead(**(await queries.get_reconciliation(runtime, reconciliation_id))._mapping)
