"""REST routes of the permits service under /permits/v1."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Header, Query, Response

from services.permits import handlers
from services.permits.domain import CaseStatus
from services.permits.models import green_channel_cases
from services.permits.schemas import (
    CaseRead,
    PermitApplicationCreate,
    PermitApplicationRead,
    PermitIssue,
    PermitRefusal,
    PermitRenewalCreate,
    RemindersSent,
    SchoolPlaced,
    SchoolPlacementCreate,
    SchoolPlacementRead,
    SchoolPlacementStep,
    SlaReport,
)
from shared.api import Officer, RuntimeDep, etag, parse_if_match, role_dependency
from shared.auth import Role
from shared.schemas import Page, after_position, position_cursor


cases_router = APIRouter(prefix="/permits/v1", tags=["green channel"])

CaseViewer = role_dependency(Role.bureau_officer, Role.admin, Role.employer)
"""Officers, and employers for their own cases (checked per object)."""


def _application(row) -> PermitApplicationRead:
    return PermitApplicationRead.model_validate(dict(row._mapping) if hasattr(row, "_mapping") else row)


def _with_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


@cases_router.get("/cases", summary="Green-channel cases, oldest first (an employer sees its own)")
async def list_cases(
    runtime: RuntimeDep,
    principal: CaseViewer,
    expert_id: uuid.UUID | None = None,
    application_id: uuid.UUID | None = None,
    status: CaseStatus | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[CaseRead]:
    c = green_channel_cases
    query = sa.select(c).order_by(c.c.opened_at, c.c.id).limit(limit + 1)
    if not principal.has_any(Role.bureau_officer, Role.admin):
        query = query.where(c.c.employer_id == _organisation_uuid(principal))
    if expert_id is not None:
        query = query.where(c.c.expert_id == expert_id)
    if application_id is not None:
        query = query.where(c.c.application_id == application_id)
    if status is not None:
        query = query.where(c.c.status == status.value)
    after = after_position(cursor, c.c.opened_at, c.c.id)
    if after is not None:
        query = query.where(after)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    today = handlers.beijing_today()
    items = [handlers.case_read(r, today) for r in rows[:limit]]
    next_cursor = position_cursor(items[-1].opened_at, items[-1].id) if len(rows) > limit else None
    return Page[CaseRead](items=items, next_cursor=next_cursor)


def _organisation_uuid(principal) -> uuid.UUID | None:
    try:
        return uuid.UUID(principal.organisation or "")
    except ValueError:
        return None


@cases_router.get("/cases/{case_id}", summary="One green-channel case and its SLA state")
async def get_case(case_id: uuid.UUID, runtime: RuntimeDep, principal: CaseViewer) -> CaseRead:
    return await handlers.get_case(runtime, case_id=case_id, principal=principal)


@cases_router.get("/green-channel/sla-report", summary="R-GREEN: cases on time, late, open and overdue")
async def sla_report(runtime: RuntimeDep, _: Officer, as_of: date | None = None) -> SlaReport:
    return await handlers.sla_report(runtime, as_of=as_of or handlers.beijing_today())


@cases_router.post(
    "/cases/{case_id}/applications", status_code=201,
    summary="File a permit application: the expert's work permit or work-type residence permit, or a dependant's",
    responses={409: {"description": "The case is revoked, or the expert already has one of this kind"},
               422: {"description": "Refused by a rule (R-PERMIT), named in the problem"}},
)
async def create_permit_application(
    case_id: uuid.UUID, body: PermitApplicationCreate, runtime: RuntimeDep, principal: CaseViewer,
    response: Response,
) -> PermitApplicationRead:
    row = await handlers.create_permit_application(runtime, case_id=case_id, data=body, principal=principal)
    response.headers["Location"] = f"/permits/v1/permit-applications/{row['id']}"
    _with_etag(response, row["version"])
    return _application(row)


@cases_router.get("/cases/{case_id}/applications", summary="The permit applications of a case, in filing order")
async def list_case_applications(
    case_id: uuid.UUID, runtime: RuntimeDep, principal: CaseViewer
) -> list[PermitApplicationRead]:
    rows = await handlers.list_case_applications(runtime, case_id=case_id, principal=principal)
    return [_application(r) for r in rows]


@cases_router.get("/permit-applications/{application_id}", summary="One permit application")
async def get_permit_application(
    application_id: uuid.UUID, runtime: RuntimeDep, principal: CaseViewer, response: Response
) -> PermitApplicationRead:
    row = await handlers.get_permit_application(runtime, application_id=application_id, principal=principal)
    _with_etag(response, row.version)
    return _application(row)


@cases_router.post("/permit-applications/{application_id}/submit",
                   summary="Submitted to the issuing authority", responses={409: {"description": "Not filed"}})
async def submit_permit_application(
    application_id: uuid.UUID, runtime: RuntimeDep, officer: Officer, response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> PermitApplicationRead:
    row = await handlers.submit_permit_application(
        runtime, application_id=application_id, principal=officer, expected_version=parse_if_match(if_match, "subscription"))
    _with_etag(response, row["version"])
    return _application(row)


@cases_router.post("/permit-applications/{application_id}/issue",
                   summary="Issued by the authority: number and dates (WorkPermitIssued / ResidencePermitIssued)",
                   responses={409: {"description": "Not submitted"}})
async def issue_permit(
    application_id: uuid.UUID, body: PermitIssue, runtime: RuntimeDep, officer: Officer, response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> PermitApplicationRead:
    row = await handlers.issue_permit(runtime, application_id=application_id, data=body, principal=officer,
                                      expected_version=parse_if_match(if_match, "subscription"))
    _with_etag(response, row["version"])
    return _application(row)


@cases_router.post("/permit-applications/{application_id}/refuse", summary="Refused by the authority, with its reason",
                   responses={409: {"description": "Not submitted"}})
async def refuse_permit_application(
    application_id: uuid.UUID, body: PermitRefusal, runtime: RuntimeDep, officer: Officer, response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> PermitApplicationRead:
    row = await handlers.refuse_permit_application(runtime, application_id=application_id, data=body,
                                                   principal=officer, expected_version=parse_if_match(if_match, "subscription"))
    _with_etag(response, row["version"])
    return _application(row)


@cases_router.post("/permit-applications/{application_id}/renewals", status_code=201,
                   summary="Renew an issued permit: a new application for the same holder, same rules")
async def renew_permit(
    application_id: uuid.UUID, body: PermitRenewalCreate, runtime: RuntimeDep, principal: CaseViewer,
    response: Response,
) -> PermitApplicationRead:
    row = await handlers.renew_permit(runtime, application_id=application_id, data=body, principal=principal)
    response.headers["Location"] = f"/permits/v1/permit-applications/{row['id']}"
    _with_etag(response, row["version"])
    return _application(row)


@cases_router.post("/expiry-reminders", summary="Run the expiry reminders now (the scheduled job; idempotent)")
async def send_expiry_reminders(runtime: RuntimeDep, _: Officer, today: date | None = None) -> RemindersSent:
    today = today or handlers.beijing_today()
    return RemindersSent(today=today, sent=await handlers.send_expiry_reminders(runtime, today=today))


@cases_router.post("/cases/{case_id}/school-placements", status_code=201,
                   summary="R-SCHOOL: a school placement request for a child of the expert")
async def request_school_placement(
    case_id: uuid.UUID, body: SchoolPlacementCreate, runtime: RuntimeDep, principal: CaseViewer, response: Response
) -> SchoolPlacementRead:
    row = await handlers.request_school_placement(runtime, case_id=case_id, data=body, principal=principal)
    response.headers["Location"] = f"/permits/v1/school-placements/{row['id']}"
    return SchoolPlacementRead.model_validate(row)


@cases_router.get("/cases/{case_id}/school-placements", summary="The school placement requests of a case")
async def list_school_placements(
    case_id: uuid.UUID, runtime: RuntimeDep, principal: CaseViewer
) -> list[SchoolPlacementRead]:
    rows = await handlers.list_school_placements(runtime, case_id=case_id, principal=principal)
    return [SchoolPlacementRead.model_validate(r._mapping) for r in rows]


@cases_router.get("/school-placements/{placement_id}", summary="One school placement request")
async def get_school_placement(
    placement_id: uuid.UUID, runtime: RuntimeDep, principal: CaseViewer
) -> SchoolPlacementRead:
    row = await handlers.get_school_placement(runtime, placement_id=placement_id, principal=principal)
    return SchoolPlacementRead.model_validate(row._mapping)


@cases_router.post("/school-placements/{placement_id}/coordinate", summary="The bureau is coordinating with schools",
                   responses={409: {"description": "Not requested"}})
async def coordinate_school_placement(
    placement_id: uuid.UUID, body: SchoolPlacementStep, runtime: RuntimeDep, officer: Officer
) -> SchoolPlacementRead:
    row = await handlers.advance_school_placement(runtime, placement_id=placement_id, step="coordinate", data=body,
                                                  principal=officer)
    return SchoolPlacementRead.model_validate(row)


@cases_router.post("/school-placements/{placement_id}/place", summary="Placed: the school and its type",
                   responses={409: {"description": "Already placed or withdrawn"}})
async def place_school_placement(
    placement_id: uuid.UUID, body: SchoolPlaced, runtime: RuntimeDep, officer: Officer
) -> SchoolPlacementRead:
    row = await handlers.advance_school_placement(runtime, placement_id=placement_id, step="place", data=body,
                                                  principal=officer)
    return SchoolPlacementRead.model_validate(row)


@cases_router.post("/school-placements/{placement_id}/withdraw", summary="The request is withdrawn",
                   responses={409: {"description": "Already placed or withdrawn"}})
async def withdraw_school_placement(
    placement_id: uuid.UUID, body: SchoolPlacementStep, runtime: RuntimeDep, principal: CaseViewer
) -> SchoolPlacementRead:
    row = await handlers.advance_school_placement(runtime, placement_id=placement_id, step="withdraw", data=body,
                                                  principal=principal)
    return SchoolPlacementRead.model_validate(row)
