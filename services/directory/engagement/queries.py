"""Reads of notices, award nominations, consultations, the guide and courses for the API."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.directory.engagement.domain import ConsultationStatus, GuideTopic, NominationStatus
from services.directory.engagement.models import (
    award_nominations, consultation_responses, consultations, course_enrolments, courses, guide_sections, notices,
)
from services.directory.engagement.schemas import (
    ConsultationRead, CourseRead, EnrolmentRead, GuideSectionRead, NominationRead, NoticeRead,
)
from shared.queries import Keyset, fetch_page, one_or_404

NOMINATIONS_BY_DATE = Keyset.oldest_first(award_nominations.c.created_at, award_nominations.c.id)


async def _one(session, table: sa.Table, row_id: uuid.UUID, what: str, model, *extra):
    row = await one_or_404(session, sa.select(table, *extra).where(table.c.id == row_id), f"no {what} {row_id}")
    return model.model_validate(row._mapping)


async def list_notices(session, *, cursor: str | None, limit: int) -> tuple[list[NoticeRead], str | None]:
    """Notices newest first, by (publication time, id) descending."""
    rows, next_cursor = await fetch_page(session, sa.select(notices),
                                         Keyset.latest_first(notices.c.published_at, notices.c.id),
                                         cursor=cursor, limit=limit)
    return [NoticeRead.model_validate(r._mapping) for r in rows], next_cursor

async def get_notice(session, notice_id: uuid.UUID) -> NoticeRead:
    return await _one(session, notices, notice_id, "notice", NoticeRead)


async def list_nominations(session, *, employer_id: uuid.UUID | None, expert_id: uuid.UUID | None,
                           status: NominationStatus | None, cursor: str | None, limit: int
                           ) -> tuple[list[NominationRead], str | None]:
    """Nominations oldest first; ``employer_id``: only those that employer made (None: all of them)."""
    query = sa.select(award_nominations)
    if employer_id is not None:
        query = query.where(award_nominations.c.employer_id == employer_id)
    if expert_id is not None:
        query = query.where(award_nominations.c.expert_id == expert_id)
    if status is not None:
        query = query.where(award_nominations.c.status == status.value)
    rows, next_cursor = await fetch_page(session, query, NOMINATIONS_BY_DATE, cursor=cursor, limit=limit)
    return [NominationRead.model_validate(r._mapping) for r in rows], next_cursor


async def get_nomination(session, nomination_id: uuid.UUID) -> NominationRead:
    return await _one(session, award_nominations, nomination_id, "nomination", NominationRead)


async def list_consultations(session, *, opened_only: bool) -> list[ConsultationRead]:
    """Consultations oldest first; ``opened_only``: none still in draft."""
    query = sa.select(consultations).order_by(consultations.c.created_at, consultations.c.id)
    if opened_only:
        query = query.where(consultations.c.status != ConsultationStatus.draft.value)
    return [ConsultationRead.model_validate(r._mapping) for r in (await session.execute(query)).all()]


async def get_consultation(session, consultation_id: uuid.UUID) -> ConsultationRead:
    return await _one(session, consultations, consultation_id, "consultation", ConsultationRead)


async def consultation_answers(session, consultation_id: uuid.UUID) -> list[dict[str, str]]:
    """Every expert's answers to a consultation, in the order they were given."""
    return list((await session.execute(sa.select(consultation_responses.c.answers).where(
        consultation_responses.c.consultation_id == consultation_id)
        .order_by(consultation_responses.c.submitted_at, consultation_responses.c.id))).scalars().all())


async def guide(session, *, topic: GuideTopic | None, language: str | None) -> list[GuideSectionRead]:
    query = sa.select(guide_sections).order_by(guide_sections.c.topic, guide_sections.c.position, guide_sections.c.id)
    if topic is not None:
        query = query.where(guide_sections.c.topic == topic.value)
    if language is not None:
        query = query.where(guide_sections.c.language == language)
    return [GuideSectionRead.model_validate(r._mapping) for r in (await session.execute(query)).all()]


async def get_guide_section(session, section_id: uuid.UUID) -> GuideSectionRead:
    return await _one(session, guide_sections, section_id, "guide section", GuideSectionRead)


def _enrolled():
    return (sa.select(sa.func.count()).select_from(course_enrolments)
            .where(course_enrolments.c.course_id == courses.c.id).scalar_subquery().label("enrolled"))


async def list_courses(session) -> list[CourseRead]:
    rows = (await session.execute(sa.select(courses, _enrolled()).order_by(courses.c.starts_on, courses.c.id))).all()
    return [CourseRead.model_validate(r._mapping) for r in rows]


async def get_course(session, course_id: uuid.UUID) -> CourseRead:
    return await _one(session, courses, course_id, "course", CourseRead, _enrolled())


async def enrolments_of_course(session, course_id: uuid.UUID) -> list[EnrolmentRead]:
    """A course's enrolments in order (404 for an unknown course)."""
    await get_course(session, course_id)
    rows = (await session.execute(sa.select(course_enrolments).where(course_enrolments.c.course_id == course_id)
                                  .order_by(course_enrolments.c.enrolled_at, course_enrolments.c.id))).all()
    return [EnrolmentRead.model_validate(r._mapping) for r in rows]


async def enrolments_of_expert(session, expert_id: uuid.UUID) -> list[EnrolmentRead]:
    rows = (await session.execute(sa.select(course_enrolments).where(course_enrolments.c.expert_id == expert_id)
                                  .order_by(course_enrolments.c.enrolled_at, course_enrolments.c.id))).all()
    return [EnrolmentRead.model_validate(r._mapping) for r in rows]
