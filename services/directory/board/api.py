"""REST routes of the information platform: postings, matching, matchmaking events (R-PLATFORM (2)-(4))."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from services.directory.board import handlers, queries
from services.directory.board.domain import PostingStatus, require_posting_owner
from services.directory.board.schemas import (
    MatchmakingEventCreate, MatchmakingEventRead, PostingCreate, PostingRead, RegistrationRead,
)
from services.directory.catalogue.taxonomy import FieldCode, FocusAreaCode
from services.directory.experts.domain import require_self_or_officer
from services.directory.matching import queries as matching
from services.directory.matching.schemas import CandidateMatch, PostingMatch
from shared.api import LOCATION, CurrentPrincipal, Officer, RuntimeDep, documented
from shared.auth import Role
from shared.errors import Forbidden, Unprocessable
from shared.schemas import Page

router = APIRouter(prefix="/directory/v1", tags=["job board"])
Limit = Annotated[int, Query(ge=1, le=200)]
MatchLimit = Annotated[int, Query(ge=1, le=100)]


@router.post("/postings", status_code=201, summary="Post an employer's demand (R-PLATFORM (2))",
             responses=documented(201, LOCATION))
async def create_posting(body: PostingCreate, runtime: RuntimeDep, principal: CurrentPrincipal,
                         response: Response) -> PostingRead:
    if principal.is_officer:
        if body.employer_id is None:
            raise Unprocessable("an officer posting for an employer names it", field="employer_id",
                                errors=[{"field": "employer_id", "message": "required for an officer",
                                         "type": "missing"}])
        employer_id = body.employer_id
    elif principal.has_any(Role.employer) and principal.organisation:
        if body.employer_id is not None and str(body.employer_id) != principal.organisation:
            raise Forbidden("an employer posts only for itself")
        employer_id = uuid.UUID(principal.organisation)
    else:
        raise Forbidden("only employers and bureau officers post demand")
    posting_id = await handlers.create_posting(runtime, data=body, employer_id=employer_id, actor=principal.subject)
    response.headers["Location"] = f"/directory/v1/postings/{posting_id}"
    async with runtime.db.session() as session:
        return await queries.get_posting(session, posting_id)


@router.get("/postings", summary="Public: employers' demand postings, open ones by default")
async def list_postings(
    runtime: RuntimeDep,
    status: PostingStatus = PostingStatus.open,
    field: FieldCode | None = None,
    focus_area: FocusAreaCode | None = None,
    employer_id: uuid.UUID | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> Page[PostingRead]:
    async with runtime.db.session() as session:
        items, next_cursor = await queries.list_postings(
            session, status=status.value, field=field, focus_area=focus_area, employer_id=employer_id,
            cursor=cursor, limit=limit,
        )
    return Page[PostingRead](items=items, next_cursor=next_cursor)


@router.get("/postings/{posting_id}", summary="Public: one posting")
async def get_posting(posting_id: uuid.UUID, runtime: RuntimeDep) -> PostingRead:
    async with runtime.db.session() as session:
        return await queries.get_posting(session, posting_id)


@router.post("/postings/{posting_id}/close", summary="Close a posting (its employer or an officer)")
async def close_posting(posting_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal) -> PostingRead:
    await handlers.close_posting(runtime, posting_id=posting_id, principal=principal)
    return await get_posting(posting_id, runtime)


@router.get("/postings/{posting_id}/candidates",
            summary="Candidates ranked for a posting, each score explained (its employer or an officer)")
async def posting_candidates(posting_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal,
                             limit: MatchLimit = 10) -> list[CandidateMatch]:
    async with runtime.db.session() as session:
        posting = await queries.get_posting_row(session, posting_id)
        require_posting_owner(principal, posting)
        return await matching.candidates_for_posting(session, posting, limit=limit)


@router.get("/experts/{expert_id}/matching-postings",
            summary="Open postings ranked for an expert, each score explained (the expert or an officer)")
async def expert_postings(expert_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal,
                          limit: MatchLimit = 10) -> list[PostingMatch]:
    require_self_or_officer(principal, expert_id)
    async with runtime.db.session() as session:
        return await matching.postings_for_expert(session, expert_id, limit=limit)


@router.post("/matchmaking-events", status_code=201, summary="Announce a project matchmaking event (R-PLATFORM (4))",
             responses=documented(201, LOCATION))
async def create_event(body: MatchmakingEventCreate, runtime: RuntimeDep, _: Officer,
                       response: Response) -> MatchmakingEventRead:
    event_id = await handlers.create_event(runtime, data=body)
    response.headers["Location"] = f"/directory/v1/matchmaking-events/{event_id}"
    async with runtime.db.session() as session:
        return await queries.get_event(session, event_id)


@router.get("/matchmaking-events", summary="Public: matchmaking events by date")
async def list_events(runtime: RuntimeDep, cursor: str | None = None,
                      limit: Limit = 50) -> Page[MatchmakingEventRead]:
    async with runtime.db.session() as session:
        items, next_cursor = await queries.list_events(session, cursor=cursor, limit=limit)
    return Page[MatchmakingEventRead](items=items, next_cursor=next_cursor)


@router.get("/matchmaking-events/{event_id}", summary="Public: one matchmaking event")
async def get_event(event_id: uuid.UUID, runtime: RuntimeDep) -> MatchmakingEventRead:
    async with runtime.db.session() as session:
        return await queries.get_event(session, event_id)


@router.post("/matchmaking-events/{event_id}/registrations", status_code=201,
             summary="Register for an event: an expert for him- or herself, an employer for itself")
async def register_for_event(event_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal) -> RegistrationRead:
    if principal.has_any(Role.expert):
        kind, registrant = "expert", principal.subject
    elif principal.has_any(Role.employer) and principal.organisation:
        kind, registrant = "employer", principal.organisation
    else:
        raise Forbidden("experts and employers register for matchmaking events")
    row = await handlers.register_for_event(runtime, event_id=event_id, kind=kind, registrant=registrant)
    return RegistrationRead.model_validate(row)


@router.get("/matchmaking-events/{event_id}/registrations", summary="An event's registrations (officers)")
async def list_registrations(event_id: uuid.UUID, runtime: RuntimeDep, _: Officer) -> list[RegistrationRead]:
    async with runtime.db.session() as session:
        return await queries.list_registrations(session, event_id)
