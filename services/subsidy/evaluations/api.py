"""REST routes of the performance evaluations under /subsidy/v1."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from services.subsidy.evaluations import handlers
from services.subsidy.evaluations.schemas import EntitlementEvaluationRead, EvaluationRecord
from shared.api import Officer, RuntimeDep

router = APIRouter(prefix="/subsidy/v1", tags=["subsidy"])


@router.post("/entitlements/{entitlement_id}/evaluations", status_code=201,
             summary="Record the performance evaluation of an Art. 12 work year (until PerformanceEvaluated lands)")
async def record_evaluation(
    entitlement_id: uuid.UUID, body: EvaluationRecord, runtime: RuntimeDep, officer: Officer
) -> EntitlementEvaluationRead:
    row = await handlers.record_evaluation(runtime, entitlement_id=entitlement_id, funding_year=body.funding_year,
                                           grade=body.grade, actor=officer.subject)
    return EntitlementEvaluationRead(**row)
