"""Reads of the reconciliation: our disbursements of a day as the comparison needs them, the recorded runs latest
first, and one of them."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy.disbursements.domain import DisbursementStatus, ledger_reference
from services.subsidy.ledger.domain import LedgerKind
from services.subsidy.reconciliation import domain
from services.subsidy.reconciliation.models import reconciliations
from services.subsidy.disbursements.models import disbursements
from services.subsidy.ledger.models import ledger_entries
from shared import clock
from shared.queries import Keyset, fetch_page, one_or_404, where_given
from shared.runtime import ServiceRuntime


async def our_disbursements(session, day: date, references: list[uuid.UUID]) -> list[domain.OurDisbursement]:
    """Ours that finance's statement of ``day`` may name: booked that day, named in it (``references``), or
    instructed that Beijing day and not yet booked; each with what the ledger holds as paid for it."""
    start = clock.beijing_day_start(day)  # finance books on Beijing days
    rows = (await session.execute(sa.select(disbursements).where(sa.or_(
        disbursements.c.booked_on == day,
        disbursements.c.id.in_(references) if references else sa.false(),
        sa.and_(disbursements.c.booked_on.is_(None), disbursements.c.created_at >= start,
                disbursements.c.created_at < start + timedelta(days=1),
                disbursements.c.status != DisbursementStatus.cancelled))))).all()
    ledger = (await session.execute(sa.select(ledger_entries.c.reference, ledger_entries.c.amount).where(
        ledger_entries.c.kind == LedgerKind.disbursement,
        ledger_entries.c.reference.in_([ledger_reference(r.id) for r in rows])))).all() if rows else []
    paid: dict[str, Decimal] = {}
    for entry in ledger:
        paid[entry.reference] = paid.get(entry.reference, Decimal("0")) + entry.amount
    return [domain.OurDisbursement(id=str(r.id), amount=r.amount, status=r.status,
                                   finance_payment_id=r.finance_payment_id, attempts=r.attempts,
                                   ledger_disbursed=paid.get(ledger_reference(r.id), Decimal("0"))) for r in rows]


LATEST_FIRST = Keyset.latest_first(reconciliations.c.ran_at, reconciliations.c.id)


async def list_reconciliations(runtime: ServiceRuntime, *, day: date | None = None, cursor: str | None = None,
                               limit: int = 20):
    """The recorded reconciliations, latest run first (of one booking day if ``day`` is given)."""
    query = where_given(sa.select(reconciliations), (reconciliations.c.day, day))
    async with runtime.db.session() as session:
        return await fetch_page(session, query, LATEST_FIRST, cursor=cursor, limit=limit)


async def get_reconciliation(runtime: ServiceRuntime, reconciliation_id: uuid.UUID):
    async with runtime.db.session() as session:
        return await one_or_404(session, sa.select(reconciliations).where(
            reconciliations.c.id == reconciliation_id), f"no reconciliation {reconciliation_id}")
