"""Reads for the subsidy API, each scoped to its caller (no writes, no unit of work).

Officers (and admins) read everything. An employer reads what concerns its own entitlements; an expert
what concerns them (their token's subject is their expert id). Anything else of theirs is "not found"
(404), never "forbidden", so that an id cannot be probed; lists simply leave it out.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy import domain
from services.subsidy.models import (
    claims, disbursements, entitlements, ledger_entries, recoveries, recovery_repayments,
)
from shared.auth import Principal, Role
from shared.errors import Forbidden, NotFound
from shared.runtime import ServiceRuntime
from shared.schemas import after_position, position_cursor

ZERO = Decimal("0")


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Scope:
    """What a caller may read: everything, or the entitlements of some employers and experts."""

    everything: bool = False
    employer_id: uuid.UUID | None = None
    expert_id: uuid.UUID | None = None

    def entitlements(self) -> sa.ColumnElement[bool]:
        """The condition on ``entitlements`` rows this caller may read."""
        if self.everything:
            return sa.true()
        parties = []
        if self.employer_id is not None:
            parties.append(entitlements.c.employer_id == self.employer_id)
        if self.expert_id is not None:
            parties.append(entitlements.c.expert_id == self.expert_id)
        return sa.or_(*parties) if parties else sa.false()

    def entitlement_ids(self):
        """A subquery of the entitlement ids this caller may read (for rows that hang off an entitlement)."""
        return sa.select(entitlements.c.id).where(self.entitlements())

    def limits(self, column) -> sa.ColumnElement[bool]:
        return sa.true() if self.everything else column.in_(self.entitlement_ids())


def scope_of(principal: Principal) -> Scope:
    """Officers everything; an employer its organisation's entitlements; an expert their own; others nothing."""
    if principal.has_any(Role.bureau_officer, Role.admin):
        return Scope(everything=True)
    if not principal.has_any(Role.employer, Role.expert):
        raise Forbidden("subsidy records are read by bureau officers, the entitlement's employer and the expert")
    # A malformed organisation or subject identifies nobody: it reads nothing (and is found nowhere).
    return Scope(employer_id=_uuid(principal.organisation) if principal.has_any(Role.employer) else None,
                 expert_id=_uuid(principal.subject) if principal.has_any(Role.expert) else None)


def _page(rows, limit: int, time_of, id_of):
    items = rows[:limit]
    cursor = position_cursor(time_of(items[-1]), id_of(items[-1])) if len(rows) > limit else None
    return items, cursor


# -- entitlements ---------------------------------------------------------------------------------

NOTHING = {"grant": ZERO, "disbursement": ZERO, "in_payment": ZERO}


async def _amounts(session, entitlement_ids) -> dict[uuid.UUID, tuple[Decimal, Decimal, Decimal]]:
    """Granted and disbursed in the ledger, and instructed to finance but not yet paid (pending or accepted),
    per entitlement (summed here: exact on SQLite's text money)."""
    sums: dict[uuid.UUID, dict[str, Decimal]] = {}
    if entitlement_ids:
        for r in (await session.execute(sa.select(
                ledger_entries.c.entitlement_id, ledger_entries.c.kind, ledger_entries.c.amount).where(
                ledger_entries.c.entitlement_id.in_(entitlement_ids),
                ledger_entries.c.kind.in_(("grant", "disbursement"))))).all():
            sums.setdefault(r.entitlement_id, dict(NOTHING))[r.kind] += r.amount
        for r in (await session.execute(sa.select(disbursements.c.entitlement_id, disbursements.c.amount).where(
                disbursements.c.entitlement_id.in_(entitlement_ids),
                disbursements.c.status.in_(("pending", "accepted"))))).all():
            sums.setdefault(r.entitlement_id, dict(NOTHING))["in_payment"] += r.amount
    return {k: (v["grant"], v["disbursement"], v["in_payment"]) for k, v in sums.items()}


