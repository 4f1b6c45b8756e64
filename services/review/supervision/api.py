"""REST routes of supervision under /review/v1 (R-SUPERVISE): contracts, evaluations, breaches."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from services.review.supervision import handlers, queries
from services.review.supervision.domain import AppealState, BreachState
from services.review.supervision.schemas import (
    AMOUNT_RULES, AppealRead, AppealRequest, BreachRead, BreachReport, ContractRead, ContractRegistration,
    EvaluationRead, EvaluationRequest, Reason, SelectionRead,
)
from shared.api import LOCATION, CurrentPrincipal, Officer, RuntimeDep, documented, role_dependency
from shared.auth import Role
from shared.schemas import Page

router = APIRouter(prefix="/review/v1", tags=["supervision"])

Employer = role_dependency(Role.employer)
Party = role_dependency(Role.employer, Role.expert)
Reporter = role_dependency(Role.employer, Role.bureau_officer, Role.admin)
Limit = Annotated[int, Query(ge=1, le=200)]


@router.get("/selections", summary="Selected applications under supervision, oldest first",
            description="Officers see all; an employer its own; an expert their own.")
async def list_selections(
    runtime: RuntimeDep, principal: CurrentPrincipal, expert_id: uuid.UUID | None = None,
    employer_id: uuid.UUID | None = None, cursor: str | None = None, limit: Limit = 50,
) -> Page[SelectionRead]:
    rows, next_cursor = await queries.list_selections(
        runtime, principal=principal, expert_id=expert_id, employer_id=employer_id, cursor=cursor, limit=limit)
    return Page[SelectionRead](items=[SelectionRead.of(r) for r in rows], next_cursor=next_cursor)


@router.get("/selections/{application_id}", summary="One selected application and its approved terms")
async def get_selection(application_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal) -> SelectionRead:
    return SelectionRead.of(await queries.get_selection(runtime, application_id=application_id, principal=principal))


@router.post(
    "/selections/{application_id}/contract", status_code=201,
    summary="Register the signed contract (the application's employer); emits ContractRegistered",
    description=("Terms that differ from those the committee approved are listed in `differences` and flagged "
                 f"with `differs_from_plan`. {AMOUNT_RULES} A contract is registered once (409 after)."),
    responses={409: {"description": "A contract is already registered (`state`: registered)"},
               422: {"description": "A field is malformed, the contract ends before it starts, or `signed_on` "
                                    "is in the future"}, **documented(201, LOCATION)},
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
    return ContractRead.of(await queries.get_contract(runtime, application_id=application_id, principal=principal))


@router.post(
    "/selections/{application_id}/evaluations", status_code=201,
    summary="Record the annual performance evaluation (bureau officer); emits PerformanceEvaluated",
    description=("R-SUB-RECURRING: one evaluation per funding year (409 for a second), for a year that has started "
                 "and lies within the contract; Art. 12 funding follows the grade."),
    responses={409: {"description": "The year is already evaluated (`state`: evaluated)"},
               422: {"description": "Unknown grade, or a funding year in the future or outside the contract"}, **documented(201, LOCATION)},
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
    rows = await queries.list_evaluations(runtime, application_id=application_id, principal=principal)
    return Page[EvaluationRead](items=[EvaluationRead.of(r) for r in rows])


_STATE_409 = {409: {"description": "The breach's current state does not allow this (`state` names it)"}}


@router.post(
    "/selections/{application_id}/breaches", status_code=201,
    summary="Report a contract breach (the application's employer or a bureau officer); state reported",
    description=("Nothing is revoked until an officer confirms the report. `attributable_to`: only a breach "
                 "attributable to the expert revokes benefits (R-SUPERVISE)."),
    responses={422: {"description": "A field is missing or malformed, or `breach_date` is in the future or "
                                    "outside the contract"}, **documented(201, LOCATION)},
)
async def report_breach(application_id: uuid.UUID, body: BreachReport, runtime: RuntimeDep, reporter: Reporter,
                        response: Response) -> BreachRead:
    row = await handlers.report_breach(runtime, application_id=application_id, breach_date=body.breach_date,
                                       facts=body.facts, attributable_to=body.attributable_to, principal=reporter)
    response.headers["Location"] = f"/review/v1/breaches/{row['id']}"
    return BreachRead.of(row)


@router.get("/selections/{application_id}/breaches", summary="The breaches reported on a selected application")
async def list_selection_breaches(application_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal,
                                  cursor: str | None = None, limit: Limit = 50) -> Page[BreachRead]:
    rows, next_cursor = await queries.list_breaches(runtime, principal=principal, application_id=application_id,
                                                     cursor=cursor, limit=limit)
    return Page[BreachRead](items=[BreachRead.of(r, a) for r, a in rows], next_cursor=next_cursor)


@router.get("/breaches", summary="Contract breaches, oldest first",
            description="Officers see all; an employer those of its applications; an expert their own.")
async def list_breaches(runtime: RuntimeDep, principal: CurrentPrincipal, state: BreachState | None = None,
                        cursor: str | None = None, limit: Limit = 50) -> Page[BreachRead]:
    rows, next_cursor = await queries.list_breaches(
        runtime, principal=principal, state=state.value if state else None, cursor=cursor, limit=limit)
    return Page[BreachRead](items=[BreachRead.of(r, a) for r, a in rows], next_cursor=next_cursor)


@router.get("/breaches/{breach_id}", summary="A contract breach and its appeals")
async def get_breach(breach_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal) -> BreachRead:
    row, appeals = await queries.get_breach(runtime, breach_id=breach_id, principal=principal)
    return BreachRead.of(row, appeals)


@router.post("/breaches/{breach_id}/confirm",
             summary="Confirm a reported breach (bureau officer); emits ContractBreached",
             description="An expert-attributable breach revokes the expert's benefits across the platform "
                         "(R-SUPERVISE); an employer-attributable one is recorded, with no revocation.",
             responses=_STATE_409)
async def confirm_breach(breach_id: uuid.UUID, runtime: RuntimeDep, officer: Officer) -> BreachRead:
    row = await handlers.confirm_breach(runtime, breach_id=breach_id, principal=officer)
    return BreachRead.of(row)


@router.post("/breaches/{breach_id}/dismiss", summary="Dismiss a reported breach as unfounded (bureau officer)",
             responses=_STATE_409)
async def dismiss_breach(breach_id: uuid.UUID, body: Reason, runtime: RuntimeDep, officer: Officer) -> BreachRead:
    row = await handlers.dismiss_breach(runtime, breach_id=breach_id, reason=body.reason, principal=officer)
    return BreachRead.of(row)


@router.post("/breaches/{breach_id}/withdraw",
             summary="Withdraw a confirmed breach (bureau officer); emits ContractBreachWithdrawn",
             description="The reversal on appeal: the open appeals against the breach are upheld.",
             responses=_STATE_409)
async def withdraw_breach(breach_id: uuid.UUID, body: Reason, runtime: RuntimeDep, officer: Officer) -> BreachRead:
    row = await handlers.withdraw_breach(runtime, breach_id=breach_id, reason=body.reason, principal=officer)
    _, appeals = await queries.get_breach(runtime, breach_id=breach_id, principal=officer)
    return BreachRead.of(row, appeals)


@router.post("/breaches/{breach_id}/appeal", status_code=201,
             summary="Contest a confirmed breach (the expert or the employer concerned)",
             description="Recorded for officers, who withdraw the breach or dismiss the appeal.",
             responses={409: {"description": "The breach is not confirmed, or this party's appeal is still open"}, **documented(201, LOCATION)})
async def appeal_breach(breach_id: uuid.UUID, body: AppealRequest, runtime: RuntimeDep, party: Party,
                        response: Response) -> AppealRead:
    row = await handlers.appeal_breach(runtime, breach_id=breach_id, grounds=body.grounds, principal=party)
    response.headers["Location"] = f"/review/v1/breaches/{breach_id}"
    return AppealRead.of(row)


@router.get("/appeals", summary="Appeals against breaches, oldest first (bureau officers)")
async def list_appeals(runtime: RuntimeDep, _: Officer, state: AppealState | None = None, cursor: str | None = None,
                       limit: Limit = 50) -> Page[AppealRead]:
    rows, next_cursor = await queries.list_appeals(runtime, state=state.value if state else None, cursor=cursor,
                                                    limit=limit)
    return Page[AppealRead](items=[AppealRead.of(r) for r in rows], next_cursor=next_cursor)


@router.post("/appeals/{appeal_id}/dismiss", summary="Dismiss an appeal (bureau officer); the breach stands",
             responses={409: {"description": "The appeal is no longer open (`state` names it)"}})
async def dismiss_appeal(appeal_id: uuid.UUID, body: Reason, runtime: RuntimeDep, officer: Officer) -> AppealRead:
    return AppealRead.of(await handlers.dismiss_appeal(runtime, appeal_id=appeal_id, reason=body.reason,
                                                       principal=officer))
