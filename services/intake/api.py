"""REST routes of the intake service under /intake/v1."""

from __future__ import annotations

import uuid
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Header, Query, Response

from services.intake import handlers
from services.intake.domain import State
from services.intake.models import applications, employer_replica
from services.intake.schemas import (
    ApplicationCreate, ApplicationPatch, ApplicationRead, ApplicationSummary, FormalReviewCreate, HistoryEntryRead,
    PreliminaryReviewCreate, RecommendationCreate, RecommendationRead, ReplicatedEmployerRead,
)
from shared.api import CurrentPrincipal, Officer, RuntimeDep, role_dependency
from shared.auth import Role
from shared.errors import NotFound, Unprocessable
from shared.schemas import Page, after_position, decode_cursor, encode_cursor, position_cursor

router = APIRouter(prefix="/intake/v1", tags=["employers"])
applications_router = APIRouter(prefix="/intake/v1/applications", tags=["applications"])

Employer = role_dependency(Role.employer)
PreliminaryReviewer = role_dependency(Role.preliminary_reviewer)
OfficerOnly = role_dependency(Role.bureau_officer)

STATE_CONFLICT = {409: {"description": "Refused in the application's current state (named in `current_state`)"}}


@router.get("/employers", summary="Intake's replica of the employer registry")
async def list_replicated_employers(
    runtime: RuntimeDep,
    _: Officer,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[ReplicatedEmployerRead]:
    query = sa.select(employer_replica).order_by(employer_replica.c.employer_id).limit(limit + 1)
    after = decode_cursor(cursor)
    if after:
        query = query.where(employer_replica.c.employer_id > uuid.UUID(after["id"]))
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    items = [ReplicatedEmployerRead.model_validate(r._mapping) for r in rows[:limit]]
    next_cursor = encode_cursor({"id": str(items[-1].employer_id)}) if len(rows) > limit else None
    return Page[ReplicatedEmployerRead](items=items, next_cursor=next_cursor)


@router.get("/employers/{employer_id}", summary="One replicated employer")
async def get_replicated_employer(
    employer_id: uuid.UUID, runtime: RuntimeDep, _: Officer
) -> ReplicatedEmployerRead:
    async with runtime.db.session() as session:
        row = (
            await session.execute(sa.select(employer_replica).where(employer_replica.c.employer_id == employer_id))
        ).first()
    if row is None:
        raise NotFound(f"employer {employer_id} has not reached intake")
    return ReplicatedEmployerRead.model_validate(row._mapping)


# -- applications (R-APPLY, R-FORMAL) ----------------------------------------------------------------

def _etag(version: int) -> str:
    return f'"{version}"'


def _if_match_version(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    try:
        return int(if_match.strip().removeprefix("W/").strip('"'))
    except ValueError as exc:
        raise Unprocessable("If-Match is the ETag of the application as read", field="If-Match") from exc


def _reply(application: ApplicationRead, *, status_code: int = 200, location: str | None = None) -> Response:
    """The application as JSON, its version as the ETag, never cached (it may carry a passport number).

    Answered as a ready ``Response`` (FastAPI passes it through; ``response_model`` still documents it): the
    handler built the model from the row, and validating it a second time on the way out is work for
    nothing on every read and write of an application."""
    headers = {"ETag": _etag(application.version), "Cache-Control": "no-store"}
    if location is not None:
        headers["Location"] = location
    return Response(application.model_dump_json(), status_code=status_code, media_type="application/json",
                    headers=headers)


@applications_router.post("", status_code=201, summary="Draft an application (R-APPLY)",
                          response_model=ApplicationRead,
                          responses={422: {"description": "A field is malformed, or the catalogue entry unknown"}})
async def create_application(body: ApplicationCreate, runtime: RuntimeDep, principal: Employer) -> Response:
    application = await handlers.create_application(runtime, data=body, principal=principal)
    return _reply(application, status_code=201, location=f"/intake/v1/applications/{application.id}")


@applications_router.get("", summary="Applications the caller may see, oldest first",
                         description="An employer its own; a preliminary reviewer those submitted to it; "
                                     "bureau officers all.")
async def list_applications(
    runtime: RuntimeDep,
    principal: CurrentPrincipal,
    state: State | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[ApplicationSummary]:
    query = sa.select(applications).order_by(applications.c.created_at, applications.c.id).limit(limit + 1)
    reviewer = principal.has_any(Role.bureau_officer, Role.admin)
    if reviewer:
        pass
    elif principal.has_any(Role.employer) and principal.organisation:
        try:
            query = query.where(applications.c.employer_id == uuid.UUID(principal.organisation))
        except ValueError:
            query = query.where(sa.false())
    elif principal.has_any(Role.preliminary_reviewer) and principal.organisation:
        reviewer = True
        query = query.where(applications.c.preliminary_reviewer == principal.organisation)
    else:
        query = query.where(sa.false())
    if state is not None:
        query = query.where(applications.c.state == state.value)
    after = after_position(cursor, applications.c.created_at, applications.c.id)
    if after is not None:
        query = query.where(after)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
        flags = await handlers.duplicate_flags(session, rows[:limit]) if reviewer else {}
    items = [ApplicationSummary.model_validate({**r._mapping, "possible_duplicate": flags.get(r.id)})
             for r in rows[:limit]]
    next_cursor = position_cursor(items[-1].created_at, items[-1].id) if len(rows) > limit else None
    return Page[ApplicationSummary](items=items, next_cursor=next_cursor)


@applications_router.get("/{application_id}", summary="One application (the ETag carries its version)",
                         response_model=ApplicationRead)
async def get_application(application_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal) -> Response:
    application = await handlers.get_application(runtime, application_id=application_id, principal=principal)
    return _reply(application)


@applications_router.patch(
    "/{application_id}", summary="Edit a draft or a returned application (If-Match required)",
    responses={**STATE_CONFLICT, 412: {"description": "If-Match does not match the current version"},
               428: {"description": "If-Match is missing"}},
    response_model=ApplicationRead,
)
async def patch_application(
    application_id: uuid.UUID, body: ApplicationPatch, runtime: RuntimeDep, principal: Employer,
    if_match: Annotated[str | None, Header()] = None,
) -> Response:
    application = await handlers.patch_application(
        runtime, application_id=application_id, data=body, expected_version=_if_match_version(if_match),
        principal=principal,
    )
    return _reply(application)


@applications_router.post("/{application_id}/recommendations", status_code=201,
                          summary="Add a peer-expert recommendation (R-APPLY)", responses=STATE_CONFLICT)
async def add_recommendation(
    application_id: uuid.UUID, body: RecommendationCreate, runtime: RuntimeDep, principal: Employer
) -> RecommendationRead:
    return await handlers.add_recommendation(runtime, application_id=application_id, data=body, principal=principal)


@applications_router.post(
    "/{application_id}/submit", summary="Submit to the preliminary reviewer (district HR bureau or competent department)",
    responses={**STATE_CONFLICT, 422: {"description": "No recommendation, or the catalogue entry is withdrawn, "
                                                     "expired or not yet valid (R-CATALOGUE)"}},
    response_model=ApplicationRead,
)
async def submit_application(application_id: uuid.UUID, runtime: RuntimeDep, principal: Employer) -> Response:
    application = await handlers.submit_application(runtime, application_id=application_id, principal=principal)
    return _reply(application)


@applications_router.post("/{application_id}/preliminary-review",
                          summary="Preliminary review (初审): pass, return for correction, or reject, with a reason",
                          responses=STATE_CONFLICT, response_model=ApplicationRead)
async def preliminary_review(
    application_id: uuid.UUID, body: PreliminaryReviewCreate, runtime: RuntimeDep, principal: PreliminaryReviewer,
) -> Response:
    application = await handlers.preliminary_review(runtime, application_id=application_id, data=body,
                                                    principal=principal)
    return _reply(application)


@applications_router.post("/{application_id}/formal-review",
                          summary="The bureau's formal review (形式审查, R-FORMAL) with its completeness checklist",
                          responses=STATE_CONFLICT, response_model=ApplicationRead)
async def formal_review(
    application_id: uuid.UUID, body: FormalReviewCreate, runtime: RuntimeDep, principal: OfficerOnly,
) -> Response:
    application = await handlers.formal_review(runtime, application_id=application_id, data=body, principal=principal)
    return _reply(application)


@applications_router.get("/{application_id}/history", summary="Every step of the application: who, when, what")
async def application_history(
    application_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal
) -> list[HistoryEntryRead]:
    return await handlers.history_of(runtime, application_id=application_id, principal=principal)
