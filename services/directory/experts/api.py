"""REST routes of the expert database and the public job-seeking profiles (R-PLATFORM (1), (2))."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from services.directory.catalogue.taxonomy import FieldCode, FocusAreaCode
from services.directory.experts import handlers, queries
from services.directory.experts.domain import ExpertStatus, require_self_or_officer
from services.directory.experts.schemas import CountryCode, ExpertCreate, ExpertPublic, ExpertRead, JobSeekingUpdate
from shared.api import LOCATION, CurrentPrincipal, Officer, RuntimeDep, documented
from shared.passports import PassportVault
from shared.schemas import Page

router = APIRouter(prefix="/directory/v1", tags=["experts"])
Limit = Annotated[int, Query(ge=1, le=200)]


def _vault(runtime) -> PassportVault:
    """The directory's passport key ring (DIRECTORY_PASSPORT_*, shared/passports.py)."""
    return runtime.settings.passport_vault()


@router.post("/experts", status_code=201, summary="Register an expert in the expert database (R-PLATFORM (1))",
             responses=documented(201, LOCATION))
async def register_expert(body: ExpertCreate, runtime: RuntimeDep, officer: Officer, response: Response) -> ExpertRead:
    expert_id = await handlers.register_expert(runtime, data=body)
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
    await handlers.update_job_seeking(runtime, expert_id=expert_id, data=body)
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
