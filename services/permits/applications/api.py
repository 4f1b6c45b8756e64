"""REST routes of permit applications under /permits/v1 (R-PERMIT): filed in a case, stepped by an officer."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from services.permits.applications import handlers, queries
from services.permits.applications.schemas import (
    PermitApplicationCreate,
    PermitApplicationRead,
    PermitIssue,
    PermitRefusal,
    PermitRenewalCreate,
)
from services.permits.cases.api import CaseViewer
from shared.api import ETAG, LOCATION, CurrentPrincipal, Officer, RuntimeDep, documented, etag, if_match

router = APIRouter(prefix="/permits/v1", tags=["green channel"])

IfMatchApplication = if_match("subscription")
"""The application's version as read (``*`` or none: any version). A malformed one is refused naming "the
subscription", as this API has always answered for applications too (kept: the message is the API's)."""


def _reply(response: Response, row) -> PermitApplicationRead:
    """The application, with its version as the ETag."""
    application = PermitApplicationRead.of(row)
    response.headers["ETag"] = etag(application.version)
    return application


@router.post(
    "/cases/{case_id}/applications", status_code=201,
    summary="File a permit application: the expert's work permit or work-type residence permit, or a dependant's",
    responses={409: {"description": "The case is revoked, or the expert already has one of this kind"},
               422: {"description": "Refused by a rule (R-PERMIT), named in the problem"},
               **documented(201, LOCATION, ETAG)},
)
async def create_permit_application(
    case_id: uuid.UUID, body: PermitApplicationCreate, runtime: RuntimeDep, principal: CaseViewer,
    response: Response,
) -> PermitApplicationRead:
    row = await handlers.create_permit_application(runtime, case_id=case_id, data=body, principal=principal)
    response.headers["Location"] = f"/permits/v1/permit-applications/{row['id']}"
    return _reply(response, row)


@router.get("/cases/{case_id}/applications", summary="The permit applications of a case, in filing order")
async def list_case_applications(
    case_id: uuid.UUID, runtime: RuntimeDep, principal: CaseViewer
) -> list[PermitApplicationRead]:
    rows = await queries.list_case_applications(runtime, case_id=case_id, principal=principal)
    return [PermitApplicationRead.of(r) for r in rows]


@router.get("/experts/{expert_id}/permits",
            summary="An expert's own permits and when each expires (the expert, or an officer); dependants' apart",
            responses={404: {"description": "Not the caller's permits"}})
async def list_expert_permits(expert_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal,
                              ) -> list[PermitApplicationRead]:
    rows = await queries.list_expert_permits(runtime, expert_id=expert_id, principal=principal)
    return [PermitApplicationRead.of(r) for r in rows]


@router.get("/permit-applications/{application_id}", summary="One permit application", responses=documented(200, ETAG))
async def get_permit_application(
    application_id: uuid.UUID, runtime: RuntimeDep, principal: CaseViewer, response: Response
) -> PermitApplicationRead:
    row = await queries.get_permit_application(runtime, application_id=application_id, principal=principal)
    return _reply(response, row)


@router.post("/permit-applications/{application_id}/submit",
             summary="Submitted to the issuing authority",
             responses={409: {"description": "Not filed"}, **documented(200, ETAG)})
async def submit_permit_application(
    application_id: uuid.UUID, runtime: RuntimeDep, officer: Officer, response: Response,
    expected: IfMatchApplication,
) -> PermitApplicationRead:
    row = await handlers.submit_permit_application(
        runtime, application_id=application_id, principal=officer, expected_version=expected.version)
    return _reply(response, row)


@router.post("/permit-applications/{application_id}/issue",
             summary="Issued by the authority: number and dates (WorkPermitIssued / ResidencePermitIssued)",
             responses={409: {"description": "Not submitted"}, **documented(200, ETAG)})
async def issue_permit(
    application_id: uuid.UUID, body: PermitIssue, runtime: RuntimeDep, officer: Officer, response: Response,
    expected: IfMatchApplication,
) -> PermitApplicationRead:
    row = await handlers.issue_permit(runtime, application_id=application_id, data=body, principal=officer,
                                      expected_version=expected.version)
    return _reply(response, row)


@router.post("/permit-applications/{application_id}/refuse", summary="Refused by the authority, with its reason",
             responses={409: {"description": "Not submitted"}, **documented(200, ETAG)})
async def refuse_permit_application(
    application_id: uuid.UUID, body: PermitRefusal, runtime: RuntimeDep, officer: Officer, response: Response,
    expected: IfMatchApplication,
) -> PermitApplicationRead:
    row = await handlers.refuse_permit_application(runtime, application_id=application_id, data=body,
                                                   principal=officer, expected_version=expected.version)
    return _reply(response, row)


@router.post("/permit-applications/{application_id}/renewals", status_code=201,
             summary="Renew an issued permit: a new application for the same holder, same rules",
             responses=documented(201, LOCATION, ETAG))
async def renew_permit(
    application_id: uuid.UUID, body: PermitRenewalCreate, runtime: RuntimeDep, principal: CaseViewer,
    response: Response,
) -> PermitApplicationRead:
    row = await handlers.renew_permit(runtime, application_id=application_id, data=body, principal=principal)
    response.headers["Location"] = f"/permits/v1/permit-applications/{row['id']}"
    return _reply(response, row)
