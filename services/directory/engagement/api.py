"""REST routes of policy notices, award nominations (R-AWARD), consultations (R-PLATFORM (5)) and settlement services (R-SETTLE)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from services.directory.engagement import handlers as commands
from services.directory.engagement import queries
from services.directory.engagement.domain import ConsultationStatus, GuideTopic, NominationStatus, tally
from services.directory.engagement.schemas import (
    ConsultationCreate, ConsultationRead, ConsultationResponseCreate, ConsultationResults, CourseCreate, CourseRead,
    EnrolmentCreate, EnrolmentRead, GuideSectionCreate, GuideSectionRead, NominationCreate, NominationDecision,
    NominationRead, NoticeCreate, NoticeRead,
)
from services.directory.experts.domain import require_self_or_officer
from shared.api import LOCATION, CurrentPrincipal, Officer, RuntimeDep, documented
from shared.auth import Role
from shared.errors import Forbidden, NotFound, Unprocessable
from shared.schemas import Page

router = APIRouter(prefix="/directory/v1", tags=["services"])
Limit = Annotated[int, Query(ge=1, le=200)]


@router.post("/notices", status_code=201, summary="Publish a policy notice (R-PLATFORM (2))",
             responses=documented(201, LOCATION))
async def publish_notice(body: NoticeCreate, runtime: RuntimeDep, officer: Officer, response: Response) -> NoticeRead:
    row = await commands.publish_notice(runtime, data=body, actor=officer.subject)
    response.headers["Location"] = f"/directory/v1/notices/{row['id']}"
    return NoticeRead.model_validate(row)


@router.get("/notices", summary="Public: policy notices, newest first")
async def list_notices(runtime: RuntimeDep, cursor: str | None = None, limit: Limit = 50) -> Page[NoticeRead]:
    async with runtime.db.session() as session:
        items, next_cursor = await queries.list_notices(session, cursor=cursor, limit=limit)
    return Page[NoticeRead](items=items, next_cursor=next_cursor)


@router.get("/notices/{notice_id}", summary="Public: one notice")
async def get_notice(notice_id: uuid.UUID, runtime: RuntimeDep) -> NoticeRead:
    async with runtime.db.session() as session:
        return await queries.get_notice(session, notice_id)


@router.post("/award-nominations", status_code=201,
             summary="Nominate an expert for an award (R-AWARD): an officer, or the expert's employer",
             responses=documented(201, LOCATION))
async def nominate(body: NominationCreate, runtime: RuntimeDep, principal: CurrentPrincipal,
                   response: Response) -> NominationRead:
    nomination_id = await commands.nominate(runtime, data=body, principal=principal)
    response.headers["Location"] = f"/directory/v1/award-nominations/{nomination_id}"
    async with runtime.db.session() as session:
        return await queries.get_nomination(session, nomination_id)


@router.get("/award-nominations", summary="Nominations: all for officers, its own for an employer")
async def list_nominations(runtime: RuntimeDep, principal: CurrentPrincipal, expert_id: uuid.UUID | None = None,
                           status: NominationStatus | None = None, cursor: str | None = None,
                           limit: Limit = 50) -> Page[NominationRead]:
    employer_id = None
    if not principal.is_officer:
        if not (principal.has_any(Role.employer) and principal.organisation):
            raise Forbidden("nominations are for officers and nominating employers")
        employer_id = uuid.UUID(principal.organisation)
    async with runtime.db.session() as session:
        items, next_cursor = await queries.list_nominations(
            session, employer_id=employer_id, expert_id=expert_id, status=status, cursor=cursor, limit=limit)
    return Page[NominationRead](items=items, next_cursor=next_cursor)


@router.get("/award-nominations/{nomination_id}", summary="One nomination (officers, or the nominating employer)")
async def get_nomination(nomination_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal) -> NominationRead:
    async with runtime.db.session() as session:
        nomination = await queries.get_nomination(session, nomination_id)
    if not principal.is_officer and not principal.acts_for(Role.employer, nomination.employer_id):
        raise Forbidden("not your nomination")
    return nomination


@router.post("/award-nominations/{nomination_id}/decision",
             summary="Endorse or decline a proposal, then record the award's outcome (officers)")
async def decide_nomination(nomination_id: uuid.UUID, body: NominationDecision, runtime: RuntimeDep,
                            officer: Officer) -> NominationRead:
    await commands.decide_nomination(runtime, nomination_id=nomination_id, data=body, actor=officer.subject)
    async with runtime.db.session() as session:
        return await queries.get_nomination(session, nomination_id)


@router.post("/consultations", status_code=201, summary="Draft a consultation of experts (R-PLATFORM (5))",
             responses=documented(201, LOCATION))
async def create_consultation(body: ConsultationCreate, runtime: RuntimeDep, _: Officer,
                              response: Response) -> ConsultationRead:
    consultation_id = await commands.create_consultation(runtime, data=body)
    response.headers["Location"] = f"/directory/v1/consultations/{consultation_id}"
    async with runtime.db.session() as session:
        return await queries.get_consultation(session, consultation_id)


@router.get("/consultations", summary="Consultations: officers see all, experts those opened")
async def list_consultations(runtime: RuntimeDep, principal: CurrentPrincipal) -> list[ConsultationRead]:
    if not principal.is_officer and not principal.has_any(Role.expert):
        raise Forbidden("consultations are for experts and officers")
    async with runtime.db.session() as session:
        return await queries.list_consultations(session, opened_only=not principal.is_officer)


@router.get("/consultations/{consultation_id}", summary="One consultation with its questions")
async def get_consultation(consultation_id: uuid.UUID, runtime: RuntimeDep,
                           principal: CurrentPrincipal) -> ConsultationRead:
    async with runtime.db.session() as session:
        consultation = await queries.get_consultation(session, consultation_id)
    if not principal.is_officer and (not principal.has_any(Role.expert)
                                     or consultation.status == ConsultationStatus.draft):
        raise NotFound(f"no consultation {consultation_id}")
    return consultation


@router.post("/consultations/{consultation_id}/open", summary="Open a drafted consultation to experts")
async def open_consultation(consultation_id: uuid.UUID, runtime: RuntimeDep, _: Officer) -> ConsultationRead:
    await commands.advance_consultation(runtime, consultation_id=consultation_id, to=ConsultationStatus.open)
    async with runtime.db.session() as session:
        return await queries.get_consultation(session, consultation_id)


@router.post("/consultations/{consultation_id}/close", summary="Close a consultation; its results stay")
async def close_consultation(consultation_id: uuid.UUID, runtime: RuntimeDep, _: Officer) -> ConsultationRead:
    await commands.advance_consultation(runtime, consultation_id=consultation_id, to=ConsultationStatus.closed)
    async with runtime.db.session() as session:
        return await queries.get_consultation(session, consultation_id)


@router.put("/consultations/{consultation_id}/responses/mine",
            summary="An expert's answers to an open consultation (again to change them)")
async def respond(consultation_id: uuid.UUID, body: ConsultationResponseCreate, runtime: RuntimeDep,
                  principal: CurrentPrincipal) -> dict:
    if not principal.has_any(Role.expert):
        raise Forbidden("experts answer consultations")
    try:
        expert_id = uuid.UUID(principal.subject)
    except ValueError as exc:
        raise Forbidden("the token's subject is not an expert id") from exc
    row = await commands.respond(runtime, consultation_id=consultation_id, expert_id=expert_id, answers=body.answers)
    return {"id": str(row["id"]), "consultation_id": str(consultation_id), "submitted_at": row["submitted_at"]}


@router.get("/consultations/{consultation_id}/results", summary="The results: counts per option, text answers (officers)")
async def consultation_results(consultation_id: uuid.UUID, runtime: RuntimeDep, _: Officer) -> ConsultationResults:
    async with runtime.db.session() as session:
        consultation = await queries.get_consultation(session, consultation_id)
        answers = await queries.consultation_answers(session, consultation_id)
    return ConsultationResults(consultation_id=consultation_id, status=consultation.status, responses=len(answers),
                               questions=tally(consultation.questions, answers))


@router.get("/guide", summary="Public: the working-and-living guide for experts (R-SETTLE)")
async def guide(runtime: RuntimeDep, topic: GuideTopic | None = None,
                language: str | None = None) -> list[GuideSectionRead]:
    async with runtime.db.session() as session:
        return await queries.guide(session, topic=topic, language=language)


@router.post("/guide/sections", status_code=201, summary="Add a section to the guide (officers)")
async def add_guide_section(body: GuideSectionCreate, runtime: RuntimeDep, _: Officer) -> GuideSectionRead:
    section_id = await commands.write_guide_section(runtime, data=body)
    async with runtime.db.session() as session:
        return await queries.get_guide_section(session, section_id)


@router.put("/guide/sections/{section_id}", summary="Replace a section of the guide (officers)")
async def replace_guide_section(section_id: uuid.UUID, body: GuideSectionCreate, runtime: RuntimeDep,
                                _: Officer) -> GuideSectionRead:
    await commands.write_guide_section(runtime, data=body, section_id=section_id)
    async with runtime.db.session() as session:
        return await queries.get_guide_section(session, section_id)


@router.post("/courses", status_code=201, summary="Offer an adaptation course (R-SETTLE)",
             responses=documented(201, LOCATION))
async def create_course(body: CourseCreate, runtime: RuntimeDep, _: Officer, response: Response) -> CourseRead:
    course_id = await commands.create_course(runtime, data=body)
    response.headers["Location"] = f"/directory/v1/courses/{course_id}"
    async with runtime.db.session() as session:
        return await queries.get_course(session, course_id)


@router.get("/courses", summary="Public: adaptation courses by start date")
async def list_courses(runtime: RuntimeDep) -> list[CourseRead]:
    async with runtime.db.session() as session:
        return await queries.list_courses(session)


@router.get("/courses/{course_id}", summary="Public: one course and how many enrolled")
async def get_course(course_id: uuid.UUID, runtime: RuntimeDep) -> CourseRead:
    async with runtime.db.session() as session:
        return await queries.get_course(session, course_id)


@router.post("/courses/{course_id}/enrolments", status_code=201,
             summary="Enrol: an expert him- or herself, or an officer naming the expert")
async def enrol(course_id: uuid.UUID, body: EnrolmentCreate, runtime: RuntimeDep,
                principal: CurrentPrincipal) -> EnrolmentRead:
    if principal.is_officer:
        if body.expert_id is None:
            raise Unprocessable("an officer names the expert to enrol", field="expert_id",
                                errors=[{"field": "expert_id", "message": "required for an officer",
                                         "type": "missing"}])
        expert_id = body.expert_id
    else:
        try:
            expert_id = body.expert_id or uuid.UUID(principal.subject)
        except ValueError as exc:
            raise Forbidden("only experts and officers enrol") from exc
        require_self_or_officer(principal, expert_id)
    return EnrolmentRead.model_validate(await commands.enrol(runtime, course_id=course_id, expert_id=expert_id))


@router.get("/courses/{course_id}/enrolments", summary="A course's enrolments (officers)")
async def course_enrolment_list(course_id: uuid.UUID, runtime: RuntimeDep, _: Officer) -> list[EnrolmentRead]:
    async with runtime.db.session() as session:
        return await queries.enrolments_of_course(session, course_id)


@router.get("/experts/{expert_id}/enrolments", summary="An expert's course enrolments (the expert or an officer)")
async def expert_enrolments(expert_id: uuid.UUID, runtime: RuntimeDep,
                            principal: CurrentPrincipal) -> list[EnrolmentRead]:
    require_self_or_officer(principal, expert_id)
    async with runtime.db.session() as session:
        return await queries.enrolments_of_expert(session, expert_id)
