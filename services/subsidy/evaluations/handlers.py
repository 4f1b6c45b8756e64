"""The performance evaluation of an Art. 12 work year (R-SUB-RECURRING): recorded by an officer until review
announces it (PerformanceEvaluated), whose word prevails."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from services.subsidy.evaluations.domain import EvaluationSource, aware
from services.subsidy.evaluations.models import performance_evaluations, reported_evaluations
from services.subsidy.entitlements.models import entitlements
from shared.errors import Conflict
from shared.events import CloudEvent
from shared.events.review import PerformanceEvaluated, Track
from shared.queries import one_or_404
from shared.runtime import ServiceRuntime
from shared.uow import UnitOfWork


async def record_evaluation(runtime: ServiceRuntime, *, entitlement_id: uuid.UUID, funding_year: int, grade: str,
                            actor: str):
    """R-SUB-RECURRING: record the performance evaluation (绩效考评) of one work year, once."""
    async with runtime.uow() as uow:
        entitlement = await one_or_404(uow.session, sa.select(entitlements).where(entitlements.c.id == entitlement_id),
                                       f"no entitlement {entitlement_id}")
        if entitlement.track != Track.key_industry_recurring:
            raise Conflict("only Art. 12 entitlements have performance evaluations (R-SUB-RECURRING)",
                           track=entitlement.track)
        existing = (await uow.session.execute(sa.select(performance_evaluations).where(
            performance_evaluations.c.entitlement_id == entitlement_id,
            performance_evaluations.c.funding_year == funding_year))).first()
        if existing is not None:
            by = "the review service" if existing.source == EvaluationSource.review else "an officer"
            raise Conflict(f"the evaluation of {funding_year} is already recorded by {by}", grade=existing.grade,
                           source=existing.source)
        row = {"entitlement_id": entitlement_id, "funding_year": funding_year, "grade": grade,
               "recorded_by": actor, "recorded_at": datetime.now(UTC), "source": EvaluationSource.officer}
        try:
            await uow.session.execute(sa.insert(performance_evaluations).values(**row))
        except sa.exc.IntegrityError as exc:  # recorded by a concurrent request since the check
            raise Conflict(f"the evaluation of {funding_year} is already recorded",
                           source=EvaluationSource.officer.value) from exc
        uow.audit("record_performance_evaluation", object_type="entitlement", object_id=entitlement_id,
                  detail={"funding_year": funding_year, "grade": grade})
        await uow.commit()
    return row


async def on_performance_evaluated(event: PerformanceEvaluated, envelope: CloudEvent, uow: UnitOfWork) -> None:
    """Record review's evaluation of a work year; it prevails over an officer's record of the same year.

    Converges whatever the order: kept by application (it may precede the approval), the latest
    evaluation of a year wins, and an officer cannot record a year review has evaluated (409).
    A claim already assessed keeps the grade it froze.
    """
    session = uow.session
    existing = (await session.execute(sa.select(reported_evaluations).where(
        reported_evaluations.c.application_id == event.application_id,
        reported_evaluations.c.funding_year == event.funding_year))).first()
    values = {"evaluation_id": event.evaluation_id, "grade": event.grade.value, "evaluated_at": event.evaluated_at,
              "evaluated_by": event.evaluated_by}
    if existing is None:
        await session.execute(sa.insert(reported_evaluations).values(
            application_id=event.application_id, funding_year=event.funding_year, **values))
    elif aware(existing.evaluated_at) < event.evaluated_at:
        await session.execute(sa.update(reported_evaluations).where(
            reported_evaluations.c.application_id == event.application_id,
            reported_evaluations.c.funding_year == event.funding_year).values(**values))
    else:
        return  # an older or the same evaluation, announced again
    entitlement = (await session.execute(sa.select(entitlements).where(
        entitlements.c.application_id == event.application_id))).first()
    if entitlement is not None:
        reported = (await session.execute(sa.select(reported_evaluations).where(
            reported_evaluations.c.application_id == event.application_id,
            reported_evaluations.c.funding_year == event.funding_year))).one()
        await _apply_reported_evaluation(uow, entitlement, reported)


async def apply_earlier_evaluations(uow: UnitOfWork, entitlement) -> None:
    """Review's evaluations of the application that came before its approval, applied to the entitlement it opened."""
    for reported in (await uow.session.execute(sa.select(reported_evaluations).where(
            reported_evaluations.c.application_id == entitlement.application_id))).all():
        await _apply_reported_evaluation(uow, entitlement, reported)


async def _apply_reported_evaluation(uow: UnitOfWork, entitlement, reported) -> None:
    if entitlement.track != Track.key_industry_recurring:
        return
    session = uow.session
    row = {"grade": reported.grade, "recorded_by": f"review:{reported.evaluated_by}",
           "recorded_at": aware(reported.evaluated_at), "source": EvaluationSource.review}
    key = (performance_evaluations.c.entitlement_id == entitlement.id,
           performance_evaluations.c.funding_year == reported.funding_year)
    existing = (await session.execute(sa.select(performance_evaluations).where(*key))).first()
    if existing is None:
        await session.execute(sa.insert(performance_evaluations).values(
            entitlement_id=entitlement.id, funding_year=reported.funding_year, **row))
    else:
        await session.execute(sa.update(performance_evaluations).where(*key).values(**row))
    uow.audit("record_performance_evaluation", object_type="entitlement", object_id=entitlement.id,
              detail={"funding_year": reported.funding_year, "grade": reported.grade,
                      "source": EvaluationSource.review.value,
                      "replaced": existing.grade if existing is not None else None})
