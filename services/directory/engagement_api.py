"""REST routes of policy notices, award nominations (R-AWARD), consultations (R-PLATFORM (5)) and settlement services (R-SETTLE)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Query, Response

from services.directory import engagement_handlers as commands
from services.directory.engagement import ConsultationStatus, GuideTopic, NominationStatus, tally
from services.directory.experts.domain import require_self_or_officer
from services.directory.platform_schemas import (
    ConsultationCreate, ConsultationRead, ConsultationResponseCreate, ConsultationResults, CourseCreate, CourseRead,
    EnrolmentCreate, EnrolmentRead, GuideSectionCreate, GuideSectionRead, NominationCreate, NominationDecision,
    NominationRead, NoticeCreate, NoticeRead,
)
from services.directory.platform_tables import (
    award_nominations, consultation_responses, consultations, course_enrolments, courses, guide_sections, notices,
)
from shared.api import CurrentPrincipal, Officer, RuntimeDep
from shared.auth import Principal, Role
from shared.errors import Forbidden, NotFound, Unprocessable
from shared.schemas import Page, after_position, decode_cursor, position_cursor

router = APIRouter(prefix="/directory/v1", tags=["services"])
Limit = Annotated[int, Query(ge=1, le=200)]


def _officer(principal: Principal) -> bool:
    return principal.has_any(Role.bureau_officer, Role.admin)


async def _one(runtime, table, row_id, what: str, model, *extra):
    async with runtime.db.session() as session:
        row = (await session.execute(sa.select(table, *extra).where(table.c.id == row_id))).first()
    if row is None:
        raise NotFound(f"no {what} {row_id}")
    return model.model_validate(row._mapping)


# ------------------------------------------------------------------------------ notices


@router.post("/notices", status_code=201, summary="Publish a policy notice (R-PLATFORM (2))")
async def publish_notice(body: NoticeCreate, runtime: RuntimeDep, officer: Officer, response: Response) -> NoticeRead:
    row = await commands.publish_notice(runtime, data=body, actor=officer.subject)
    response.headers["Location"] = f"/directory/v1/notices/{row['id']}"
    return NoticeRead.model_validate(row)


@router.get("/notices", summary="Public: policy notices, newest first")
async def list_notices(runtime: RuntimeDep, cursor: str | None = None, limit: Limit = 50) -> Page[NoticeRead]:
    query = sa.select(notices).order_by(notices.c.published_at.desc(), notices.c.id.desc()).limit(limit + 1)
    position = decode_cursor(cursor)
    if position is not None:
        try:
            at, last_id = datetime.fromisoformat(position["at"]), uuid.UUID(position["id"])
        except (KeyError, TypeError, ValueError) as exc:
            raise Unprocessable("malformed cursor", field="cursor") from exc
        query = query.where(sa.or_(notices.c.published_at < at,
                                   sa.and_(notices.c.published_at == at, notices.c.id < last_id)))
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    items = [NoticeRead.model_validate(r._mapping) for r in rows[:limit]]
    return Page[NoticeRead](items=items, next_cursor=position_cursor(items[-1].published_at, items[-1].id)
                            if len(rows) > limit else None)


@router.get("/notices/{notice_id}", summary="Public: one notice")
async def get_notice(notice_id: uuid.UUID, runtime: RuntimeDep) -> NoticeRead:
    return await _one(runtime, notices, notice_id, "notice", NoticeRead)


# ------------------------------------------------------------------------------- awards


@router.post("/award-nominations", status_code=201,
             summary="Nominate an expert for an award (R-AWARD): an officer, or the expert's employer")
async def nominate(body: NominationCreate, runtime: RuntimeDep, principal: CurrentPrincipal,
                   response: Response) -> NominationRead:
    nomination_id = await commands.nominate(runtime, data=body, principal=principal)
    response.headers["Location"] = f"/directory/v1/award-nominations/{nomination_id}"
    return await _one(runtime, award_nominations, nomination_id, "nomination", NominationRead)


@router.get("/award-nominations", summary="Nominations: all for officers, its own for an employer")
async def list_nominations(runtime: RuntimeDep, principal: CurrentPrincipal, expert_id: uuid.UUID | None = None,
                           status: NominationStatus | None = None, cursor: str | None = None,
                           limit: Limit = 50) -> Page[NominationRead]:
    query = (sa.select(award_nominations).order_by(award_nominations.c.created_at, award_nominations.c.id)
             .limit(limit + 1))
    if not _officer(principal):
        if not (principal.has_any(Role.employer) and principal.organisation):
            raise Forbidden("nominations are for officers and nominating employers")
        query = query.where(award_nominations.c.employer_id == uuid.UUID(principal.organisation))
    if expert_id is not None:
        query = query.where(award_nominations.c.expert_id == expert_id)
    if status is not None:
        query = query.where(award_nominations.c.status == status.value)
    after = after_position(cursor, award_nominations.c.created_at, award_nominations.c.id)
    if after is not None:
        query = query.where(after)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    items = [NominationRead.model_validate(r._mapping) for r in rows[:limit]]
    return Page[NominationRead](items=items, next_cursor=position_cursor(items[-1].created_at, items[-1].id)
                                if len(rows) > limit else None)


@router.get("/award-nominations/{nomination_id}", summary="One nomination (officers, or the nominating employer)")
async def get_nomination(nomination_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal) -> NominationRead:
    nomination = await _one(runtime, award_nominations, nomination_id, "nomination", NominationRead)
    if not _officer(principal) and not (principal.has_any(Role.employer) and nomination.employer_id is not None
                                        and principal.organisation == str(nomination.employer_id)):
        raise Forbidden("not your nomination")
    return nomination


@router.post("/award-nominations/{nomination_id}/decision",
             summary="Endorse or decline a proposal, then record the award's outcome (officers)")
async def decide_nomination(nomination_id: uuid.UUID, body: NominationDecision, runtime: RuntimeDep,
                            officer: Officer) -> NominationRead:
    await commands.decide_nomination(runtime, nomination_id=nomination_id, data=body, actor=officer.subject)
    return await _one(runtime, award_nominations, nomination_id, "nomination", NominationRead)


# ------------------------------------------------------------------------ consultations


@router.post("/consultations", status_code=201, summary="Draft a consultation of experts (R-PLATFORM (5))")
async def create_consultation(body: ConsultationCreate, runtime: RuntimeDep, _: Officer,
                              response: Response) -> ConsultationRead:
    consultation_id = await commands.create_consultation(runtime, data=body)
    response.headers["Location"] = f"/directory/v1/consultations/{consultation_id}"
    return await _one(runtime, consultations, consultation_id, "consultation", ConsultationRead)


@router.get("/consultations", summary="Consultations: officers see all, experts those opened")
async def list_consultations(runtime: RuntimeDep, principal: CurrentPrincipal) -> list[ConsultationRead]:
    query = sa.select(consultations).order_by(consultations.c.created_at, consultations.c.id)
    if not _officer(principal):
        if not principal.has_any(Role.expert):
            raise Forbidden("consultations are for experts and officers")
        query = query.where(consultations.c.status != ConsultationStatus.draft.value)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    return [ConsultationRead.model_validate(r._mapping) for r in rows]


@router.get("/consultations/{consultation_id}", summary="One consultation with its questions")
async def get_consultation(consultation_id: uuid.UUID, runtime: RuntimeDep,
                           principal: CurrentPrincipal) -> ConsultationRead:
    consultation = await _one(runtime, consultations, consultation_id, "consultation", ConsultationRead)
    if not _officer(principal) and (not principal.has_any(Role.expert)
                                    or consultation.status == ConsultationStatus.draft):
        raise NotFound(f"no consultation {consultation_id}")
    return consultation


@router.post("/consultations/{consultation_id}/open", summary="Open a drafted consultation to experts")
async def open_consultation(consultation_id: uuid.UUID, runtime: RuntimeDep, _: Officer) -> ConsultationRead:
    await commands.advance_consultation(runtime, consultation_id=consultation_id, to=ConsultationStatus.open)
    return await _one(runtime, consultations, consultation_id, "consultation", ConsultationRead)


@router.post("/consultations/{consultation_id}/close", summary="Close a consultation; its results stay")
async def close_consultation(consultation_id: uuid.UUID, runtime: RuntimeDep, _: Officer) -> ConsultationRead:
    await commands.advance_consultation(runtime, consultation_id=consultation_id, to=ConsultationStatus.closed)
    return await _one(runtime, consultations, consultation_id, "consultation", ConsultationRead)


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
    consultation = await _one(runtime, consultations, consultation_id, "consultation", ConsultationRead)
    async with runtime.db.session() as session:
        answers = (await session.execute(sa.select(consultation_responses.c.answers).where(
            consultation_responses.c.consultation_id == consultation_id)
            .order_by(consultation_responses.c.submitted_at, consultation_responses.c.id))).scalars().all()
    return ConsultationResults(consultation_id=consultation_id, status=consultation.status, responses=len(answers),
                               questions=tally(consultation.questions, list(answers)))


# --------------------------------------------------------------------------- settlement


@router.get("/guide", summary="Public: the working-and-living guide for experts (R-SETTLE)")
async def guide(runtime: RuntimeDep, topic: GuideTopic | None = None,
                language: str | None = None) -> list[GuideSectionRead]:
    query = sa.select(guide_sections).order_by(guide_sections.c.topic, guide_sections.c.position, guide_sections.c.id)
    if topic is not None:
        query = query.where(guide_sections.c.topic == topic.value)
    if language is not None:
        query = query.where(guide_sections.c.language == language)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    return [GuideSectionRead.model_validate(r._mapping) for r in rows]


@router.post("/guide/sections", status_code=201, summary="Add a section to the guide (officers)")
async def add_guide_section(body: GuideSectionCreate, runtime: RuntimeDep, _: Officer) -> GuideSectionRead:
    section_id = await commands.write_guide_section(runtime, data=body)
    return await _one(runtime, guide_sections, section_id, "guide section", GuideSectionRead)


@router.put("/guide/sections/{section_id}", summary="Replace a section of the guide (officers)")
async def replace_guide_section(section_id: uuid.UUID, body: GuideSectionCreate, runtime: RuntimeDep,
                                _: Officer) -> GuideSectionRead:
    await commands.write_guide_section(runtime, data=body, section_id=section_id)
    return await _one(runtime, guide_sections, section_id, "guide section", GuideSectionRead)


def _enrolled():
    return (sa.select(sa.func.count()).select_from(course_enrolments)
            .where(course_enrolments.c.course_id == courses.c.id).scalar_subquery().label("enrolled"))


@router.post("/courses", status_code=201, summary="Offer an adaptation course (R-SETTLE)")
async def create_course(body: CourseCreate, runtime: RuntimeDep, _: Officer, response: Response) -> CourseRead:
    course_id = await commands.create_course(runtime, data=body)
    response.headers["Location"] = f"/directory/v1/courses/{course_id}"
    return await _one(runtime, courses, course_id, "course", CourseRead, _enrolled())


@router.get("/courses", summary="Public: adaptation courses by start date")
async def list_courses(runtime: RuntimeDep) -> list[CourseRead]:
    async with runtime.db.session() as session:
        rows = (await session.execute(
            sa.select(courses, _enrolled()).order_by(courses.c.starts_on, courses.c.id))).all()
    return [CourseRead.model_validate(r._mapping) for r in rows]


@router.get("/courses/{course_id}", summary="Public: one course and how many enrolled")
async def get_course(course_id: uuid.UUID, runtime: RuntimeDep) -> CourseRead:
    return await _one(runtime, courses, course_id, "course", CourseRead, _enrolled())


@router.post("/courses/{course_id}/enrolments", status_code=201,
             summary="Enrol: an expert him- or herself, or an officer naming the expert")
async def enrol(course_id: uuid.UUID, body: EnrolmentCreate, runtime: RuntimeDep,
                principal: CurrentPrincipal) -> EnrolmentRead:
    if _officer(principal):
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
    await get_course(course_id, runtime)
    async with runtime.db.session() as session:
        rows = (await session.execute(sa.select(course_enrolments).where(course_enrolments.c.course_id == course_id)
                                      .order_by(course_enrolments.c.enrolled_at, course_enrolments.c.id))).all()
    return [EnrolmentRead.model_validate(r._mapping) for r in rows]


@router.get("/experts/{expert_id}/enrolments", summary="An expert's course enrolments (the expert or an officer)")
async def expert_enrolments(expert_id: uuid.UUID, runtime: RuntimeDep,
                            principal: CurrentPrincipal) -> list[EnrolmentRead]:
    require_self_or_officer(principal, expert_id)
    async with runtime.db.session() as session:
        rows = (await session.execute(sa.select(course_enrolments).where(course_enrolments.c.expert_id == expert_id)
                                      .order_by(course_enrolments.c.enrolled_at, course_enrolments.c.id))).all()
    return [EnrolmentRead.model_validate(r._mapping) for r in rows]
