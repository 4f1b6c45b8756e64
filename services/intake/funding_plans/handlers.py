"""FundingPlanQuoted kept per application (R-COMMITTEE)."""

from __future__ import annotations

from services.intake.funding_plans.models import application_plan_quotes
from shared.db import dialect_insert
from shared.events import CloudEvent
from shared.events.review import FundingPlanQuoted
from shared.uow import UnitOfWork


async def on_funding_plan_quoted(event: FundingPlanQuoted, envelope: CloudEvent, uow: UnitOfWork) -> None:
    await uow.session.execute(dialect_insert(uow.session)(application_plan_quotes).values(
        application_id=event.application_id, decision_id=event.decision_id,
        funding_plan={**event.funding_plan.model_dump(mode="json"), "quoted_at": event.quoted_at.isoformat()},
        quoted_at=event.quoted_at,
    ).on_conflict_do_nothing(index_elements=["application_id"]))
