"""Reads of the recoveries (R-SUPERVISE): each with what was put on recovery, repaid and is outstanding, read
from the ledger, as the caller may read them; and a day's repayments checked against the ledger (no writes,
no unit of work)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy.ledger.domain import LedgerKind
from services.subsidy.revocation.domain import RecoveryStatus, recovery_reference
from services.subsidy.revocation.models import recoveries, recovery_repayments
from services.subsidy.scope import Scope
from services.subsidy.entitlements.models import entitlements
from services.subsidy.ledger.models import ledger_entries
from shared.queries import Keyset, fetch_page, one_or_404, where_given
from shared.runtime import ServiceRuntime

ZERO = Decimal("0")
OLDEST_FIRST = Keyset.oldest_first(recoveries.c.opened_at, recoveries.c.id)


async def recovery_balances(session, recovery_ids) -> dict[uuid.UUID, tuple[Decimal, Decimal]]:
    """(put on recovery, repaid) per recovery, from the ledger rows that reference it."""
    by_reference = {recovery_reference(i): i for i in recovery_ids}
    sums = {i: [ZERO, ZERO] for i in recovery_ids}
    if by_reference:
        for r in (await session.execute(sa.select(
                ledger_entries.c.reference, ledger_entries.c.kind, ledger_entries.c.amount).where(
                ledger_entries.c.reference.in_(list(by_reference)),
                ledger_entries.c.kind.in_((LedgerKind.recovery, LedgerKind.repayment))))).all():
            sums[by_reference[r.reference]][0 if r.kind == LedgerKind.recovery else 1] += r.amount
    return {i: (s[0], s[1]) for i, s in sums.items()}


async def _recovery_reads(session, rows) -> list[dict]:
    ids = [r.id for r in rows]
    balances = await recovery_balances(session, ids)
    repayments: dict[uuid.UUID, list] = {i: [] for i in ids}
    if ids:
        for p in (await session.execute(sa.select(recovery_repayments).where(
                recovery_repayments.c.recovery_id.in_(ids)).order_by(
                recovery_repayments.c.recorded_at, recovery_repayments.c.id))).all():
            repayments[p.recovery_id].append(p)
    out = []
    for r in rows:
        amount, repaid = balances[r.id]
        values = dict(r._mapping)
        values.pop("ledger_entry_id", None)
        out.append({**values, "amount": amount, "repaid": repaid, "outstanding": amount - repaid,
                    "repayments": repayments[r.id]})
    return out


def _recoveries():
    return (sa.select(recoveries, entitlements.c.employer_id)
            .join(entitlements, entitlements.c.id == recoveries.c.entitlement_id))


async def list_recoveries(runtime: ServiceRuntime, scope: Scope, *, expert_id: uuid.UUID | None = None,
                          entitlement_id: uuid.UUID | None = None, breach_id: uuid.UUID | None = None,
                          status: str | None = None, cursor: str | None = None, limit: int = 50):
    query = _recoveries().where(scope.entitlements())
    query = where_given(query, (recoveries.c.expert_id, expert_id),
                        (recoveries.c.entitlement_id, entitlement_id),
                        (recoveries.c.breach_id, breach_id),
                        (recoveries.c.status, status))
    async with runtime.db.session() as session:
        items, next_cursor = await fetch_page(session, query, OLDEST_FIRST, cursor=cursor, limit=limit)
        return await _recovery_reads(session, items), next_cursor


async def get_recovery(runtime: ServiceRuntime, scope: Scope, recovery_id: uuid.UUID) -> dict:
    async with runtime.db.session() as session:
        row = await one_or_404(session, _recoveries().where(recoveries.c.id == recovery_id, scope.entitlements()),
                               f"no recovery {recovery_id}")
        [read] = await _recovery_reads(session, [row])
    return read


async def recovery_differences(session, day: date) -> list[dict]:
    """The recoveries repaid on ``day``, checked against the ledger: every repayment row exactly once as a
    'repayment' ledger row, and 'repaid' exactly when nothing is outstanding in the ledger."""
    ids = list((await session.execute(sa.select(recovery_repayments.c.recovery_id).where(
        recovery_repayments.c.received_on == day).distinct())).scalars())
    if not ids:
        return []
    recorded: dict[uuid.UUID, Decimal] = {i: ZERO for i in ids}
    for r in (await session.execute(sa.select(recovery_repayments.c.recovery_id, recovery_repayments.c.amount).where(
            recovery_repayments.c.recovery_id.in_(ids)))).all():
        recorded[r.recovery_id] += r.amount
    balances = await recovery_balances(session, ids)
    statuses = dict((await session.execute(sa.select(recoveries.c.id, recoveries.c.status).where(
        recoveries.c.id.in_(ids)))).all())
    differences = []
    for recovery_id in sorted(ids, key=str):
        put, repaid = balances[recovery_id]
        if repaid != recorded[recovery_id]:
            differences.append({"kind": "repayment_ledger_differs", "reference": str(recovery_id),
                                "ledger": f"{repaid:.2f}", "repayments": f"{recorded[recovery_id]:.2f}"})
        expected = RecoveryStatus.repaid if put - repaid == 0 else RecoveryStatus.open
        if statuses[recovery_id] != RecoveryStatus.cancelled and statuses[recovery_id] != expected:
            differences.append({"kind": "recovery_status_differs", "reference": str(recovery_id),
                                "status": statuses[recovery_id], "outstanding": f"{put - repaid:.2f}"})
    return differences
