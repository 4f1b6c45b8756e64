"""REST routes of supervision under /review/v1 (R-SUPERVISE): contracts, evaluations, breaches."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from services.review.supervision import handlers
from services.review.supervision.schemas import (
    AMOUNT_RULES, ContractRead, ContractRegistration, EvaluationRead, EvaluationRequest, SelectionRead,
)
from shared.api import CurrentPrincipal, Officer, RuntimeDep, role_dependency
from shared.auth import Role
from shared.schemas import Page

router = APIRouter(prefix="/review/v1", tags=["supervision"])

Employer = role_dependency(Role.employer)
Limit = Annotated[int, Query(ge=1, le=200)]


@router.get("/selections", summary="Selected applications under supervision, oldest first",
            description="Officers see all; an employer its own; an expert their own.")
async def list_selections(
    runtime: RuntimeDep, principal: CurrentPrincipal, expert_id: uuid.UUID | None = None,
    employer_id: uuid.UUID | None = None, cursor: str | None = None, limit: Limit = 50,
) -> Page[SelectionRead]:
    rows, next_cursor = await handlers.list_selections(
        runtime, principal=principal, expert_id=expert_id, employer_id=employer_id, cursor=cursor, limit=limit)
    return Page[SelectionRead](items=[SelectionRead.of(r) for r in rows], next_cursor=next_cursor)


@router.get("/selections/{application_id}", summary="One selected application and its approved terms")
async def get_selection(application_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal) -> SelectionRead:
    return SelectionRead.of(await handlers.get_selection(runtime, application_id=application_id, principal=principal))


@router.post(
    "/selections/{application_id}/contract", status_code=201,
    summary="Register the signed contract (the application's employer); emits ContractRegistered",
    description=("Terms that differ from those the committee approved are listed in `differences` and flagged "
                 f"with `differs_from_plan`. {AMOUNT_RULES} A contract is registered once (409 after)."),
    responses={409: {"description": "A contract is already registered (`state`: registered)"},
               422: {"description": "A field is malformed, the contract ends before it starts, or `signed_on` "
                                    "is in the future"}},
)
async def register_contract(application_id: uuid.UUID, body: ContractRegistration, runtime: RuntimeDep,
                            employer: Employer, response: Response) -> ContractRead:
    row = await handlers.register_contract(
        runtime, application_id=application_id, start=body.start, end=body.end, annual_salary=body.annual_salary,
        signed_on=body.signed_on, principal=employer)
    response.headers["Location"] = f"/review/v1/selections/{application_id}/contract"
    return ContractRead.of(row)


@router.get("/selections/{application_id}/contract", summary="The registered contract of a selected application")
async def get_contract(application_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal) -> ContractRead:
    return ContractRead.of(await handlers.get_contract(runtime, application_id=application_id, principal=principal))


@router.post(
    "/selections/{application_id}/evaluations", status_code=201,
    summary="Record the annual performance evaluation (bureau officer); emits PerformanceEvaluated",
    description=("R-SUB-RECURRING: one evaluation per funding year (409 for a second), for a year that has started "
                 "and lies within the contract; Art. 12 funding follows the grade."),
    responses={409: {"description": "The year is already evaluated (`state`: evaluated)"},
               422: {"description": "Unknown grade, or a funding year in the future or outside the contract"}},
)
async def evaluate_performance(application_id: uuid.UUID, body: EvaluationRequest, runtime: RuntimeDep,
                               officer: Officer, response: Response) -> EvaluationRead:
    row = await handlers.evaluate(runtime, application_id=application_id, funding_year=body.funding_year,
                                  grade=body.grade, comments=body.comments, principal=officer)
    response.headers["Location"] = f"/review/v1/selections/{application_id}/evaluations"
    return EvaluationRead.of(row)


@router.get("/selections/{application_id}/evaluations", summary="The performance evaluations of a selected "
                                                                 "application, by funding year")
async def list_evaluations(application_id: uuid.UUID, runtime: RuntimeDep,
                           principal: CurrentPrincipal) -> Page[EvaluationRead]:
    rows = await handlers.list_evaluations(runtime, application_id=application_id, principal=principal)
    return Page[EvaluationRead](items=[EvaluationRead.of(r) for r in rows])
