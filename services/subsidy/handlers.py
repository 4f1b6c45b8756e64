"""Commands and event handlers of the subsidy service; the only place that opens a unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from services.subsidy import domain
from services.subsidy.models import policy_versions
from shared.errors import Unprocessable
from shared.inbox import EventHandler
from shared.runtime import ServiceRuntime

EVENT_HANDLERS: dict[type, EventHandler] = {}


@dataclass(frozen=True)
class PolicyVersion:
    id: str
    name: str
    effective_from: date
    effective_to: date | None
    parameters: domain.PolicyParameters


async def policy_in_force(session, on: date) -> PolicyVersion:
    """The policy version in force on ``on`` (R-EFFECTIVE); refused when no policy was in force."""
    row = (await session.execute(
        sa.select(policy_versions)
        .where(policy_versions.c.effective_from <= on)
        .where(sa.or_(policy_versions.c.effective_to.is_(None), policy_versions.c.effective_to > on))
        .order_by(policy_versions.c.effective_from.desc())
        .limit(1)
    )).first()
    if row is None:
        earliest = await session.scalar(sa.select(sa.func.min(policy_versions.c.effective_from)))
        since = f"; the earliest policy is in force from {earliest.isoformat()}" if earliest else ""
        message = f"no policy in force on {on.isoformat()}{since} (R-EFFECTIVE)"
        raise Unprocessable(
            message, rule="R-EFFECTIVE",
            errors=[{"field": "period_end", "message": message, "type": "no_policy_in_force"}],
        )
    return PolicyVersion(
        id=row.id, name=row.name, effective_from=row.effective_from, effective_to=row.effective_to,
        parameters=domain.PolicyParameters.model_validate(row.parameters),
    )


async def quote(runtime: ServiceRuntime, *, period_end: date, inputs: domain.Inputs) -> domain.Quote:
    """A pure computation under the version in force at ``period_end``: nothing is stored."""
    async with runtime.db.session() as session:
        version = await policy_in_force(session, period_end)
    try:
        return domain.quote(version.parameters, inputs, policy_version=version.id)
    except domain.UnknownGrade as exc:
        raise Unprocessable(
            str(exc), errors=[{"field": "performance", "message": str(exc), "type": "unknown_grade"}]
        ) from exc
