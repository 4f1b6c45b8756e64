"""Commands of notices, award nominations (R-AWARD), consultations (R-PLATFORM (5)) and settlement (R-SETTLE)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from services.directory.engagement.domain import (
    CONSULTATION_TRANSITIONS, NOMINATION_TRANSITIONS, ConsultationStatus, NominationStatus, answers_problem,
)
from services.directory.engagement.models import (
    award_nominations, consultation_responses, consultations, course_enrolments, courses, guide_sections, notices,
)
from services.directory.engagement.schemas import (
    ConsultationCreate, CourseCreate, GuideSectionCreate, NominationCreate, NominationDecision, NoticeCreate,
)
from services.directory.experts.models import experts
from services.directory.experts.queries import revoked_since_column
from shared.auth import Principal, Role
from shared.errors import Conflict, Forbidden, NotFound, Unprocessable
from shared.queries import one_or_404
from shared.runtime import ServiceRuntime


async def publish_notice(runtime: ServiceRuntime, *, data: NoticeCreate, actor: str) -> dict:
    """A policy notice on the information platform (R-PLATFORM (2))."""
    row = {"id": uuid.uuid4(), **data.model_dump(), "published_at": datetime.now(UTC), "published_by": actor}
    async with runtime.uow() as uow:
        await uow.session.execute(sa.insert(notices).values(**row))
        uow.audit("publish_notice", object_type="notice", object_id=row["id"])
        await uow.commit()
    return row


async def nominate(runtime: ServiceRuntime, *, data: NominationCreate, principal: Principal) -> uuid.UUID:
    """R-AWARD: an officer, or the expert's employer, proposes an expert for an award."""
    async with runtime.uow() as uow:
        expert = (await uow.session.execute(
            sa.select(experts.c.id, experts.c.employer_id, revoked_since_column())
            .where(experts.c.id == data.expert_id))).first()
        employer_id = None
        if not principal.is_officer:
            # Refused alike whether or not the expert exists: the answer must not tell an employer which
            # expert ids are in the directory (as the expert records' 404).
            if not (expert is not None and principal.acts_for(Role.employer, expert.employer_id)):
                raise Forbidden("an employer nominates only its own experts")
            employer_id = expert.employer_id
        if expert is None:
            raise Unprocessable(f"no expert {data.expert_id} in the directory", field="expert_id",
                                errors=[{"field": "expert_id", "message": "unknown expert", "type": "not_found"}])
        if expert.benefits_revoked_since is not None:
            raise Conflict(f"the expert's benefits are revoked since {expert.benefits_revoked_since} (R-SUPERVISE)",
                           current_state="benefits_revoked")
        now = datetime.now(UTC)
        row = {"id": uuid.uuid4(), **data.model_dump(), "nominated_by": principal.subject, "employer_id": employer_id,
               "status": NominationStatus.proposed.value, "decision_reason": None, "decided_by": None,
               "created_at": now, "updated_at": now}
        await uow.session.execute(sa.insert(award_nominations).values(**row))
        uow.audit("nominate", object_type="award_nomination", object_id=row["id"], detail={"award": data.award})
        await uow.commit()
    return row["id"]


async def decide_nomination(runtime: ServiceRuntime, *, nomination_id: uuid.UUID, data: NominationDecision,
                            actor: str) -> None:
    """Endorse or decline a proposal, then record the outcome; any other move is refused naming the state."""
    async with runtime.uow() as uow:
        row = await one_or_404(
            uow.session, sa.select(award_nominations).where(award_nominations.c.id == nomination_id).with_for_update(),
            f"no nomination {nomination_id}")
        current = NominationStatus(row.status)
        if data.status not in NOMINATION_TRANSITIONS[current]:
            raise Conflict(f"a nomination that is {current} cannot become {data.status}", current_state=current)
        await uow.session.execute(sa.update(award_nominations).where(award_nominations.c.id == nomination_id).values(
            status=data.status.value, decision_reason=data.reason, decided_by=actor, updated_at=datetime.now(UTC)))
        uow.audit("decide_nomination", object_type="award_nomination", object_id=nomination_id,
                  detail={"from": current, "to": data.status})
        await uow.commit()


async def create_consultation(runtime: ServiceRuntime, *, data: ConsultationCreate) -> uuid.UUID:
    row = {"id": uuid.uuid4(), **data.model_dump(mode="json"), "status": ConsultationStatus.draft.value,
           "created_at": datetime.now(UTC), "opened_at": None, "closed_at": None}
    async with runtime.uow() as uow:
        await uow.session.execute(sa.insert(consultations).values(**row))
        uow.audit("create_consultation", object_type="consultation", object_id=row["id"])
        await uow.commit()
    return row["id"]


async def advance_consultation(runtime: ServiceRuntime, *, consultation_id: uuid.UUID,
                               to: ConsultationStatus) -> None:
    """draft → open → closed; nothing else."""
    async with runtime.uow() as uow:
        row = await one_or_404(
            uow.session, sa.select(consultations).where(consultations.c.id == consultation_id).with_for_update(),
            f"no consultation {consultation_id}")
        current = ConsultationStatus(row.status)
        if CONSULTATION_TRANSITIONS.get(current) != to:
            raise Conflict(f"a consultation that is {current} cannot be {to}", current_state=current)
        stamp = {"opened_at" if to == ConsultationStatus.open else "closed_at": datetime.now(UTC)}
        await uow.session.execute(sa.update(consultations).where(consultations.c.id == consultation_id)
                                  .values(status=to.value, **stamp))
        uow.audit(f"{to}_consultation", object_type="consultation", object_id=consultation_id)
        await uow.commit()


