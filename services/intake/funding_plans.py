"""The funding plan the employer reads, quoted later when the committee's approval recorded it ``to_be_quoted``.

Review announces ``FundingPlanQuoted`` once an officer has the plan quoted (资助方案, R-COMMITTEE). Intake keeps
it per application, whichever of it and the approval arrives first, and the decision shown carries the quoted
plan in place of the one the approval announced.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from services.intake.models import metadata
from shared.db import dialect_insert
from shared.events import CloudEvent
from shared.events.review import FundingPlanQuoted
from shared.uow import UnitOfWork

application_plan_quotes = sa.Table(
    "application_plan_quotes",
    metadata,
    sa.Column("application_id", sa.Uuid, primary_key=True),
    sa.Column("decision_id", sa.Uuid, nullable=False),
    sa.Column("funding_plan", sa.JSON, nullable=False),
    sa.Column("quoted_at", sa.DateTime(timezone=True), nullable=False),
)
"""The quoted plan of an application whose approval announced it ``to_be_quoted``."""


async def on_funding_plan_quoted(event: FundingPlanQuoted, envelope: CloudEvent, uow: UnitOfWork) -> None:
    await uow.session.execute(dialect_insert(uow.session)(application_plan_quotes).values(
        application_id=event.application_id, decision_id=event.decision_id,
        funding_plan={**event.funding_plan.model_dump(mode="json"), "quoted_at": event.quoted_at.isoformat()},
        quoted_at=event.quoted_at,
    ).on_conflict_do_nothing(index_elements=["application_id"]))


async def decision_shown(session, application_id: uuid.UUID, decision: dict[str, Any] | None) -> dict[str, Any] | None:
    """The decision with the quoted plan, if one was quoted for it after the approval."""
    if not decision or not (decision.get("funding_plan") or {}).get("to_be_quoted"):
        return decision
    quoted = (await session.execute(sa.select(application_plan_quotes).where(
        application_plan_quotes.c.application_id == application_id,
        application_plan_quotes.c.decision_id == uuid.UUID(decision["decision_id"])))).first()
    return decision if quoted is None else {**decision, "funding_plan": quoted.funding_plan}


__all__ = ["application_plan_quotes", "decision_shown", "on_funding_plan_quoted"]
