"""Disbursements to municipal finance: instructions recorded within what is due, leased to the sender, and what
finance says of each payment (its answer, a callback or a poll) applied once."""

from __future__ import annotations

import logging
import uuid
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy.adapters.finance import Payment
from services.subsidy.disbursements.domain import ACTIVE, FINAL, DisbursementStatus, PaymentOutcome, ledger_reference
from services.subsidy.disbursements.queries import still_due
from services.subsidy.entitlements.domain import EntitlementStatus
from services.subsidy.ledger.domain import LedgerKind
from services.subsidy.ledger.handlers import append_ledger_entry
from services.subsidy.revocation.handlers import late_recovery
from services.subsidy.disbursements.models import disbursements
from services.subsidy.entitlements.models import entitlements
from shared import clock
from shared.errors import Conflict, NotFound, Unprocessable
from shared.events.subsidy import DisbursementFailed, DisbursementSettled
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)


async def issue_disbursement(runtime: ServiceRuntime, *, entitlement_id: uuid.UUID, funding_year: int,
                             amount: Decimal, actor: str) -> uuid.UUID:
    """Record one instruction to pay; the sender sends it after the commit (never inside a transaction)."""
    return (await issue_disbursements(runtime, [(entitlement_id, funding_year, amount)], actor=actor))[0]


async def issue_disbursements(runtime: ServiceRuntime, instructions: list[tuple[uuid.UUID, int, Decimal]], *,
                              actor: str) -> list[uuid.UUID]:
    """Record instructions to pay, all or none, each within what is granted and not yet paid or in payment."""
    wanted: dict[tuple[uuid.UUID, int], Decimal] = {}
    for entitlement_id, funding_year, amount in instructions:
        if amount <= 0:
            message = "a disbursement pays a positive amount"
            raise Unprocessable(message, errors=[{"field": "amount", "message": message, "type": "not_positive"}])
        wanted[(entitlement_id, funding_year)] = wanted.get((entitlement_id, funding_year), Decimal("0")) + amount
    ids = [e for e, _ in wanted]
    async with runtime.uow() as uow:
        rows = {r.id: r for r in (await uow.session.execute(
            sa.select(entitlements).where(entitlements.c.id.in_(set(ids))).order_by(entitlements.c.id)
            .with_for_update())).all()}  # in id order, as claims and an annual run's batch lock them
        for entitlement_id in ids:
            entitlement = rows.get(entitlement_id)
            if entitlement is None:
                raise NotFound(f"no entitlement {entitlement_id}")
            if entitlement.status != EntitlementStatus.open:
                raise Conflict(f"the entitlement is {entitlement.status}", current_state=entitlement.status)
        due = await still_due(uow.session, set(ids))
        for key, amount in wanted.items():
            available = due.get(key, Decimal("0"))
            if amount > available:
                message = (f"at most {available:.2f} of {key[1]} is granted and not yet paid or in payment "
                           f"for entitlement {key[0]}")
                raise Unprocessable(message, errors=[{"field": "amount", "message": message,
                                                      "type": "above_to_disburse"}])
        now = clock.now()
        values = []
        for entitlement_id, funding_year, amount in instructions:
            entitlement = rows[entitlement_id]
            values.append({
                "id": uuid.uuid4(), "entitlement_id": entitlement_id, "expert_id": entitlement.expert_id,
                "track": entitlement.track, "district": entitlement.employer_district, "funding_year": funding_year,
                "amount": amount, "status": DisbursementStatus.pending, "cancel_requested": False, "attempts": 0,
                "next_attempt_at": now, "created_at": now, "updated_at": now})
        await uow.session.execute(sa.insert(disbursements), values)
        uow.after_commit(runtime.extras.sender.wake)  # sent now, not at the sender's next poll
        uow.audit("issue_disbursements", object_type="disbursement",
                  object_id=values[0]["id"] if len(values) == 1 else None,
                  detail={"count": len(values), "total": f"{sum(v['amount'] for v in values):.2f}", "by": actor})
        await uow.commit()
    return [v["id"] for v in values]


async def claim_due_disbursements(runtime: ServiceRuntime, *, limit: int, lease_seconds: float) -> list:
    """Lease due instructions to this sender: pending ones to send, accepted ones to poll, cancellations.

    The lease commits before any call to finance, so no transaction is open during the call; a sender
    killed mid-call leaves the lease to expire and another retries with the same Idempotency-Key.
    ``attempts`` counts sends begun, so a cancellation knows whether finance may have the payment.
    """
    now = clock.now()
    async with runtime.uow() as uow:
        query = (
            sa.select(disbursements.c.id, disbursements.c.status, disbursements.c.cancel_requested,
                      disbursements.c.amount, disbursements.c.attempts, disbursements.c.funding_year,
                      disbursements.c.finance_payment_id, disbursements.c.expert_id, disbursements.c.track,
                      entitlements.c.status.label("entitlement_status"), entitlements.c.expert_name)
            .join(entitlements, entitlements.c.id == disbursements.c.entitlement_id)
            .where(disbursements.c.status.in_(ACTIVE),
                   sa.or_(disbursements.c.leased_until.is_(None), disbursements.c.leased_until <= now),
                   disbursements.c.next_attempt_at <= now)
            .order_by(disbursements.c.next_attempt_at).limit(limit)
        )
        if runtime.db.supports_skip_locked:
            query = query.with_for_update(skip_locked=True, of=disbursements)
        rows = (await uow.session.execute(query)).all()
        if rows:
            ids = [r.id for r in rows]
            await uow.session.execute(sa.update(disbursements).where(disbursements.c.id.in_(ids)).values(
                leased_until=now + timedelta(seconds=lease_seconds), updated_at=now,
                attempts=sa.case((disbursements.c.status == DisbursementStatus.pending, disbursements.c.attempts + 1),
                                 else_=disbursements.c.attempts)))
            await uow.commit()
    return rows