async def list_entitlements(runtime: ServiceRuntime, scope: Scope, *, expert_id: uuid.UUID | None = None,
                            application_id: uuid.UUID | None = None, cursor: str | None = None, limit: int = 50):
    """Entitlements the caller may read, oldest first, with what each was granted and paid."""
    query = (sa.select(entitlements).where(scope.entitlements())
             .order_by(entitlements.c.opened_at, entitlements.c.id).limit(limit + 1))
    if expert_id is not None:
        query = query.where(entitlements.c.expert_id == expert_id)
    if application_id is not None:
        query = query.where(entitlements.c.application_id == application_id)
    after = after_position(cursor, entitlements.c.opened_at, entitlements.c.id)
    if after is not None:
        query = query.where(after)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
        items, next_cursor = _page(rows, limit, lambda r: r.opened_at, lambda r: r.id)
        amounts = await _amounts(session, [r.id for r in items])
    return [(r, *amounts.get(r.id, (ZERO, ZERO, ZERO))) for r in items], next_cursor


async def get_entitlement(runtime: ServiceRuntime, scope: Scope, entitlement_id: uuid.UUID):
    async with runtime.db.session() as session:
        row = (await session.execute(sa.select(entitlements).where(
            entitlements.c.id == entitlement_id, scope.entitlements()))).first()
        if row is None:
            raise NotFound(f"no entitlement {entitlement_id}")
        amounts = await _amounts(session, [row.id])
    return (row, *amounts.get(row.id, (ZERO, ZERO, ZERO)))


# -- claims ---------------------------------------------------------------------------------------

async def list_claims(runtime: ServiceRuntime, scope: Scope, *, entitlement_id: uuid.UUID | None = None,
                      expert_id: uuid.UUID | None = None, funding_year: int | None = None,
                      cursor: str | None = None, limit: int = 50):
    query = (sa.select(claims).where(scope.limits(claims.c.entitlement_id))
             .order_by(claims.c.assessed_at, claims.c.id).limit(limit + 1))
    for column, value in ((claims.c.entitlement_id, entitlement_id), (claims.c.expert_id, expert_id),
                          (claims.c.funding_year, funding_year)):
        if value is not None:
            query = query.where(column == value)
    after = after_position(cursor, claims.c.assessed_at, claims.c.id)
    if after is not None:
        query = query.where(after)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    return _page(rows, limit, lambda r: r.assessed_at, lambda r: r.id)


async def get_claim(runtime: ServiceRuntime, scope: Scope, claim_id: uuid.UUID):
    async with runtime.db.session() as session:
        row = (await session.execute(sa.select(claims).where(
            claims.c.id == claim_id, scope.limits(claims.c.entitlement_id)))).first()
    if row is None:
        raise NotFound(f"no claim {claim_id}")
    return row


# -- disbursements ----------------------------------------------------------------------------------

async def list_disbursements(runtime: ServiceRuntime, scope: Scope, *, expert_id: uuid.UUID | None = None,
                             entitlement_id: uuid.UUID | None = None, status: str | None = None,
                             cursor: str | None = None, limit: int = 100):
    query = (sa.select(disbursements).where(scope.limits(disbursements.c.entitlement_id))
             .order_by(disbursements.c.created_at, disbursements.c.id).limit(limit + 1))
    for column, value in ((disbursements.c.expert_id, expert_id), (disbursements.c.entitlement_id, entitlement_id),
                          (disbursements.c.status, status)):
        if value is not None:
            query = query.where(column == value)
    after = after_position(cursor, disbursements.c.created_at, disbursements.c.id)
    if after is not None:
        query = query.where(after)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    return _page(rows, limit, lambda r: r.created_at, lambda r: r.id)


async def get_disbursement(runtime: ServiceRuntime, scope: Scope, disbursement_id: uuid.UUID):
    async with runtime.db.session() as session:
        row = (await session.execute(sa.select(disbursements).where(
            disbursements.c.id == disbursement_id, scope.limits(disbursements.c.entitlement_id)))).first()
    if row is None:
        raise NotFound(f"no disbursement {disbursement_id}")
    return row


# -- the ledger -------------------------------------------------------------------------------------

