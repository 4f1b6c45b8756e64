"""REST routes of applications under /intake/v1/applications (R-APPLY, R-FORMAL)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from services.intake.applications import handlers, queries
from services.intake.applications.domain import State
from services.intake.applications.fast_paths import reply
from services.intake.applications.schemas import (
    ApplicationCreate, ApplicationPatch, ApplicationRead, ApplicationSummary, FormalReviewCreate, HistoryEntryRead,
    PreliminaryReviewCreate, RecommendationCreate, RecommendationRead,
)
from shared.api import ETAG, LOCATION, CurrentPrincipal, RuntimeDep, documented, if_match, role_dependency
from shared.auth import Role
from shared.schemas import Page

router = APIRouter(prefix="/intake/v1/applications", tags=["applications"])

Employer = role_dependency(Role.employer)
PreliminaryReviewer = role_dependency(Role.preliminary_reviewer)
OfficerOnly = role_dependency(Role.bureau_officer)
"""The formal review is the bureau officer's (an administrator as such does not perform it)."""
IfMatchApplication = if_match("application", any_version=False)
"""An edit names the version it was made on: ``*`` is refused (422) like any value not an ETag of ours."""

STATE_CONFLICT = {409: {"description": "Refused in the application's current state (named in `current_state`)"}}


@router.post("", status_code=201, summary="Draft an application (R-APPLY)",
             response_model=ApplicationRead,
             responses={422: {"description": "A field is malformed, or the catalogue entry unknown"},
                        **documented(201, LOCATION, ETAG)})
async def create_application(body: ApplicationCreate, runtime: RuntimeDep, principal: Employer) -> Response:
    application = await handlers.create_application(runtime, data=body, principal=principal)
    return reply(application, status_code=201, location=f"/intake/v1/applications/{application.id}")


@router.get("", summary="Applications the caller may see, oldest first",
            description="An employer its own; a preliminary reviewer those submitted to it; "
                        "bureau officers all.")
async def list_applications(
    runtime: RuntimeDep,
    principal: CurrentPrincipal,
    state: State | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[ApplicationSummary]:
    rows, next_cursor = await queries.list_applications(runtime, principal=principal, state=state, cursor=cursor,
                                                        limit=limit)
    items = [ApplicationSummary.model_validate({**r._mapping, "possible_duplicate": duplicate}) for r, duplicate in rows]
    return Page[ApplicationSummary](items=items, next_cursor=next_cursor)


@router.get("/{application_id}", summary="One application (the ETag carries its version)",
            response_model=ApplicationRead, responses=documented(200, ETAG))
async def get_application(application_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal) -> Response:
    application = await queries.get_application(runtime, application_id=application_id, principal=principal)
    return reply(application)


@router.patch(
    "/{application_id}", summary="Edit a draft or a returned application (If-Match required)",
    responses={**STATE_CONFLICT, 412: {"description": "If-Match does not match the current version"},
               428: {"description": "If-Match is missing"}, **documented(200, ETAG)},
    response_model=ApplicationRead,
)
async def patch_application(
    application_id: uuid.UUID, body: ApplicationPatch, runtime: RuntimeDep, principal: Employer,
    expected: IfMatchApplication,
) -> Response:
    application = await handlers.patch_application(
        runtime, application_id=application_id, data=body, expected_version=expected.version, principal=principal,
    )
    return reply(application)


@router.post("/{application_id}/recommendations", status_code=201,
             summary="Add a peer-expert recommendation (R-APPLY)", responses=STATE_CONFLICT)
async def add_recommendation(
    application_id: uuid.UUID, body: RecommendationCreate, runtime: RuntimeDep, principal: Employer
) -> RecommendationRead:
    return await handlers.add_recommendation(runtime, application_id=application_id, data=body, principal=principal)


@router.post(
    "/{application_id}/submit", summary="Submit to the preliminary reviewer (district HR bureau or competent department)",
    responses={**STATE_CONFLICT, 422: {"description": "No recommendation, or the catalogue entry is withdrawn, "
                                                     "expired or not yet valid (R-CATALOGUE)"}, **documented(200, ETAG)},
    response_model=ApplicationRead,
)
async def submit_application(application_id: uuid.UUID, runtime: RuntimeDep, principal: Employer) -> Response:
    application = await handlers.submit_application(runtime, application_id=application_id, principal=principal)
    return reply(application)


@router.post("/{application_id}/preliminary-review",
             summary="Preliminary review (初审): pass, return for correction, or reject, with a reason",
             responses={**STATE_CONFLICT, **documented(200, ETAG)}, response_model=ApplicationRead)
async def preliminary_review(
    application_id: uuid.UUID, body: PreliminaryReviewCreate, runtime: RuntimeDep, principal: PreliminaryReviewer,
) -> Response:
    application = await handlers.preliminary_review(runtime, application_id=application_id, data=body,
                                                    principal=principal)
    return reply(application)


@router.post("/{application_id}/formal-review",
             summary="The bureau's formal review (形式审查, R-FORMAL) with its completeness checklist",
             responses={**STATE_CONFLICT, **documented(200, ETAG)}, response_model=ApplicationRead)
async def formal_review(
    application_id: uuid.UUID, body: FormalReviewCreate, runtime: RuntimeDep, principal: OfficerOnly,
) -> Response:
    application = await handlers.formal_review(runtime, application_id=application_id, data=body, principal=principal)
    return reply(application)


@router.get("/{application_id}/history", summary="Every step of the application: who, when, what")
async def application_history(
    application_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal
) -> list[HistoryEntryRead]:
    return await queries.history_of(runtime, application_id=application_id, principal=principal)
