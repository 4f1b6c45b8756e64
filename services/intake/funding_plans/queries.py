"""The decision as the application shows it: with the plan quoted after the approval, if one was."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from services.intake.funding_plans.models import application_plan_quotes


async def decision_shown(session, application_id: uuid.UUID, decision: dict[str, Any] | None) -> dict[str, Any] | None:
    """The decision with the quoted plan, if one was quoted for it after the approval."""
    if not decision or not (decision.get("funding_plan") or {}).get("to_be_quoted"):
        return decision
    quoted = (await session.execute(sa.select(application_plan_quotes).where(
        application_plan_quotes.c.application_id == application_id,
        application_plan_quotes.c.decision_id == uuid.UUID(decision["decision_id"])))).first()
    return decision if quoted is None else {**decision, "funding_plan": quoted.funding_plan}