async def respond(runtime: ServiceRuntime, *, consultation_id: uuid.UUID, expert_id: uuid.UUID,
                  answers: dict[str, str]) -> dict:
    """An expert's answers while the consultation is open; answering again replaces the earlier answers."""
    async with runtime.uow() as uow:
        session = uow.session
        # Share-locked: no answer slips in beside the closing (which locks the consultation for update).
        row = await one_or_404(
            session, sa.select(consultations).where(consultations.c.id == consultation_id).with_for_update(read=True),
            f"no consultation {consultation_id}")
        if row.status != ConsultationStatus.open:
            raise Conflict(f"the consultation is {row.status}", current_state=row.status)
        problem = answers_problem(row.questions, answers)
        if problem:
            raise Unprocessable(problem[1], field=problem[0],
                                errors=[{"field": problem[0], "message": problem[1], "type": "value_error"}])
        # The expert locked: two answers at once are taken one after the other (the second replaces the first).
        if await session.scalar(sa.select(experts.c.id).where(experts.c.id == expert_id).with_for_update()) is None:
            raise Forbidden("only experts in the directory are consulted")
        now = datetime.now(UTC)
        existing = await session.scalar(sa.select(consultation_responses.c.id).where(
            consultation_responses.c.consultation_id == consultation_id,
            consultation_responses.c.expert_id == expert_id))
        if existing is None:
            result = {"id": uuid.uuid4(), "consultation_id": consultation_id, "expert_id": expert_id,
                      "answers": answers, "submitted_at": now}
            await session.execute(sa.insert(consultation_responses).values(**result))
        else:
            result = {"id": existing, "consultation_id": consultation_id, "expert_id": expert_id,
                      "answers": answers, "submitted_at": now}
            await session.execute(sa.update(consultation_responses).where(consultation_responses.c.id == existing)
                                  .values(answers=answers, submitted_at=now))
        uow.audit("respond_to_consultation", object_type="consultation", object_id=consultation_id)
        await uow.commit()
    return result


async def write_guide_section(runtime: ServiceRuntime, *, data: GuideSectionCreate,
                              section_id: uuid.UUID | None = None) -> uuid.UUID:
    """R-SETTLE: add a section of the working-and-living guide, or replace one."""
    values = {**data.model_dump(), "updated_at": datetime.now(UTC)}
    async with runtime.uow() as uow:
        if section_id is None:
            section_id = uuid.uuid4()
            await uow.session.execute(sa.insert(guide_sections).values(id=section_id, **values))
        else:
            result = await uow.session.execute(
                sa.update(guide_sections).where(guide_sections.c.id == section_id).values(**values))
            if not result.rowcount:
                raise NotFound(f"no guide section {section_id}")
        uow.audit("write_guide_section", object_type="guide_section", object_id=section_id)
        await uow.commit()
    return section_id


async def create_course(runtime: ServiceRuntime, *, data: CourseCreate) -> uuid.UUID:
    """R-SETTLE: an adaptation course (language, culture, city)."""
    row = {"id": uuid.uuid4(), **data.model_dump(), "created_at": datetime.now(UTC)}
    async with runtime.uow() as uow:
        await uow.session.execute(sa.insert(courses).values(**row))
        uow.audit("create_course", object_type="course", object_id=row["id"])
        await uow.commit()
    return row["id"]


async def enrol(runtime: ServiceRuntime, *, course_id: uuid.UUID, expert_id: uuid.UUID) -> dict:
    """Enrol an expert in a course; refused when already enrolled or when the course is full."""
    async with runtime.uow() as uow:
        session = uow.session
        # Locked: enrolments of one course one after the other, so the count below holds to the commit.
        course = await one_or_404(session, sa.select(courses).where(courses.c.id == course_id).with_for_update(),
                                  f"no course {course_id}")
        if await session.scalar(sa.select(experts.c.id).where(experts.c.id == expert_id)) is None:
            raise Unprocessable(f"no expert {expert_id} in the directory", field="expert_id",
                                errors=[{"field": "expert_id", "message": "unknown expert", "type": "not_found"}])
        existing = await session.scalar(sa.select(course_enrolments.c.id).where(
            course_enrolments.c.course_id == course_id, course_enrolments.c.expert_id == expert_id))
        if existing is not None:
            raise Conflict("already enrolled in this course", current_state="enrolled", enrolment_id=str(existing))
        taken = await session.scalar(sa.select(sa.func.count()).select_from(course_enrolments)
                                     .where(course_enrolments.c.course_id == course_id))
        if taken >= course.capacity:
            raise Conflict(f"the course is full ({course.capacity} places)", current_state="full")
        row = {"id": uuid.uuid4(), "course_id": course_id, "expert_id": expert_id, "enrolled_at": datetime.now(UTC)}
        await session.execute(sa.insert(course_enrolments).values(**row))
        uow.audit("enrol", object_type="course", object_id=course_id)
        await uow.commit()
    return row
