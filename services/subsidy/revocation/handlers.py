"""Revocation (R-SUPERVISE): a breach attributable to the expert revokes the application's entitlement, stops
its payments and opens recoveries of what was paid after it; a withdrawal on appeal undoes what it can; the
expert's repayments close the recoveries."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy.disbursements.domain import ACTIVE, DisbursementStatus
from services.subsidy.entitlements.domain import EntitlementStatus
from services.subsidy.entitlements.queries import earliest_policy, policy_in_force
from services.subsidy.ledger.domain import LedgerKind
from services.subsidy.ledger.handlers import append_ledger_entry
from services.subsidy.revocation.domain import RecoveryStatus, recovery_for, recovery_reference
from services.subsidy.revocation.models import breaches, recoveries, recovery_repayments
from services.subsidy.revocation.queries import recovery_balances
from services.subsidy.disbursements.models import disbursements
from services.subsidy.entitlements.models import entitlements
from services.subsidy.ledger.models import ledger_entries
from shared import clock
from shared.breaches import upsert_breach
from shared.errors import Conflict, Unprocessable
from shared.events import CloudEvent
from shared.events.review import BreachAttribution, ContractBreached, ContractBreachWithdrawn
from shared.events.subsidy import BenefitsRestored, BenefitsRevoked, RecoveryRepaid
from shared.queries import one_or_404
from shared.runtime import ServiceRuntime
from shared.uow import UnitOfWork


async def on_contract_breached(event: ContractBreached, envelope: CloudEvent, uow: UnitOfWork) -> None:
    """Record the breach; one attributable to the expert revokes the application's entitlement.

    An employer-attributable breach is recorded and changes no entitlement. A breach that comes
    before the approval is applied when the approval arrives; one already withdrawn, never.
    """
    session = uow.session
    # A new breach is inserted; one its withdrawal came first for gets the facts (and nothing is revoked); one
    # known with its facts is the same breach announced again, left as it is (nothing returned).
    breach = await upsert_breach(
        session, breaches,
        {"breach_id": event.breach_id, "expert_id": event.expert_id, "application_id": event.application_id,
         "recorded_at": clock.now(), "breach_date": event.breach_date,
         "attributable_to": event.attributable_to.value, "facts": event.facts},
        update=["breach_date", "attributable_to", "facts"], where=breaches.c.attributable_to.is_(None),
        returning=breaches.c)
    if breach is None:
        return  # the same breach announced again
    if breach.withdrawn_at is not None:
        # Its withdrawal came first: keep the facts, revoke nothing.
        uow.audit("record_breach", object_type="breach", object_id=event.breach_id,
                  detail={"attributable_to": event.attributable_to.value, "already_withdrawn": True})
        return
    uow.audit("record_breach", object_type="breach", object_id=event.breach_id,
              detail={"attributable_to": event.attributable_to.value, "breach_date": event.breach_date.isoformat()})
    if event.attributable_to != BreachAttribution.expert:
        return  # R-SUPERVISE: recorded and reviewed; the expert's benefits stay
    targets = (await session.execute(sa.select(entitlements).where(
        entitlements.c.application_id == event.application_id,
        entitlements.c.status == EntitlementStatus.open))).all()
    if targets:
        await revoke(uow, breach, targets)


async def apply_earlier_breach(uow: UnitOfWork, entitlement) -> None:
    """An expert-attributable breach of the application that came before its approval, and was not withdrawn,
    revokes the entitlement the approval opened."""
    breach = (await uow.session.execute(sa.select(breaches).where(
        breaches.c.application_id == entitlement.application_id, breaches.c.attributable_to == BreachAttribution.expert,
        breaches.c.withdrawn_at.is_(None)))).first()
    if breach is not None:
        await revoke(uow, breach, [entitlement])


async def revoke(uow: UnitOfWork, breach, targets) -> None:
    """Revoke entitlements: stop active disbursements with finance, open recoveries, emit BenefitsRevoked."""
    session = uow.session
    now = clock.now()
    cancelled = 0
    recovery_total = Decimal("0")
    rounding, funding_year = await _recovery_parameters(session, breach.breach_date)
    for entitlement in targets:
        await session.execute(sa.update(entitlements).where(entitlements.c.id == entitlement.id).values(
            status=EntitlementStatus.revoked, revoked_by_breach=breach.breach_id, revoked_at=now))
        # The sender cancels them with finance (no HTTP inside this transaction); none is sent afterwards.
        result = await session.execute(sa.update(disbursements).where(
            disbursements.c.entitlement_id == entitlement.id, disbursements.c.status.in_(ACTIVE)).values(
            cancel_requested=True, next_attempt_at=now, updated_at=now))
        cancelled += result.rowcount
        paid = (await session.execute(sa.select(ledger_entries.c.funding_year, ledger_entries.c.amount).where(
            ledger_entries.c.entitlement_id == entitlement.id, ledger_entries.c.kind == LedgerKind.disbursement))).all()
        per_year: dict[int, Decimal] = {}
        for row in paid:
            per_year[row.funding_year] = per_year.get(row.funding_year, Decimal("0")) + row.amount
        for year, amount in sorted(per_year.items()):
            recovery_total += await _open_recovery(uow, breach=breach, entitlement=entitlement, year=year,
                                                   paid=amount, rounding=rounding, funding_year=funding_year)
        uow.audit("revoke_entitlement", object_type="entitlement", object_id=entitlement.id,
                  detail={"breach_id": str(breach.breach_id), "rule": "R-SUPERVISE"})
    uow.publish(BenefitsRevoked(
        breach_id=breach.breach_id, expert_id=breach.expert_id, breach_date=breach.breach_date,
        entitlements_revoked=len(targets), disbursements_cancelled=cancelled, recovery_amount=recovery_total,
        revoked_at=now))


async def _recovery_parameters(session, on: date):
    try:
        parameters = (await policy_in_force(session, on)).parameters
    except Unprocessable:  # a breach dated before any policy: the earliest policy's year and rounding
        parameters = await earliest_policy(session)
    return parameters.rounding, parameters.funding_year


async def _open_recovery(uow: UnitOfWork, *, breach, entitlement, year: int, paid: Decimal, rounding,
                         funding_year) -> Decimal:
    start = date(year, funding_year.starts_month, funding_year.starts_day)
    end = date(year + 1, funding_year.starts_month, funding_year.starts_day) - timedelta(days=1)
    amount = recovery_for(paid, funding_year_start=start, funding_year_end=end, breach_date=breach.breach_date,
                          rounding=rounding)
    if amount <= 0:
        return Decimal("0")
    explanation = (f"R-SUPERVISE (Art. 16): {amount:.2f} of {paid:.2f} paid for {start.isoformat()}.."
                   f"{end.isoformat()}, the part after the breach of {breach.breach_date.isoformat()} "
                   "(pro rata by day)")
    recovery_id = uuid.uuid4()
    entry_id = await append_ledger_entry(
        uow, entitlement=entitlement, funding_year=year, kind=LedgerKind.recovery, amount=amount,
        reference=recovery_reference(recovery_id), reason=explanation, actor=None)
    await uow.session.execute(sa.insert(recoveries).values(
        id=recovery_id, breach_id=breach.breach_id, entitlement_id=entitlement.id, expert_id=entitlement.expert_id,
        funding_year=year, amount=amount, explanation=explanation, status=RecoveryStatus.open, ledger_entry_id=entry_id,
        opened_at=clock.now()))
    return amount


async def late_recovery(uow: UnitOfWork, *, entitlement, disbursement) -> None:
    """A payment finance settled although it was being cancelled: what it paid after the breach is owed back."""
    breach = (await uow.session.execute(sa.select(breaches).where(
        breaches.c.breach_id == entitlement.revoked_by_breach))).first()
    if breach is None:
        return
    rounding, funding_year = await _recovery_parameters(uow.session, breach.breach_date)
    await _open_recovery(uow, breach=breach, entitlement=entitlement, year=disbursement.funding_year,
                         paid=disbursement.amount, rounding=rounding, funding_year=funding_year)


async def on_contract_breach_withdrawn(event: ContractBreachWithdrawn, envelope: CloudEvent, uow: UnitOfWork) -> None:
    """Undo a revocation on appeal: reopen entitlements whose contract still runs, cancel open recoveries,
    and say in ``BenefitsRestored`` what could not be restored."""
    session = uow.session
    now = clock.now()
    # Withdrawn before the breach arrived: inserted without its facts, so the breach revokes nothing when it comes.
    # Already withdrawn: left as it is (nothing returned).
    breach = await upsert_breach(
        session, breaches,
        {"breach_id": event.breach_id, "expert_id": event.expert_id, "application_id": event.application_id,
         "recorded_at": now, "withdrawn_at": event.withdrawn_at, "withdrawal_reason": event.reason},
        update=["withdrawn_at", "withdrawal_reason"], where=breaches.c.withdrawn_at.is_(None), returning=breaches.c)
    if breach is None or breach.attributable_to is None:
        return  # already withdrawn; or withdrawn before the breach arrived, and remembered
    uow.audit("withdraw_breach", object_type="breach", object_id=event.breach_id, detail={"reason": event.reason})
    if breach.attributable_to != BreachAttribution.expert:
        return
    revoked = (await session.execute(sa.select(entitlements).where(
        entitlements.c.revoked_by_breach == event.breach_id,
        entitlements.c.status == EntitlementStatus.revoked))).all()
    today = clock.beijing_date(now)
    reopened, not_restored = 0, []
    for entitlement in revoked:
        if entitlement.contract_end < today:
            not_restored.append(f"entitlement {entitlement.id}: its contract ended on "
                                f"{entitlement.contract_end.isoformat()}; it stays closed")
            continue
        await session.execute(sa.update(entitlements).where(entitlements.c.id == entitlement.id).values(
            status=EntitlementStatus.open, revoked_by_breach=None, revoked_at=None))
        reopened += 1
        uow.audit("reopen_entitlement", object_type="entitlement", object_id=entitlement.id,
                  detail={"breach_id": str(event.breach_id)})
        lost = (await session.execute(sa.select(sa.func.count()).select_from(disbursements).where(
            disbursements.c.entitlement_id == entitlement.id, disbursements.c.status == DisbursementStatus.cancelled,
            disbursements.c.cancel_requested))).scalar_one()
        if lost:
            not_restored.append(f"entitlement {entitlement.id}: {lost} disbursement(s) cancelled with finance are "
                                "not reinstated; what remains granted is paid by the next annual run")
    # Locked, as a repayment locks its recovery: one repaid in full meanwhile is no longer open, and is not cancelled.
    open_recoveries = (await session.execute(sa.select(recoveries).where(
        recoveries.c.breach_id == event.breach_id, recoveries.c.status == RecoveryStatus.open).with_for_update())).all()
    # Money the expert already paid back is the bureau's to refund: said, not reversed in the ledger here.
    repayable = (await session.execute(sa.select(recoveries.c.id).where(
        recoveries.c.breach_id == event.breach_id,
        recoveries.c.status.in_((RecoveryStatus.open, RecoveryStatus.repaid))))).scalars().all()
    for recovery_id, (_, repaid) in sorted((await recovery_balances(session, repayable)).items(),
                                           key=lambda item: str(item[0])):
        if repaid > 0:
            not_restored.append(f"recovery {recovery_id}: {repaid:.2f} already repaid by the expert is to be "
                                "refunded by the bureau")
    for recovery in open_recoveries:
        entitlement = (await session.execute(sa.select(entitlements).where(
            entitlements.c.id == recovery.entitlement_id))).one()
        await append_ledger_entry(
            uow, entitlement=entitlement, funding_year=recovery.funding_year, kind=LedgerKind.recovery,
            amount=-recovery.amount, reference=recovery_reference(recovery.id), corrects=recovery.ledger_entry_id,
            reason=f"breach {event.breach_id} withdrawn: recovery cancelled", actor=None)
        await session.execute(sa.update(recoveries).where(recoveries.c.id == recovery.id).values(
            status=RecoveryStatus.cancelled, closed_at=now))
    uow.publish(BenefitsRestored(
        breach_id=event.breach_id, expert_id=breach.expert_id, entitlements_reopened=reopened,
        recoveries_cancelled=len(open_recoveries), not_restored=not_restored, restored_at=now))


async def record_repayment(runtime: ServiceRuntime, *, recovery_id: uuid.UUID, amount: Decimal, received_on: date,
                           reference: str, note: str | None, actor: str) -> uuid.UUID:
    """Record money the expert paid back on a recovery: a repayment row, a 'repayment' ledger row and
    ``RecoveryRepaid``, in one transaction; the recovery is 'repaid' once nothing is outstanding.

    Partial repayments are allowed; more than is outstanding is refused (422), as is a recovery that is
    no longer open (409: repaid, or cancelled when the breach was withdrawn). What is outstanding is read
    from the ledger inside the unit of work, so two repayments at once cannot both pass the check.
    """
    if amount <= 0:
        message = "a repayment is a positive amount"
        raise Unprocessable(message, errors=[{"field": "amount", "message": message, "type": "not_positive"}])
    if received_on > clock.beijing_today():
        message = "a repayment is recorded once received; the day is in the future (Beijing date)"
        raise Unprocessable(message, errors=[{"field": "received_on", "message": message, "type": "in_the_future"}])
    async with runtime.uow() as uow:
        session = uow.session
        recovery = await one_or_404(session, sa.select(recoveries).where(recoveries.c.id == recovery_id)
                                    .with_for_update(), f"no recovery {recovery_id}")
        if recovery.status != RecoveryStatus.open:
            raise Conflict(f"the recovery is {recovery.status}; nothing is owed on it", current_state=recovery.status)
        put, repaid = (await recovery_balances(session, [recovery_id]))[recovery_id]
        outstanding = put - repaid
        if amount > outstanding:
            message = f"at most {outstanding:.2f} is outstanding on recovery {recovery_id}"
            raise Unprocessable(message, errors=[{"field": "amount", "message": message,
                                                  "type": "above_outstanding"}])
        entitlement = (await session.execute(
            sa.select(entitlements).where(entitlements.c.id == recovery.entitlement_id))).one()
        repayment_id = uuid.uuid4()
        now = clock.now()
        entry_id = await append_ledger_entry(
            uow, entitlement=entitlement, funding_year=recovery.funding_year, kind=LedgerKind.repayment, amount=amount,
            reference=recovery_reference(recovery_id), actor=actor,
            reason=f"R-SUPERVISE (Art. 16): {amount:.2f} repaid on recovery {recovery_id}, received "
                   f"{received_on.isoformat()} ({reference})")
        await session.execute(sa.insert(recovery_repayments).values(
            id=repayment_id, recovery_id=recovery_id, amount=amount, received_on=received_on, reference=reference,
            note=note, ledger_entry_id=entry_id, recorded_by=actor, recorded_at=now))
        left = outstanding - amount
        if left == 0:
            await session.execute(sa.update(recoveries).where(recoveries.c.id == recovery_id).values(
                status=RecoveryStatus.repaid, closed_at=now))
        uow.audit("record_repayment", object_type="recovery", object_id=recovery_id,
                  detail={"repayment_id": str(repayment_id), "amount": f"{amount:.2f}",
                          "outstanding": f"{left:.2f}", "received_on": received_on.isoformat()})
        uow.publish(RecoveryRepaid(
            repayment_id=repayment_id, recovery_id=recovery_id, breach_id=recovery.breach_id,
            entitlement_id=recovery.entitlement_id, expert_id=recovery.expert_id, funding_year=recovery.funding_year,
            amount=amount, outstanding=left, received_on=received_on, recorded_at=now))
        await uow.commit()
    return repayment_id
