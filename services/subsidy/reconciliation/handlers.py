"""The reconciliation of one day with municipal finance: its statement against our disbursements and ledger."""

from __future__ import annotations

import uuid
from datetime import date

import sqlalchemy as sa

from services.subsidy.reconciliation import domain
from services.subsidy.reconciliation.models import reconciliations
from services.subsidy.reconciliation.queries import our_disbursements
from services.subsidy.revocation.queries import recovery_differences
from shared import clock
from shared.runtime import ServiceRuntime


async def reconcile(runtime: ServiceRuntime, *, day: date, actor: str | None):
    """Compare our disbursements of ``day`` with finance's statement of it; record and return every difference."""
    theirs = await runtime.extras.finance.statement(day)  # outside any transaction
    references = [uuid.UUID(p.reference) for p in theirs if _is_uuid(p.reference)]
    async with runtime.db.session() as session:
        ours = await our_disbursements(session, day, references)
    differences = domain.reconcile(ours, [domain.TheirPayment(payment_id=p.payment_id, reference=p.reference,
                                                              amount=p.amount, status=p.status) for p in theirs])
    async with runtime.db.session() as session:  # repayments received that day, against the ledger (R-SUPERVISE)
        differences += await recovery_differences(session, day)
    report = {"id": uuid.uuid4(), "day": day, "ran_at": clock.now(), "ran_by": actor, "ours": len(ours),
              "theirs": len(theirs), "differences": differences}
    async with runtime.uow() as uow:
        await uow.session.execute(sa.insert(reconciliations).values(**report))
        uow.audit("reconcile", object_type="reconciliation", object_id=report["id"],
                  detail={"day": day.isoformat(), "differences": len(differences)})
        await uow.commit()
    return report


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