def ledger_entry(row) -> domain.LedgerEntry:
    return domain.LedgerEntry(id=row.id, funding_year=row.funding_year, track=row.track, kind=row.kind,
                              amount=row.amount, item_code=row.item_code, corrects=row.corrects)


async def ledger_of(runtime: ServiceRuntime, scope: Scope, *, expert_id: uuid.UUID, funding_year: int | None = None):
    """The expert's money rows the caller may read, oldest first, and the balances per funding year and track.

    An employer sees the rows of its own entitlements only (another employer's grants to the same expert are
    not its business); an employer or expert with nothing of this expert's to read gets 404. ``to_disburse``
    counts only open entitlements: nothing of a revoked one is paid any more (R-SUPERVISE).
    """
    query = (sa.select(ledger_entries, entitlements.c.status.label("entitlement_status"))
             .join(entitlements, entitlements.c.id == ledger_entries.c.entitlement_id)
             .where(ledger_entries.c.expert_id == expert_id, scope.entitlements())
             .order_by(ledger_entries.c.id))
    if funding_year is not None:
        query = query.where(ledger_entries.c.funding_year == funding_year)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
        if not scope.everything and not rows:
            visible = await session.scalar(sa.select(entitlements.c.id).where(
                entitlements.c.expert_id == expert_id, scope.entitlements()).limit(1))
            if visible is None:
                raise NotFound(f"no ledger of expert {expert_id}")
    every = domain.balances([ledger_entry(r) for r in rows])
    still_open = {(b.funding_year, b.track): b.to_disburse
                  for b in domain.balances([ledger_entry(r) for r in rows if r.entitlement_status == "open"])}
    return rows, [(b, still_open.get((b.funding_year, b.track), ZERO)) for b in every]


# -- recoveries (R-SUPERVISE) -----------------------------------------------------------------------

def recovery_reference(recovery_id) -> str:
    return f"recovery:{recovery_id}"


async def recovery_balances(session, recovery_ids) -> dict[uuid.UUID, tuple[Decimal, Decimal]]:
    """(put on recovery, repaid) per recovery, from the ledger rows that reference it."""
    by_reference = {recovery_reference(i): i for i in recovery_ids}
    sums = {i: [ZERO, ZERO] for i in recovery_ids}
    if by_reference:
        for r in (await session.execute(sa.select(
                ledger_entries.c.reference, ledger_entries.c.kind, ledger_entries.c.amount).where(
                ledger_entries.c.reference.in_(list(by_reference)),
                ledger_entries.c.kind.in_(("recovery", "repayment"))))).all():
            sums[by_reference[r.reference]][0 if r.kind == "recovery" else 1] += r.amount
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
    query = (_recoveries().where(scope.entitlements())
             .order_by(recoveries.c.opened_at, recoveries.c.id).limit(limit + 1))
    for column, value in ((recoveries.c.expert_id, expert_id), (recoveries.c.entitlement_id, entitlement_id),
                          (recoveries.c.breach_id, breach_id), (recoveries.c.status, status)):
        if value is not None:
            query = query.where(column == value)
    after = after_position(cursor, recoveries.c.opened_at, recoveries.c.id)
    if after is not None:
        query = query.where(after)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
        items, next_cursor = _page(rows, limit, lambda r: r.opened_at, lambda r: r.id)
        return await _recovery_reads(session, items), next_cursor


async def get_recovery(runtime: ServiceRuntime, scope: Scope, recovery_id: uuid.UUID) -> dict:
    async with runtime.db.session() as session:
        row = (await session.execute(_recoveries().where(
            recoveries.c.id == recovery_id, scope.entitlements()))).first()
        if row is None:
            raise NotFound(f"no recovery {recovery_id}")
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
        expected = "repaid" if put - repaid == 0 else "open"
        if statuses[recovery_id] != "cancelled" and statuses[recovery_id] != expected:
            differences.append({"kind": "recovery_status_differs", "reference": str(recovery_id),
                                "status": statuses[recovery_id], "outstanding": f"{put - repaid:.2f}"})
    return differences
