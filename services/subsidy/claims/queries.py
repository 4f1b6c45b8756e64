"""Reads of the assessed claims, as the caller may read them, each with the names of its parties and where the
payment of its funding year stands (no writes, no unit of work)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy.claims.domain import YearPayment, year_payment
from services.subsidy.claims.models import claims
from services.subsidy.disbursements.domain import ACTIVE
from services.subsidy.disbursements.models import disbursements
from services.subsidy.disbursements.queries import still_due
from services.subsidy.entitlements.domain import EntitlementStatus, to_disburse
from services.subsidy.entitlements.models import entitlements
from services.subsidy.ledger.domain import LedgerKind
from services.subsidy.ledger.models import ledger_entries
from services.subsidy.scope import Scope
from shared.queries import Keyset, fetch_page, one_or_404, where_given
from shared.runtime import ServiceRuntime

ZERO = Decimal("0")
OLDEST_FIRST = Keyset.oldest_first(claims.c.assessed_at, claims.c.id)

_WITH_PARTIES = (sa.select(claims, entitlements.c.expert_name, entitlements.c.employer_name,
                           entitlements.c.status.label("entitlement_status"))
                 .join(entitlements, entitlements.c.id == claims.c.entitlement_id))


@dataclass(frozen=True)
class Payment:
    """The payment of one entitlement's funding year: what its claims were granted, what finance paid, what is
    instructed and not yet paid, and what a new disbursement may still instruct."""

    status: YearPayment
    granted: Decimal
    paid: Decimal
    in_payment: Decimal
    to_disburse: Decimal


async def _payments(session, rows) -> dict[tuple[uuid.UUID, int], Payment]:
    """The payment of each (entitlement, funding year) of ``rows``, in four reads for the whole page (summed
    here: exact on SQLite's text money)."""
    keys = {(r.entitlement_id, r.funding_year) for r in rows}
    if not keys:
        return {}
    ids = {entitlement_id for entitlement_id, _ in keys}
    sums = {key: {LedgerKind.grant: ZERO, LedgerKind.disbursement: ZERO, "in_payment": ZERO} for key in keys}
    for r in (await session.execute(sa.select(
            ledger_entries.c.entitlement_id, ledger_entries.c.funding_year, ledger_entries.c.kind,
            ledger_entries.c.amount).where(
            ledger_entries.c.entitlement_id.in_(ids),
            ledger_entries.c.kind.in_((LedgerKind.grant, LedgerKind.disbursement))))).all():
        if (r.entitlement_id, r.funding_year) in sums:
            sums[(r.entitlement_id, r.funding_year)][r.kind] += r.amount
    for r in (await session.execute(sa.select(
            disbursements.c.entitlement_id, disbursements.c.funding_year, disbursements.c.amount).where(
            disbursements.c.entitlement_id.in_(ids), disbursements.c.status.in_(ACTIVE)))).all():
        if (r.entitlement_id, r.funding_year) in sums:
            sums[(r.entitlement_id, r.funding_year)]["in_payment"] += r.amount
    due = await still_due(session, ids)
    statuses = {r.entitlement_id: r.entitlement_status for r in rows}
    result = {}
    for key, s in sums.items():
        status = statuses[key[0]]
        result[key] = Payment(
            status=year_payment(granted=s[LedgerKind.grant], paid=s[LedgerKind.disbursement],
                                in_payment=s["in_payment"], revoked=status == EntitlementStatus.revoked),
            granted=s[LedgerKind.grant], paid=s[LedgerKind.disbursement], in_payment=s["in_payment"],
            to_disburse=to_disburse(status, due.get(key, ZERO)))
    return result


async def list_claims(runtime: ServiceRuntime, scope: Scope, *, entitlement_id: uuid.UUID | None = None,
                      expert_id: uuid.UUID | None = None, funding_year: int | None = None,
                      cursor: str | None = None, limit: int = 50):
    """Claims the caller may read, oldest first, each with the payment of its funding year."""
    query = _WITH_PARTIES.where(scope.limits(claims.c.entitlement_id))
    query = where_given(query, (claims.c.entitlement_id, entitlement_id),
                        (claims.c.expert_id, expert_id),
                        (claims.c.funding_year, funding_year))
    async with runtime.db.session() as session:
        rows, next_cursor = await fetch_page(session, query, OLDEST_FIRST, cursor=cursor, limit=limit)
        payments = await _payments(session, rows)
    return [(r, payments[(r.entitlement_id, r.funding_year)]) for r in rows], next_cursor


async def get_claim(runtime: ServiceRuntime, scope: Scope, claim_id: uuid.UUID):
    async with runtime.db.session() as session:
        row = await one_or_404(session, _WITH_PARTIES.where(
            claims.c.id == claim_id, scope.limits(claims.c.entitlement_id)), f"no claim {claim_id}")
        payments = await _payments(session, [row])
    return row, payments[(row.entitlement_id, row.funding_year)]