async def reschedule_disbursement(runtime: ServiceRuntime, *, disbursement_id: uuid.UUID, error: str,
                                  delay_seconds: float, back_to_pending: bool = False) -> None:
    """Finance could not be reached: try again later, same key (``back_to_pending``: finance lost it)."""
    now = clock.now()
    values = {"leased_until": None, "last_error": error[:1000], "updated_at": now,
              "next_attempt_at": now + timedelta(seconds=delay_seconds)}
    if back_to_pending:
        values["status"] = DisbursementStatus.pending
    async with runtime.uow() as uow:
        await uow.session.execute(sa.update(disbursements).where(
            disbursements.c.id == disbursement_id, disbursements.c.status.in_(ACTIVE)).values(**values))
        await uow.commit()


async def cancel_unsent_disbursement(runtime: ServiceRuntime, *, disbursement_id: uuid.UUID, reason: str) -> bool:
    """Finance never took it (never sent, or not found there): cancelled on our side alone."""
    now = clock.now()
    async with runtime.uow() as uow:
        result = await uow.session.execute(sa.update(disbursements).where(
            disbursements.c.id == disbursement_id, disbursements.c.status == DisbursementStatus.pending).values(
            status=DisbursementStatus.cancelled, final_at=now, failure_reason=reason, leased_until=None,
            updated_at=now))
        if result.rowcount:
            uow.audit("cancel_disbursement", object_type="disbursement", object_id=disbursement_id,
                      detail={"reason": reason, "at_finance": False})
        await uow.commit()
    return bool(result.rowcount)


async def record_payment(runtime: ServiceRuntime, *, disbursement_id: uuid.UUID, payment: Payment,
                         source: str, poll_after_seconds: float = 60.0) -> str:
    """Apply what finance says of a payment (its answer, a callback or a poll); duplicates change nothing.

    Settled: the ledger gets the disbursement row and ``DisbursementSettled`` leaves, in one transaction;
    failed: ``DisbursementFailed``, and the amount is due again (a later run issues it anew).
    Returns what happened: accepted, settled, failed, cancelled, duplicate, unknown or mismatch.
    """
    now = clock.now()
    async with runtime.uow() as uow:
        for _ in range(5):
            row = (await uow.session.execute(
                sa.select(disbursements).where(disbursements.c.id == disbursement_id).with_for_update())).first()
            if row is None:
                log.warning("finance reports %s for unknown disbursement %s", payment.status, disbursement_id)
                return PaymentOutcome.unknown
            if payment.amount != row.amount:
                # Never book what we did not instruct; reconciliation lists it.
                log.error("finance reports %s for disbursement %s of %s", payment.amount, row.id, row.amount)
                return PaymentOutcome.mismatch
            late_settlement = (row.status == DisbursementStatus.cancelled
                               and payment.status == DisbursementStatus.settled and row.finance_payment_id)
            if row.status in FINAL and not late_settlement or row.status == payment.status:
                return PaymentOutcome.duplicate
            values = {"status": payment.status, "finance_payment_id": payment.payment_id,
                      "booked_on": date.fromisoformat(payment.booked_on), "leased_until": None, "last_error": None,
                      "updated_at": now}
            if payment.status == DisbursementStatus.accepted:
                # A cancellation asked for meanwhile is carried out at once; otherwise poll if no callback comes.
                values["next_attempt_at"] = now if row.cancel_requested else now + timedelta(seconds=poll_after_seconds)
            elif payment.status in FINAL:
                values["final_at"] = now
                if payment.status == DisbursementStatus.failed:
                    values["failure_reason"] = payment.failure_reason or "refused by municipal finance"
            else:
                log.error("finance reports unknown status %r for %s", payment.status, row.id)
                return PaymentOutcome.unknown
            # Compare-and-set on the status we read: a callback and a poll racing apply once (SQLite has no
            # row locks, and its first write may follow another writer's commit).
            changed = await uow.session.execute(sa.update(disbursements).where(
                disbursements.c.id == row.id, disbursements.c.status == row.status).values(**values))
            if changed.rowcount:
                break
        else:
            raise RuntimeError(f"disbursement {disbursement_id} kept changing under us")
        if payment.status == DisbursementStatus.settled:
            entitlement = (await uow.session.execute(
                sa.select(entitlements).where(entitlements.c.id == row.entitlement_id))).one()
            await append_ledger_entry(
                uow, entitlement=entitlement, funding_year=row.funding_year, kind=LedgerKind.disbursement,
                amount=row.amount, reference=ledger_reference(row.id),
                reason=f"paid by municipal finance, payment {payment.payment_id} ({source})", actor=None)
            uow.publish(DisbursementSettled(
                disbursement_id=row.id, entitlement_id=row.entitlement_id, expert_id=row.expert_id,
                funding_year=row.funding_year, amount=row.amount, settled_at=now))
            if entitlement.status == EntitlementStatus.revoked:
                await late_recovery(uow, entitlement=entitlement, disbursement=row)
        elif payment.status == DisbursementStatus.failed:
            uow.publish(DisbursementFailed(
                disbursement_id=row.id, entitlement_id=row.entitlement_id, expert_id=row.expert_id,
                funding_year=row.funding_year, amount=row.amount, reason=values["failure_reason"], failed_at=now))
        uow.audit(f"disbursement_{payment.status}", object_type="disbursement", object_id=row.id,
                  detail={"payment_id": payment.payment_id, "source": source})
        await uow.commit()
    return payment.status
