"""The ledger's writes: one money row appended in the caller's unit of work, and a correction as another row."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy.ledger import domain
from services.subsidy.ledger.queries import ledger_entry
from services.subsidy.entitlements.models import entitlements
from services.subsidy.ledger.models import ledger_entries
from shared.errors import Conflict
from shared.queries import one_or_404
from shared.runtime import ServiceRuntime
from shared.uow import UnitOfWork


async def append_ledger_entry(uow: UnitOfWork, *, entitlement, funding_year: int, kind: domain.LedgerKind,
                              amount: Decimal, reference: str, reason: str, actor: str | None,
                              item_code: str | None = None, corrects: int | None = None) -> int:
    """Add one money row in the caller's unit of work; rows are never updated (append-only table)."""
    entry_id = (await uow.session.execute(sa.insert(ledger_entries).values(
        entitlement_id=entitlement.id, expert_id=entitlement.expert_id, track=entitlement.track,
        funding_year=funding_year, kind=kind, item_code=item_code, amount=amount, corrects=corrects,
        reference=reference, reason=reason, recorded_at=datetime.now(UTC), recorded_by=actor,
    ).returning(ledger_entries.c.id))).scalar_one()
    uow.audit(f"ledger_{kind}", object_type="ledger_entry", object_id=entry_id,
              detail={"amount": str(amount), "funding_year": funding_year, "reference": reference,
                      "corrects": corrects})
    return entry_id


async def correct_ledger_entry(runtime: ServiceRuntime, *, entry_id: int, corrected_amount: Decimal,
                               reason: str, actor: str) -> int:
    """Bring an entry to ``corrected_amount`` by appending the difference; the entry itself is untouched.
    Returns the new entry's id."""
    async with runtime.uow() as uow:
        row = await one_or_404(uow.session, sa.select(ledger_entries).where(ledger_entries.c.id == entry_id)
                               .with_for_update(), f"no ledger entry {entry_id}")
        root_id = row.corrects or row.id  # a correction of a correction corrects the original
        root = row if root_id == row.id else (await uow.session.execute(
            sa.select(ledger_entries).where(ledger_entries.c.id == root_id).with_for_update())).one()
        family = (await uow.session.execute(sa.select(ledger_entries).where(
            sa.or_(ledger_entries.c.id == root_id, ledger_entries.c.corrects == root_id)))).all()
        delta = domain.correction_delta([ledger_entry(r) for r in family], root_id, corrected_amount)
        if delta == 0:
            raise Conflict(f"ledger entry {root_id} already stands at {corrected_amount}",
                           field="corrected_amount", entry_id=root_id)
        entitlement = (await uow.session.execute(
            sa.select(entitlements).where(entitlements.c.id == root.entitlement_id))).one()
        new_id = await append_ledger_entry(
            uow, entitlement=entitlement, funding_year=root.funding_year, kind=root.kind, amount=delta,
            reference=root.reference, reason=reason, actor=actor, item_code=root.item_code, corrects=root_id,
        )
        await uow.commit()
    return new_id
