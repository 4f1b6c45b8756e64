"""Reads of the disbursements, as the caller may read them, and what an entitlement has still to receive (no
writes, no unit of work)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy.disbursements.domain import COMMITTED
from services.subsidy.ledger.domain import LedgerKind
from services.subsidy.scope import Scope
from services.subsidy.disbursements.models import disbursements
from services.subsidy.entitlements.models import entitlements
from services.subsidy.ledger.models import ledger_entries
from shared.queries import Keyset, fetch_page, one_or_404, where_given
from shared.runtime import ServiceRuntime

ZERO = Decimal("0")
OLDEST_FIRST = Keyset.oldest_first(disbursements.c.created_at, disbursements.c.id)


async def still_due(session, entitlement_ids: Collection[uuid.UUID], *, funding_year: int | None = None
                    ) -> dict[tuple[uuid.UUID, int], Decimal]:
    """What each entitlement has still to receive, per funding year (only ``funding_year``'s if given): granted in
    the ledger, less what its disbursements have paid or have in payment (``COMMITTED``). What a new instruction
    may pay, what an annual run issues, and what an entitlement shows as ``to_disburse``; summed here, exact on
    SQLite's text money (the annual run's set-based statement on PostgreSQL sums the same in SQL)."""
    due: dict[tuple[uuid.UUID, int], Decimal] = {}
    if not entitlement_ids:
        return due
    granted = sa.select(ledger_entries.c.entitlement_id, ledger_entries.c.funding_year, ledger_entries.c.amount).where(
        ledger_entries.c.entitlement_id.in_(entitlement_ids), ledger_entries.c.kind == LedgerKind.grant)
    committed = sa.select(disbursements.c.entitlement_id, disbursements.c.funding_year, disbursements.c.amount).where(
        disbursements.c.entitlement_id.in_(entitlement_ids), disbursements.c.status.in_(COMMITTED))
    if funding_year is not None:
        granted = granted.where(ledger_entries.c.funding_year == funding_year)
        committed = committed.where(disbursements.c.funding_year == funding_year)
    for r in (await session.execute(granted)).all():
        due[(r.entitlement_id, r.funding_year)] = due.get((r.entitlement_id, r.funding_year), ZERO) + r.amount
    for r in (await session.execute(committed)).all():
        due[(r.entitlement_id, r.funding_year)] = due.get((r.entitlement_id, r.funding_year), ZERO) - r.amount
    return due


_WITH_PARTIES = (sa.select(disbursements, entitlements.c.expert_name, entitlements.c.employer_name)
                 .join(entitlements, entitlements.c.id == disbursements.c.entitlement_id))
"""A disbursement with the names of the expert and the employer it pays for."""


async def list_disbursements(runtime: ServiceRuntime, scope: Scope, *, expert_id: uuid.UUID | None = None,
                             entitlement_id: uuid.UUID | None = None, status: str | None = None,
                             funding_year: int | None = None, cursor: str | None = None, limit: int = 100):
    query = _WITH_PARTIES.where(scope.limits(disbursements.c.entitlement_id))
    query = where_given(query, (disbursements.c.expert_id, expert_id),
                        (disbursements.c.entitlement_id, entitlement_id),
                        (disbursements.c.status, status),
                        (disbursements.c.funding_year, funding_year))
    async with runtime.db.session() as session:
        return await fetch_page(session, query, OLDEST_FIRST, cursor=cursor, limit=limit)


async def get_disbursement(runtime: ServiceRuntime, scope: Scope, disbursement_id: uuid.UUID):
    async with runtime.db.session() as session:
        return await one_or_404(session, _WITH_PARTIES.where(
            disbursements.c.id == disbursement_id, scope.limits(disbursements.c.entitlement_id)),
            f"no disbursement {disbursement_id}")
