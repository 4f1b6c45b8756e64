"""REST routes of the expert database and the public job-seeking profiles (R-PLATFORM (1), (2))."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services.directory import platform_handlers, queries, worldmap
from services.directory.experts import REGISTERED, SELECTED
from services.directory.platform_schemas import (
    CountryCode, ExpertCreate, ExpertPublic, ExpertRead, FieldCode, FocusAreaCode, JobSeekingUpdate, MapSummary,
)
from shared.api import CurrentPrincipal, Officer, RuntimeDep, authenticate
from shared.auth import Principal, Role
from shared.errors import Forbidden
from shared.passports import PassportVault
from shared.schemas import Page

router = APIRouter(prefix="/directory/v1", tags=["experts"])
Limit = Annotated[int, Query(ge=1, le=200)]
_bearer = HTTPBearer(auto_error=False, description="OAuth2 access token (JWT, typ at+jwt); optional on public pages")


async def optional_principal(
    runtime: RuntimeDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal | None:
    """The caller if a token came (and it must then be valid), None for an anonymous caller of a public page."""
    if credentials is None:
        return None
    return authenticate(runtime, credentials)


MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]


def _vault(runtime) -> PassportVault:
    """The directory's passport key ring (DIRECTORY_PASSPORT_*, shared/passports.py)."""
    return runtime.settings.passport_vault()


def require_self_or_officer(principal: Principal, expert_id: uuid.UUID) -> None:
    if principal.has_any(Role.bureau_officer, Role.admin):
        return
    if principal.has_any(Role.expert) and principal.subject == str(expert_id):
        return
    raise Forbidden("only the expert him- or herself or a bureau officer may do this")


class ExpertStatus(StrEnum):
    selected = SELECTED
    registered = REGISTERED


@router.post("/experts", status_code=201, summary="Register an expert in the expert database (R-PLATFORM (1))")
async def register_expert(body: ExpertCreate, runtime: RuntimeDep, officer: Officer, response: Response) -> ExpertRead:
    expert_id = await platform_handlers.register_expert(runtime, data=body)
    response.headers["Location"] = f"/directory/v1/experts/{expert_id}"
    async with runtime.db.session() as session:
        return await queries.get_expert(session, expert_id, principal=officer, vault=_vault(runtime))


@router.get("/experts", summary="Search the expert records the caller may read: field, focus area, nationality, "
            "language, status, full text")
async def search_experts(
    runtime: RuntimeDep,
    principal: CurrentPrincipal,
    q: Annotated[str | None, Query(max_length=200, description="full text: every word must match")] = None,
    field: FieldCode | None = None,
    focus_area: FocusAreaCode | None = None,
    nationality: CountryCode | None = None,
    language: Annotated[str | None, Query(max_length=3)] = None,
    skill: Annotated[str | None, Query(max_length=60)] = None,
    status: ExpertStatus | None = None,
    benefits_revoked: bool | None = None,
    seeking: bool | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> Page[ExpertRead]:
    async with runtime.db.session() as session:
        items, next_cursor = await queries.search_experts(
            session, principal=principal, vault=_vault(runtime), q=q, field=field, focus_area=focus_area,
            nationality=nationality,
            language=language, skill=skill, status=status.value if status else None,
            benefits_revoked=benefits_revoked, seeking=seeking, cursor=cursor, limit=limit,
        )
    return Page[ExpertRead](items=items, next_cursor=next_cursor)


@router.get("/experts/{expert_id}", summary="One expert, for officers, the expert and an employer with a live relation "
            "(404 for anyone else); passport number and salary only for officers and the expert")
async def get_expert(expert_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal) -> ExpertRead:
    async with runtime.db.session() as session:
        return await queries.get_expert(session, expert_id, principal=principal, vault=_vault(runtime))


@router.put("/experts/{expert_id}/job-seeking", summary="The expert's job-seeking profile (R-PLATFORM (2))")
async def update_job_seeking(
    expert_id: uuid.UUID, body: JobSeekingUpdate, runtime: RuntimeDep, principal: CurrentPrincipal
) -> ExpertRead:
    require_self_or_officer(principal, expert_id)
    await platform_handlers.update_job_seeking(runtime, expert_id=expert_id, data=body)
    async with runtime.db.session() as session:
        return await queries.get_expert(session, expert_id, principal=principal, vault=_vault(runtime))


@router.get("/job-seekers", summary="Public: experts' job-seeking profiles (R-PLATFORM (2))")
async def list_job_seekers(
    runtime: RuntimeDep,
    field: FieldCode | None = None,
    language: Annotated[str | None, Query(max_length=3)] = None,
    skill: Annotated[str | None, Query(max_length=60)] = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> Page[ExpertPublic]:
    async with runtime.db.session() as session:
        items, next_cursor = await queries.job_seekers(
            session, field=field, language=language, skill=skill, cursor=cursor, limit=limit
        )
    return Page[ExpertPublic](items=items, next_cursor=next_cursor)
map_router = APIRouter(prefix="/directory/v1/map", tags=["map"])


async def _distribution(runtime, field: str | None, focus_area: str | None):
    async with runtime.db.session() as session:
        return await queries.distribution(session, field=field, focus_area=focus_area)


@map_router.get("/summary", summary="Public: experts counted by country, world region and field (R-PLATFORM (1))")
async def map_summary(runtime: RuntimeDep, field: FieldCode | None = None, focus_area: FocusAreaCode | None = None) -> MapSummary:
    by_country, by_field = await _distribution(runtime, field, focus_area)
    return MapSummary.model_validate(worldmap.summary(by_country, by_field))


@map_router.get("/countries.geojson", summary="Public: the distribution as GeoJSON, country shapes or points",
                response_class=JSONResponse, responses={200: {"content": {"application/geo+json": {}}}})
async def map_geojson(
    runtime: RuntimeDep, field: FieldCode | None = None, focus_area: FocusAreaCode | None = None,
    shape: Annotated[Literal["polygons", "points"], Query()] = "polygons",
) -> JSONResponse:
    by_country, _ = await _distribution(runtime, field, focus_area)
    return JSONResponse(worldmap.geojson(by_country, points=shape == "points"), media_type="application/geo+json")


@map_router.get("/world.svg", summary="Public: a world choropleth of experts by nationality (SVG)",
                response_class=Response, responses={200: {"content": {"image/svg+xml": {}}}})
async def map_svg(runtime: RuntimeDep, field: FieldCode | None = None, focus_area: FocusAreaCode | None = None) -> Response:
    by_country, _ = await _distribution(runtime, field, focus_area)
    title = "Foreign experts by nationality" + (f" — field {field}" if field else "")
    return Response(worldmap.svg(by_country, title=title), media_type="image/svg+xml")


ROUTERS = [router, map_router]
