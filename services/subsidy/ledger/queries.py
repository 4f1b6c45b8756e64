"""Reads of the ledger: an expert's money rows and balances, as the caller may read them (no writes, no unit
of work)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy.entitlements.domain import EntitlementStatus
from services.subsidy.ledger import domain
from services.subsidy.scope import Scope
from services.subsidy.entitlements.models import entitlements
from services.subsidy.ledger.models import ledger_entries
from shared.errors import NotFound
from shared.runtime import ServiceRuntime

ZERO = Decimal("0")


def ledger_entry(row) -> domain.LedgerEntry:
    return domain.LedgerEntry(id=row.id, funding_year=row.funding_year, track=row.track, kind=row.kind,
                              amount=row.amount, item_code=row.item_code, corrects=row.corrects)


async def entries_of_expert(session, expert_id: uuid.UUID) -> list[domain.LedgerEntry]:
    """Every money row of the expert, on all their entitlements (what the yearly caps count)."""
    return [ledger_entry(r) for r in (await session.execute(
        sa.select(ledger_entries).where(ledger_entries.c.expert_id == expert_id))).all()]


async def get_ledger_entry(runtime: ServiceRuntime, entry_id: int):
    async with runtime.db.session() as session:
        return (await session.execute(sa.select(ledger_entries).where(ledger_entries.c.id == entry_id))).one()


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
                  for b in domain.balances([ledger_entry(r) for r in rows
                                           if r.entitlement_status == EntitlementStatus.open])}
    return rows, [(b, still_open.get((b.funding_year, b.track), ZERO)) for b in every]
