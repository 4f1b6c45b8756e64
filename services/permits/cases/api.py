"""REST routes of green-channel cases under /permits/v1 (R-GREEN): the cases and their SLA report."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from services.permits.cases import queries
from services.permits.cases.schemas import PermitCaseRead, SlaReport
from services.permits.domain import CaseStatus
from shared import clock
from shared.api import Officer, RuntimeDep, role_dependency
from shared.auth import Role
from shared.schemas import Page

router = APIRouter(prefix="/permits/v1", tags=["green channel"])

CaseViewer = role_dependency(Role.bureau_officer, Role.admin, Role.employer)
"""Officers, and employers for their own cases (checked per object)."""


@router.get("/cases", summary="Green-channel cases, oldest first (an employer sees its own)")
async def list_cases(
    runtime: RuntimeDep,
    principal: CaseViewer,
    expert_id: uuid.UUID | None = None,
    application_id: uuid.UUID | None = None,
    status: CaseStatus | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[PermitCaseRead]:
    rows, next_cursor = await queries.list_cases(runtime, principal=principal, expert_id=expert_id,
                                                 application_id=application_id, status=status, cursor=cursor,
                                                 limit=limit)
    today = clock.beijing_today()
    return Page[PermitCaseRead](items=[PermitCaseRead.of(r, today) for r in rows], next_cursor=next_cursor)


@router.get("/cases/{case_id}", summary="One green-channel case and its SLA state")
async def get_case(case_id: uuid.UUID, runtime: RuntimeDep, principal: CaseViewer) -> PermitCaseRead:
    case = await queries.get_case(runtime, case_id=case_id, principal=principal)
    return PermitCaseRead.of(case, clock.beijing_today())


@router.get("/green-channel/sla-report", summary="R-GREEN: cases on time, late, open and overdue")
async def sla_report(runtime: RuntimeDep, _: Officer, as_of: date | None = None) -> SlaReport:
    return await queries.sla_report(runtime, as_of=as_of or clock.beijing_today())
