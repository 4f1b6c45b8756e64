"""Reads of the policy and of the entitlements: the version in force (R-EFFECTIVE), a quote under it, and the
entitlements a caller may read with what each was granted, paid and has in payment (no writes, no unit of work)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy.disbursements.domain import ACTIVE
from services.subsidy.disbursements.queries import still_due
from services.subsidy.entitlements import domain
from services.subsidy.entitlements.models import policy_versions
from services.subsidy.ledger.domain import LedgerKind
from services.subsidy.scope import Scope
from services.subsidy.disbursements.models import disbursements
from services.subsidy.entitlements.models import entitlements
from services.subsidy.ledger.models import ledger_entries
from shared.errors import Unprocessable
from shared.queries import Keyset, fetch_page, one_or_404, where_given
from shared.runtime import ServiceRuntime

ZERO = Decimal("0")


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


async def earliest_policy(session) -> domain.PolicyParameters:
    """The parameters of the earliest policy version (for a date before any policy was in force)."""
    row = (await session.execute(sa.select(policy_versions.c.parameters)
                                 .order_by(policy_versions.c.effective_from).limit(1))).scalar_one()
    return domain.PolicyParameters.model_validate(row)


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


OLDEST_FIRST = Keyset.oldest_first(entitlements.c.opened_at, entitlements.c.id)

NOTHING = {LedgerKind.grant: ZERO, LedgerKind.disbursement: ZERO, "in_payment": ZERO}


async def _amounts(session, rows) -> dict[uuid.UUID, domain.Amounts]:
    """Granted and disbursed in the ledger, instructed to finance but not yet paid (pending or accepted), and what
    is still due, per entitlement of ``rows`` (summed here: exact on SQLite's text money)."""
    ids = [r.id for r in rows]
    sums: dict[uuid.UUID, dict[str, Decimal]] = {i: dict(NOTHING) for i in ids}
    due: dict[uuid.UUID, Decimal] = {i: ZERO for i in ids}
    if ids:
        for r in (await session.execute(sa.select(
                ledger_entries.c.entitlement_id, ledger_entries.c.kind, ledger_entries.c.amount).where(
                ledger_entries.c.entitlement_id.in_(ids),
                ledger_entries.c.kind.in_((LedgerKind.grant, LedgerKind.disbursement))))).all():
            sums[r.entitlement_id][r.kind] += r.amount
        for r in (await session.execute(sa.select(disbursements.c.entitlement_id, disbursements.c.amount).where(
                disbursements.c.entitlement_id.in_(ids), disbursements.c.status.in_(ACTIVE)))).all():
            sums[r.entitlement_id]["in_payment"] += r.amount
        for (entitlement_id, _), amount in (await still_due(session, ids)).items():
            due[entitlement_id] += amount
    return {r.id: domain.Amounts(
        granted=sums[r.id][LedgerKind.grant], disbursed=sums[r.id][LedgerKind.disbursement],
        in_payment=sums[r.id]["in_payment"], to_disburse=domain.to_disburse(r.status, due[r.id])) for r in rows}


async def list_entitlements(runtime: ServiceRuntime, scope: Scope, *, expert_id: uuid.UUID | None = None,
                            application_id: uuid.UUID | None = None, status: str | None = None,
                            track: str | None = None, cursor: str | None = None, limit: int = 50):
    """Entitlements the caller may read, oldest first, each with its amounts."""
    query = where_given(sa.select(entitlements).where(scope.entitlements()),
                        (entitlements.c.expert_id, expert_id), (entitlements.c.application_id, application_id),
                        (entitlements.c.status, status), (entitlements.c.track, track))
    async with runtime.db.session() as session:
        items, next_cursor = await fetch_page(session, query, OLDEST_FIRST, cursor=cursor, limit=limit)
        amounts = await _amounts(session, items)
    return [(r, amounts[r.id]) for r in items], next_cursor


async def get_entitlement(runtime: ServiceRuntime, scope: Scope, entitlement_id: uuid.UUID):
    async with runtime.db.session() as session:
        row = await one_or_404(session, sa.select(entitlements).where(
            entitlements.c.id == entitlement_id, scope.entitlements()), f"no entitlement {entitlement_id}")
        amounts = await _amounts(session, [row])
    return row, amounts[row.id]
