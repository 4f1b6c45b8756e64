"""REST routes of the selection committee under /review/v1 (R-COMMITTEE): roster, cases, sittings, decisions."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from services.review.committee import handlers, queries
from services.review.committee.domain import CaseState
from services.review.committee.schemas import (
    ActRead, Attendance, CaseSheetRead, CommitteeCaseRead, ConflictDeclaration, DecisionRead, DecisionRequest,
    MemberCreate, MemberRead, ScoreSheet, SittingCreate, SittingRead, SittingSummaryRead, Vote,
)
from shared import clock
from shared.api import LOCATION, CurrentPrincipal, Officer, RuntimeDep, documented
from shared.schemas import Page

router = APIRouter(prefix="/review/v1", tags=["review"])

_CONFLICT = {409: {"description": "Refused transition: the problem names the current `state`"}}
_NOT_YOURS = {403: {"description": "Not a committee member or officer"},
              404: {"description": "No such object, or not one of the caller's sittings"}}


@router.post("/committee-members", status_code=201, summary="Put a member on the committee roster (R-COMMITTEE)",
             responses={409: {"description": "The subject is already on the roster"}})
async def add_member(body: MemberCreate, runtime: RuntimeDep, _: Officer) -> MemberRead:
    member_id = await handlers.add_member(runtime, subject=body.subject, name=body.name, seat_type=body.seat_type)
    return MemberRead.of(await queries.member(runtime, member_id))


@router.get("/committee-members", summary="The committee roster")
async def list_members(runtime: RuntimeDep, _: Officer) -> list[MemberRead]:
    return [MemberRead.of(r) for r in await queries.list_members(runtime)]


@router.get("/committee-members/me", summary="The roster's entry of the calling committee member",
            responses={403: {"description": "Not a committee member on the roster"}})
async def get_me(runtime: RuntimeDep, principal: CurrentPrincipal) -> MemberRead:
    return MemberRead.of(await queries.me(runtime, principal))


@router.get("/sittings", summary="Sittings, latest first: every one for officers, a member's own for a member",
            responses={403: {"description": "Neither an officer nor a committee member on the roster"}})
async def list_sittings(
    runtime: RuntimeDep,
    principal: CurrentPrincipal,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[SittingSummaryRead]:
    rows, next_cursor = await queries.list_sittings(runtime, principal, cursor=cursor, limit=limit)
    return Page[SittingSummaryRead](items=[SittingSummaryRead.of(r) for r in rows], next_cursor=next_cursor)


@router.get("/cases", summary="Cases from passed formal reviews, by state (default: awaiting a sitting), oldest first")
async def list_cases(
    runtime: RuntimeDep,
    _: Officer,
    state: CaseState = CaseState.awaiting_sitting,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[CommitteeCaseRead]:
    rows, next_cursor = await queries.list_cases(runtime, state=state, cursor=cursor, limit=limit)
    return Page[CommitteeCaseRead](items=[CommitteeCaseRead.of(r) for r in rows], next_cursor=next_cursor)


@router.get("/cases/{application_id}", summary="One case", responses=_NOT_YOURS)
async def get_case(application_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal) -> CommitteeCaseRead:
    return CommitteeCaseRead.of(await queries.case_for(runtime, principal, application_id))


@router.post("/sittings", status_code=201, summary="Convene a sitting with its members and agenda",
             responses={**_CONFLICT, 422: {"description": "An unknown member or a case not from a passed formal review"},
                        **documented(201, LOCATION)})
async def create_sitting(body: SittingCreate, runtime: RuntimeDep, principal: Officer, response: Response) -> SittingRead:
    sitting_id = await handlers.create_sitting(runtime, body, actor=principal.subject)
    response.headers["Location"] = f"/review/v1/sittings/{sitting_id}"
    return SittingRead.of(await queries.read_sitting(runtime, principal, sitting_id))


@router.get("/sittings/{sitting_id}", summary="A sitting: members, attendance, agenda", responses=_NOT_YOURS)
async def get_sitting(sitting_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal) -> SittingRead:
    return SittingRead.of(await queries.read_sitting(runtime, principal, sitting_id))


@router.post("/sittings/{sitting_id}/attendance", summary="Record who is present (R-COMMITTEE: every seat type)",
             responses={**_CONFLICT, 404: {"description": "No such sitting"}})
async def record_attendance(sitting_id: uuid.UUID, body: Attendance, runtime: RuntimeDep, _: Officer) -> SittingRead:
    await handlers.record_attendance(runtime, sitting_id, body.present_member_ids)
    return SittingRead.of(await queries.sitting(runtime, sitting_id))


@router.get("/sittings/{sitting_id}/cases/{application_id}", summary="A case at a sitting: recusals, scores, votes",
            responses=_NOT_YOURS)
async def get_case_sheet(sitting_id: uuid.UUID, application_id: uuid.UUID, runtime: RuntimeDep,
                         principal: CurrentPrincipal) -> CaseSheetRead:
    return CaseSheetRead(**await queries.case_sheet(runtime, principal, sitting_id, application_id))


def _act(kind, sitting_id, application_id, member) -> ActRead:
    return ActRead(sitting_id=sitting_id, application_id=application_id, member_id=member.id, kind=kind,
                   recorded_at=clock.now())


@router.post("/sittings/{sitting_id}/cases/{application_id}/conflicts", status_code=201,
             summary="Declare one's own conflict of interest: no score, no vote on the case (R-COMMITTEE)",
             responses={**_CONFLICT, **_NOT_YOURS})
async def declare_conflict(sitting_id: uuid.UUID, application_id: uuid.UUID, body: ConflictDeclaration,
                           runtime: RuntimeDep, principal: CurrentPrincipal) -> ActRead:
    member = await handlers.declare_conflict(runtime, principal, sitting_id, application_id, body.reason)
    return _act("conflict", sitting_id, application_id, member)


@router.post("/sittings/{sitting_id}/cases/{application_id}/scores", status_code=201,
             summary="Score the R-ELIG criteria, 0-10 each", responses={**_CONFLICT, **_NOT_YOURS})
async def record_score(sitting_id: uuid.UUID, application_id: uuid.UUID, body: ScoreSheet,
                       runtime: RuntimeDep, principal: CurrentPrincipal) -> ActRead:
    member = await handlers.record_score(runtime, principal, sitting_id, application_id, body)
    return _act("score", sitting_id, application_id, member)


@router.post("/sittings/{sitting_id}/cases/{application_id}/votes", status_code=201,
             summary="Vote on the case, after scoring it", responses={**_CONFLICT, **_NOT_YOURS})
async def record_vote(sitting_id: uuid.UUID, application_id: uuid.UUID, body: Vote,
                      runtime: RuntimeDep, principal: CurrentPrincipal) -> ActRead:
    member = await handlers.record_vote(runtime, principal, sitting_id, application_id, body.approve)
    return _act("vote", sitting_id, application_id, member)


@router.post(
    "/sittings/{sitting_id}/cases/{application_id}/decision", status_code=201,
    summary="Decide the case: majority of the non-recused members, funding plan quoted by subsidy",
    description=(
        "Needs the attendance with every seat type present and a vote from every present, non-recused member "
        "(R-COMMITTEE); approval is a majority of the non-recused members. An approval asks subsidy for a quote "
        "(`POST /subsidy/v1/quotes`) before the decision is recorded; when subsidy does not answer in time the "
        "plan is marked `to_be_quoted` and the decision records all the same. Emits ApplicationApproved or "
        "ApplicationDeclined. A decision is final: a second one is 409."
    ),
    responses={**_CONFLICT, 404: {"description": "No such sitting, or the case is not on its agenda"},
               422: {"description": "Bad input, or a cap exception on a track without the 200,000 cap"}, **documented(201, LOCATION)},
)
async def decide(sitting_id: uuid.UUID, application_id: uuid.UUID, body: DecisionRequest,
                 runtime: RuntimeDep, principal: Officer, response: Response) -> DecisionRead:
    await handlers.decide(runtime, principal, sitting_id, application_id, body.cap_exception)
    response.headers["Location"] = f"/review/v1/decisions/{application_id}"
    return DecisionRead.of(await queries.decision_of(runtime, principal, application_id))


@router.post(
    "/decisions/{application_id}/funding-plan/quote",
    summary="Quote a funding plan recorded `to_be_quoted`: ask subsidy again (R-COMMITTEE)",
    description=(
        "For an approval whose plan was marked `to_be_quoted` because subsidy did not answer in time: asks "
        "`POST /subsidy/v1/quotes` again with the decision's inputs and records the plan on the decision (with "
        "`quoted_at` and `quoted_by`). A quoted plan is never quoted again (409, `state: quoted`); a declined "
        "case has no plan (409); subsidy still not answering leaves the plan as it was (503). The "
        "ApplicationApproved already announced is not sent again: entitlements do not depend on the plan."
    ),
    responses={**_CONFLICT, 404: {"description": "No decision on this application"},
               503: {"description": "Subsidy did not answer the quote in time; the plan stays to be quoted"}},
)
async def quote_funding_plan(application_id: uuid.UUID, runtime: RuntimeDep,
                             principal: Officer) -> DecisionRead:
    await handlers.requote_funding_plan(runtime, principal, application_id)
    return DecisionRead.of(await queries.decision_of(runtime, principal, application_id))


@router.get("/decisions/{application_id}", summary="The committee's decision on an application", responses=_NOT_YOURS)
async def get_decision(application_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal) -> DecisionRead:
    return DecisionRead.of(await queries.decision_of(runtime, principal, application_id))
