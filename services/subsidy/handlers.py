"""Commands and event handlers of the subsidy service; the only place that opens a unit of work."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy import domain, queries
from services.subsidy.adapters.finance import Payment
from services.subsidy.models import (
    annual_runs, breaches, claims, disbursements, entitlements, ledger_entries, performance_evaluations, policy_versions,
    reconciliations, recoveries, recovery_repayments, reported_evaluations,
)
from shared import clock
from shared.auth import Principal, Role
from shared.errors import Conflict, Forbidden, NotFound, Unprocessable
from shared.events import CloudEvent
from shared.events.review import ApplicationApproved, ContractBreached, ContractBreachWithdrawn, PerformanceEvaluated
from shared.events.subsidy import (
    BenefitsRestored, BenefitsRevoked, DisbursementFailed, DisbursementSettled, EntitlementOpened, RecoveryRepaid,
)
from shared.events.topology import SUBSCRIPTIONS
from shared.inbox import EventHandler
from shared.runtime import ServiceRuntime
from shared.uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PolicyVersion:
    id: str
    name: str
    effective_from: date
    effective_to: date | None
    parameters: domain.PolicyParameters


async def policy_in_force(session, on: date) -> PolicyVersion:
    """The policy version in force on ``on`` (R-EFFECTIVE); refused when no policy was in force."""
    row = (await session.execute(
        sa.select(policy_versions)
        .where(policy_versions.c.effective_from <= on)
        .where(sa.or_(policy_versions.c.effective_to.is_(None), policy_versions.c.effective_to > on))
        .order_by(policy_versions.c.effective_from.desc())
        .limit(1)
    )).first()
    if row is None:
        earliest = await session.scalar(sa.select(sa.func.min(policy_versions.c.effective_from)))
        since = f"; the earliest policy is in force from {earliest.isoformat()}" if earliest else ""
        message = f"no policy in force on {on.isoformat()}{since} (R-EFFECTIVE)"
        raise Unprocessable(
            message, rule="R-EFFECTIVE",
            errors=[{"field": "period_end", "message": message, "type": "no_policy_in_force"}],
        )
    return PolicyVersion(
        id=row.id, name=row.name, effective_from=row.effective_from, effective_to=row.effective_to,
        parameters=domain.PolicyParameters.model_validate(row.parameters),
    )


async def quote(runtime: ServiceRuntime, *, period_end: date, inputs: domain.Inputs) -> domain.Quote:
    """A pure computation under the version in force at ``period_end``: nothing is stored."""
    async with runtime.db.session() as session:
        version = await policy_in_force(session, period_end)
    try:
        return domain.quote(version.parameters, inputs, policy_version=version.id)
    except domain.UnknownGrade as exc:
        raise Unprocessable(
            str(exc), errors=[{"field": "performance", "message": str(exc), "type": "unknown_grade"}]
        ) from exc


async def on_application_approved(event: ApplicationApproved, envelope: CloudEvent, uow: UnitOfWork) -> None:
    """Open the entitlement of an approved application: the track, contract and any cap exception."""
    existing = await uow.session.scalar(
        sa.select(entitlements.c.id).where(entitlements.c.application_id == event.application_id)
    )
    if existing is not None:
        # Converge: the same approval announced again (a new event id) opens nothing more.
        log.info("entitlement %s already open for application %s", existing, event.application_id)
        return
    exception = event.cap_exception
    entitlement_id = uuid.uuid4()
    opened_at = datetime.now(UTC)
    await uow.session.execute(sa.insert(entitlements).values(
        id=entitlement_id,
        application_id=event.application_id,
        decision_id=event.decision_id,
        decided_at=event.decided_at,
        expert_id=event.expert.expert_id,
        expert_name=event.expert.name,
        employer_id=event.employer.employer_id,
        employer_name=event.employer.name,
        employer_district=event.employer.district,
        track=event.track.value,
        contract_start=event.contract.start,
        contract_end=event.contract.end,
        annual_salary=event.contract.annual_salary,
        cap_exception_amount=exception.amount if exception else None,
        cap_exception_reason=exception.reason if exception else None,
        cap_exception_approved_by=exception.approved_by if exception else None,
        funding_plan=event.funding_plan.model_dump(mode="json"),
        status="open",
        opened_at=opened_at,
        source_event_id=str(envelope.id),
    ))
    uow.audit("open_entitlement", object_type="entitlement", object_id=entitlement_id,
              detail={"application_id": str(event.application_id), "track": event.track.value,
                      "cap_exception": exception is not None})
    # The employer and the expert learn the entitlement they claim on and are paid under (and the expert's
    # timeline shows it), in the transaction that opened it.
    uow.publish(EntitlementOpened(
        entitlement_id=entitlement_id, application_id=event.application_id, expert_id=event.expert.expert_id,
        employer_id=event.employer.employer_id, track=event.track, opened_at=opened_at))
    entitlement = (await uow.session.execute(sa.select(entitlements).where(entitlements.c.id == entitlement_id))).one()
    # Events that logically follow the approval may have come first: apply them now (convergence).
    for reported in (await uow.session.execute(sa.select(reported_evaluations).where(
            reported_evaluations.c.application_id == event.application_id))).all():
        await _apply_reported_evaluation(uow, entitlement, reported)
    breach = (await uow.session.execute(sa.select(breaches).where(
        breaches.c.application_id == event.application_id, breaches.c.attributable_to == "expert",
        breaches.c.withdrawn_at.is_(None)))).first()
    if breach is not None:
        await _revoke(uow, breach, [entitlement])


def _ledger_entry(row) -> domain.LedgerEntry:
    return domain.LedgerEntry(id=row.id, funding_year=row.funding_year, track=row.track, kind=row.kind,
                              amount=row.amount, item_code=row.item_code, corrects=row.corrects)


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
                               reason: str, actor: str):
    """Bring an entry to ``corrected_amount`` by appending the difference; the entry itself is untouched."""
    async with runtime.uow() as uow:
        row = (await uow.session.execute(
            sa.select(ledger_entries).where(ledger_entries.c.id == entry_id).with_for_update()
        )).first()
        if row is None:
            raise NotFound(f"no ledger entry {entry_id}")
        root_id = row.corrects or row.id  # a correction of a correction corrects the original
        root = row if root_id == row.id else (await uow.session.execute(
            sa.select(ledger_entries).where(ledger_entries.c.id == root_id).with_for_update())).one()
        family = (await uow.session.execute(sa.select(ledger_entries).where(
            sa.or_(ledger_entries.c.id == root_id, ledger_entries.c.corrects == root_id)))).all()
        delta = domain.correction_delta([_ledger_entry(r) for r in family], root_id, corrected_amount)
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
    async with runtime.db.session() as session:
        return (await session.execute(sa.select(ledger_entries).where(ledger_entries.c.id == new_id))).one()


def _is_officer(principal: Principal) -> bool:
    return principal.has_any(Role.bureau_officer, Role.admin)


def _may_claim(principal: Principal, entitlement) -> bool:
    """Officers, and the employer of the entitlement acting for itself."""
    return _is_officer(principal) or (
        principal.has_any(Role.employer) and principal.organisation == str(entitlement.employer_id))


async def record_evaluation(runtime: ServiceRuntime, *, entitlement_id: uuid.UUID, funding_year: int, grade: str,
                            actor: str):
    """R-SUB-RECURRING: record the performance evaluation (绩效考评) of one work year, once."""
    async with runtime.uow() as uow:
        entitlement = (await uow.session.execute(
            sa.select(entitlements).where(entitlements.c.id == entitlement_id))).first()
        if entitlement is None:
            raise NotFound(f"no entitlement {entitlement_id}")
        if entitlement.track != "key_industry_recurring":
            raise Conflict("only Art. 12 entitlements have performance evaluations (R-SUB-RECURRING)",
                           track=entitlement.track)
        existing = (await uow.session.execute(sa.select(performance_evaluations).where(
            performance_evaluations.c.entitlement_id == entitlement_id,
            performance_evaluations.c.funding_year == funding_year))).first()
        if existing is not None:
            by = "the review service" if existing.source == "review" else "an officer"
            raise Conflict(f"the evaluation of {funding_year} is already recorded by {by}", grade=existing.grade,
                           source=existing.source)
        row = {"entitlement_id": entitlement_id, "funding_year": funding_year, "grade": grade,
               "recorded_by": actor, "recorded_at": datetime.now(UTC), "source": "officer"}
        try:
            await uow.session.execute(sa.insert(performance_evaluations).values(**row))
        except sa.exc.IntegrityError as exc:  # recorded by a concurrent request since the check
            raise Conflict(f"the evaluation of {funding_year} is already recorded", source="officer") from exc
        uow.audit("record_performance_evaluation", object_type="entitlement", object_id=entitlement_id,
                  detail={"funding_year": funding_year, "grade": grade})
        await uow.commit()
    return row


async def submit_claim(runtime: ServiceRuntime, *, entitlement_id: uuid.UUID, claim, principal: Principal):
    """Assess an annual claim (R-SUB-*, R-YEAR-CAP, R-ONE-TRACK, R-ROUNDING) and grant its items.

    The claim row freezes the inputs as assessed (what was already granted, the year of the
    sequence, the grade, the cap exception), the policy version and the explained items; each
    non-zero item becomes a grant in the ledger, in the same transaction.
    """
    async with runtime.uow() as uow:
        session = uow.session
        entitlement = (await session.execute(
            sa.select(entitlements).where(entitlements.c.id == entitlement_id))).first()
        if entitlement is None:
            raise NotFound(f"no entitlement {entitlement_id}")
        if not _may_claim(principal, entitlement):
            raise Forbidden("only the entitlement's employer or a bureau officer may claim")
        # Serialise claims of one expert: caps and R-ONE-TRACK span all the expert's entitlements. Locked in id
        # order, as an annual run's batch and an instruction lock them, so that none of them deadlocks another.
        await session.execute(sa.select(entitlements.c.id).where(
            entitlements.c.expert_id == entitlement.expert_id).order_by(entitlements.c.id).with_for_update())
        if claim.track != entitlement.track:
            raise Unprocessable(
                f"this entitlement is under {entitlement.track}, not {claim.track}",
                errors=[{"field": "track", "message": f"the entitlement's track is {entitlement.track}",
                         "type": "track_mismatch"}])
        if entitlement.status != "open":
            raise Conflict(f"the entitlement is {entitlement.status}", current_state=entitlement.status)
        if claim.period_end > clock.beijing_today():  # a claim period ends on a Beijing date (policy: Dates)
            message = "a claim is for a period that has ended; quote a period still running instead"
            raise Unprocessable(message, errors=[{"field": "period_end", "message": message,
                                                  "type": "period_not_ended"}])
        if claim.period_end < entitlement.contract_start:
            message = f"the period ends before the contract starts ({entitlement.contract_start.isoformat()})"
            raise Unprocessable(message, errors=[{"field": "period_end", "message": message,
                                                  "type": "before_contract"}])
        version = await policy_in_force(session, claim.period_end)
        parameters = version.parameters
        funding_year = parameters.funding_year.of(claim.period_end)
        ledger = [_ledger_entry(r) for r in (await session.execute(
            sa.select(ledger_entries).where(ledger_entries.c.expert_id == entitlement.expert_id))).all()]

        # R-ONE-TRACK: one track per expert-year, so the same pay is never funded twice.
        for other in {e.track for e in ledger if e.track != entitlement.track}:
            if domain.granted_this_year(ledger, funding_year=funding_year, track=other) > 0:
                raise Conflict(
                    f"the expert is already funded under {other} in {funding_year}; an expert-year is funded "
                    "under one track only (R-ONE-TRACK)", rule="R-ONE-TRACK", funding_year=funding_year,
                    funded_track=other)

        def granted(item_code: str | None = None) -> Decimal:
            return domain.granted_this_year(ledger, funding_year=funding_year, track=entitlement.track,
                                            item_code=item_code)

        if claim.track == "haiju_long_term":
            inputs = domain.HaijuInputs(
                salary_paid=claim.salary_paid, medical_premium_paid=claim.medical_premium_paid,
                thousand_talents_salary_subsidy=claim.thousand_talents_salary_subsidy,
                salary_funded_by_municipal_finance=claim.salary_funded_by_municipal_finance,
                contract_fulfilled=claim.contract_fulfilled,
                cap_exception_amount=entitlement.cap_exception_amount,
                already_granted_this_year=granted("salary_subsidy"),
                already_granted_medical_this_year=granted("medical_insurance_subsidy"),
            )
        elif claim.track == "key_industry_recurring":
            inputs = await _recurring_inputs(session, entitlement, claim, funding_year, parameters, granted())
        else:
            inputs = domain.ShortTermInputs(
                days_in_beijing=claim.days_in_beijing, international_travel_cost=claim.international_travel_cost,
                living_cost=claim.living_cost, agreed_salary=claim.agreed_salary,
                medical_premium_paid=claim.medical_premium_paid, already_granted_this_year=granted(),
            )
        try:
            result = domain.quote(parameters, inputs, policy_version=version.id)
        except domain.UnknownGrade as exc:  # an evaluation recorded under grades a later policy dropped
            raise Conflict(str(exc), rule="R-SUB-RECURRING") from exc

        claim_id = uuid.uuid4()
        row = {
            "id": claim_id, "entitlement_id": entitlement.id, "expert_id": entitlement.expert_id,
            "track": entitlement.track, "funding_year": funding_year, "period_end": claim.period_end,
            "evidence_reference": claim.evidence_reference, "inputs": _frozen(inputs),
            "policy_version": version.id,
            "items": [{"code": i.code, "article": i.article, "amount": f"{i.amount:.2f}",
                       "explanation": i.explanation} for i in result.items],
            "total": result.total, "submitted_by": principal.subject, "assessed_at": datetime.now(UTC),
        }
        await session.execute(sa.insert(claims).values(**row))
        for item in result.items:
            if item.amount > 0:
                await append_ledger_entry(
                    uow, entitlement=entitlement, funding_year=funding_year, kind="grant", amount=item.amount,
                    reference=f"claim:{claim_id}", reason=item.explanation, actor=principal.subject,
                    item_code=item.code)
        uow.audit("assess_claim", object_type="claim", object_id=claim_id,
                  detail={"entitlement_id": str(entitlement.id), "funding_year": funding_year,
                          "total": f"{result.total:.2f}", "policy_version": version.id})
        await uow.commit()
    return await get_claim(runtime, claim_id=claim_id)


async def _recurring_inputs(session, entitlement, claim, funding_year: int, parameters, already: Decimal):
    """Art. 12: the year of the sequence, whether an earlier year ended it, and the officer's grade."""
    p = parameters.key_industry_recurring
    earlier = (await session.execute(
        sa.select(claims.c.funding_year, claims.c.inputs).where(claims.c.entitlement_id == entitlement.id)
        .order_by(claims.c.funding_year))).all()
    if any(c.funding_year == funding_year for c in earlier):
        raise Conflict(f"the work year {funding_year} is already claimed; Art. 12 funds once per work year",
                       rule="R-SUB-RECURRING", funding_year=funding_year)
    first_year = min([c.funding_year for c in earlier if c.funding_year < funding_year], default=funding_year)
    ended = [c.inputs["consecutive_year"] for c in earlier
             if c.funding_year < funding_year and c.inputs["days_in_beijing"] < p.min_days_in_beijing]
    evaluation = (await session.execute(sa.select(performance_evaluations.c.grade).where(
        performance_evaluations.c.entitlement_id == entitlement.id,
        performance_evaluations.c.funding_year == funding_year))).scalar()
    if evaluation is None:
        raise Conflict(f"no performance evaluation of {funding_year} is recorded yet; Art. 12 funds according "
                       "to it (R-SUB-RECURRING)", rule="R-SUB-RECURRING", funding_year=funding_year)
    return domain.RecurringInputs(
        remuneration=claim.remuneration, days_in_beijing=claim.days_in_beijing, performance=evaluation,
        consecutive_year=funding_year - first_year + 1, already_granted_this_year=already,
        sequence_ended_in_year=min(ended) if ended else None,
    )


def _frozen(inputs) -> dict:
    return {k: (f"{v}" if isinstance(v, Decimal) else v) for k, v in vars(inputs).items()}


async def get_claim(runtime: ServiceRuntime, *, claim_id: uuid.UUID, principal: Principal | None = None):
    """A claim as assessed; for a caller, only an officer or the entitlement's employer sees it."""
    async with runtime.db.session() as session:
        row = (await session.execute(sa.select(claims).where(claims.c.id == claim_id))).first()
        entitlement = None if row is None else (await session.execute(
            sa.select(entitlements).where(entitlements.c.id == row.entitlement_id))).one()
    if row is None or (principal is not None and not _may_claim(principal, entitlement)):
        raise NotFound(f"no claim {claim_id}")
    return row


# -- disbursements to municipal finance -----------------------------------------------------------

ACTIVE = ("pending", "accepted")
"""Disbursements finance may still pay: they count against what remains to disburse."""
FINAL = ("settled", "failed", "cancelled")


def _publish_if_bound(uow: UnitOfWork, event) -> None:
    """Publish an event some service subscribes to. Publishes are mandatory: one nobody binds would be
    retried by the relay for ever, so it waits for its first consumer in the topology."""
    if any(type(event) in events for events in SUBSCRIPTIONS.values()):
        uow.publish(event)


def _now() -> datetime:
    return clock.now()


def ledger_reference(disbursement_id) -> str:
    return f"disbursement:{disbursement_id}"


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
            if entitlement.status != "open":
                raise Conflict(f"the entitlement is {entitlement.status}", current_state=entitlement.status)
        granted: dict[tuple, Decimal] = {}
        for r in (await uow.session.execute(sa.select(
                ledger_entries.c.entitlement_id, ledger_entries.c.funding_year, ledger_entries.c.amount).where(
                ledger_entries.c.entitlement_id.in_(set(ids)), ledger_entries.c.kind == "grant"))).all():
            granted[(r.entitlement_id, r.funding_year)] = granted.get((r.entitlement_id, r.funding_year),
                                                                      Decimal("0")) + r.amount
        for r in (await uow.session.execute(sa.select(
                disbursements.c.entitlement_id, disbursements.c.funding_year, disbursements.c.amount).where(
                disbursements.c.entitlement_id.in_(set(ids)),
                disbursements.c.status.in_(("pending", "accepted", "settled"))))).all():
            granted[(r.entitlement_id, r.funding_year)] = granted.get((r.entitlement_id, r.funding_year),
                                                                      Decimal("0")) - r.amount
        for key, amount in wanted.items():
            available = granted.get(key, Decimal("0"))
            if amount > available:
                message = (f"at most {available:.2f} of {key[1]} is granted and not yet paid or in payment "
                           f"for entitlement {key[0]}")
                raise Unprocessable(message, errors=[{"field": "amount", "message": message,
                                                      "type": "above_to_disburse"}])
        now = _now()
        values = []
        for entitlement_id, funding_year, amount in instructions:
            entitlement = rows[entitlement_id]
            values.append({
                "id": uuid.uuid4(), "entitlement_id": entitlement_id, "expert_id": entitlement.expert_id,
                "track": entitlement.track, "district": entitlement.employer_district, "funding_year": funding_year,
                "amount": amount, "status": "pending", "cancel_requested": False, "attempts": 0,
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
    now = _now()
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
                attempts=sa.case((disbursements.c.status == "pending", disbursements.c.attempts + 1),
                                 else_=disbursements.c.attempts)))
            await uow.commit()
    return rows


async def reschedule_disbursement(runtime: ServiceRuntime, *, disbursement_id: uuid.UUID, error: str,
                                  delay_seconds: float, back_to_pending: bool = False) -> None:
    """Finance could not be reached: try again later, same key (``back_to_pending``: finance lost it)."""
    now = _now()
    values = {"leased_until": None, "last_error": error[:1000], "updated_at": now,
              "next_attempt_at": now + timedelta(seconds=delay_seconds)}
    if back_to_pending:
        values["status"] = "pending"
    async with runtime.uow() as uow:
        await uow.session.execute(sa.update(disbursements).where(
            disbursements.c.id == disbursement_id, disbursements.c.status.in_(ACTIVE)).values(**values))
        await uow.commit()


async def cancel_unsent_disbursement(runtime: ServiceRuntime, *, disbursement_id: uuid.UUID, reason: str) -> bool:
    """Finance never took it (never sent, or not found there): cancelled on our side alone."""
    now = _now()
    async with runtime.uow() as uow:
        result = await uow.session.execute(sa.update(disbursements).where(
            disbursements.c.id == disbursement_id, disbursements.c.status == "pending").values(
            status="cancelled", final_at=now, failure_reason=reason, leased_until=None, updated_at=now))
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
    now = _now()
    async with runtime.uow() as uow:
        for _ in range(5):
            row = (await uow.session.execute(
                sa.select(disbursements).where(disbursements.c.id == disbursement_id).with_for_update())).first()
            if row is None:
                log.warning("finance reports %s for unknown disbursement %s", payment.status, disbursement_id)
                return "unknown"
            if payment.amount != row.amount:
                # Never book what we did not instruct; reconciliation lists it.
                log.error("finance reports %s for disbursement %s of %s", payment.amount, row.id, row.amount)
                return "mismatch"
            late_settlement = row.status == "cancelled" and payment.status == "settled" and row.finance_payment_id
            if row.status in FINAL and not late_settlement or row.status == payment.status:
                return "duplicate"
            values = {"status": payment.status, "finance_payment_id": payment.payment_id,
                      "booked_on": date.fromisoformat(payment.booked_on), "leased_until": None, "last_error": None,
                      "updated_at": now}
            if payment.status == "accepted":
                # A cancellation asked for meanwhile is carried out at once; otherwise poll if no callback comes.
                values["next_attempt_at"] = now if row.cancel_requested else now + timedelta(seconds=poll_after_seconds)
            elif payment.status in FINAL:
                values["final_at"] = now
                if payment.status == "failed":
                    values["failure_reason"] = payment.failure_reason or "refused by municipal finance"
            else:
                log.error("finance reports unknown status %r for %s", payment.status, row.id)
                return "unknown"
            # Compare-and-set on the status we read: a callback and a poll racing apply once (SQLite has no
            # row locks, and its first write may follow another writer's commit).
            changed = await uow.session.execute(sa.update(disbursements).where(
                disbursements.c.id == row.id, disbursements.c.status == row.status).values(**values))
            if changed.rowcount:
                break
        else:
            raise RuntimeError(f"disbursement {disbursement_id} kept changing under us")
        if payment.status == "settled":
            entitlement = (await uow.session.execute(
                sa.select(entitlements).where(entitlements.c.id == row.entitlement_id))).one()
            await append_ledger_entry(
                uow, entitlement=entitlement, funding_year=row.funding_year, kind="disbursement",
                amount=row.amount, reference=ledger_reference(row.id),
                reason=f"paid by municipal finance, payment {payment.payment_id} ({source})", actor=None)
            _publish_if_bound(uow, DisbursementSettled(
                disbursement_id=row.id, entitlement_id=row.entitlement_id, expert_id=row.expert_id,
                funding_year=row.funding_year, amount=row.amount, settled_at=now))
            if entitlement.status == "revoked":
                await _late_recovery(uow, entitlement=entitlement, disbursement=row)
        elif payment.status == "failed":
            _publish_if_bound(uow, DisbursementFailed(
                disbursement_id=row.id, entitlement_id=row.entitlement_id, expert_id=row.expert_id,
                funding_year=row.funding_year, amount=row.amount, reason=values["failure_reason"], failed_at=now))
        uow.audit(f"disbursement_{payment.status}", object_type="disbursement", object_id=row.id,
                  detail={"payment_id": payment.payment_id, "source": source})
        await uow.commit()
    return payment.status


async def reconcile(runtime: ServiceRuntime, *, day: date, actor: str | None):
    """Compare our disbursements of ``day`` with finance's statement of it; record and return every difference."""
    theirs = await runtime.extras.finance.statement(day)  # outside any transaction
    references = [uuid.UUID(p.reference) for p in theirs if _is_uuid(p.reference)]
    start = clock.beijing_day_start(day)  # finance books on Beijing days
    async with runtime.db.session() as session:
        rows = (await session.execute(sa.select(disbursements).where(sa.or_(
            disbursements.c.booked_on == day,
            disbursements.c.id.in_(references) if references else sa.false(),
            sa.and_(disbursements.c.booked_on.is_(None), disbursements.c.created_at >= start,
                    disbursements.c.created_at < start + timedelta(days=1),
                    disbursements.c.status != "cancelled"))))).all()
        ledger = (await session.execute(sa.select(ledger_entries.c.reference, ledger_entries.c.amount).where(
            ledger_entries.c.kind == "disbursement",
            ledger_entries.c.reference.in_([ledger_reference(r.id) for r in rows])))).all() if rows else []
    paid: dict[str, Decimal] = {}
    for entry in ledger:
        paid[entry.reference] = paid.get(entry.reference, Decimal("0")) + entry.amount
    ours = [domain.OurDisbursement(id=str(r.id), amount=r.amount, status=r.status,
                                   finance_payment_id=r.finance_payment_id, attempts=r.attempts,
                                   ledger_disbursed=paid.get(ledger_reference(r.id), Decimal("0"))) for r in rows]
    differences = domain.reconcile(ours, [domain.TheirPayment(payment_id=p.payment_id, reference=p.reference,
                                                              amount=p.amount, status=p.status) for p in theirs])
    async with runtime.db.session() as session:  # repayments received that day, against the ledger (R-SUPERVISE)
        differences += await queries.recovery_differences(session, day)
    report = {"id": uuid.uuid4(), "day": day, "ran_at": _now(), "ran_by": actor, "ours": len(ours),
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


# -- the annual run ---------------------------------------------------------------------------------

def _run_candidates(funding_year: int):
    """Open entitlements with a claim for the year: the run's population, in keyset order."""
    return sa.and_(entitlements.c.status == "open", sa.exists().where(
        claims.c.entitlement_id == entitlements.c.id, claims.c.funding_year == funding_year))


_ANNUAL_RUN_LOCK = 0x53554244
"""The first key of the PostgreSQL advisory lock that serialises the starts of a year's annual run."""


async def start_annual_run(runtime: ServiceRuntime, *, funding_year: int, actor: str) -> uuid.UUID:
    """Record a run for ``funding_year``; one run of a year at a time (409 naming the one running)."""
    now = _now()
    async with runtime.uow() as uow:
        if not runtime.db.is_sqlite:
            # Starts of one year queue here: there is no row to lock before the first run exists (on SQLite,
            # BEGIN IMMEDIATE runs them one after the other already).
            await uow.session.execute(sa.select(sa.func.pg_advisory_xact_lock(_ANNUAL_RUN_LOCK, funding_year)))
        running = (await uow.session.execute(sa.select(annual_runs.c.id).where(
            annual_runs.c.funding_year == funding_year, annual_runs.c.status == "running"))).scalar()
        if running is not None:
            raise Conflict(f"the annual run {running} of {funding_year} is still running", current_state="running",
                           run_id=str(running))
        total = (await uow.session.execute(sa.select(sa.func.count()).select_from(entitlements).where(
            _run_candidates(funding_year)))).scalar_one()
        run_id = uuid.uuid4()
        await uow.session.execute(sa.insert(annual_runs).values(
            id=run_id, funding_year=funding_year, status="running", cursor=None, entitlements_total=total,
            entitlements_assessed=0, disbursements_issued=0, amount_issued=Decimal("0"), started_by=actor,
            started_at=now, updated_at=now))
        uow.audit("start_annual_run", object_type="annual_run", object_id=run_id,
                  detail={"funding_year": funding_year, "entitlements": total})
        uow.after_commit(runtime.extras.annual_runner.wake)  # carried out now, not at the runner's next poll
        await uow.commit()
    return run_id


async def claim_annual_run(runtime: ServiceRuntime, *, lease_seconds: float, run_id: uuid.UUID | None = None):
    """Lease a running run nobody holds (a crashed runner's lease has expired): the one to resume."""
    now = _now()
    async with runtime.uow() as uow:
        query = sa.select(annual_runs).where(
            annual_runs.c.status == "running",
            sa.or_(annual_runs.c.leased_until.is_(None), annual_runs.c.leased_until <= now)).limit(1)
        if run_id is not None:
            query = query.where(annual_runs.c.id == run_id)
        if runtime.db.supports_skip_locked:
            query = query.with_for_update(skip_locked=True)
        row = (await uow.session.execute(query)).first()
        if row is None:
            return None
        await uow.session.execute(sa.update(annual_runs).where(annual_runs.c.id == row.id).values(
            leased_until=now + timedelta(seconds=lease_seconds)))
        await uow.commit()
    return row


async def annual_run_batch(runtime: ServiceRuntime, *, run_id: uuid.UUID, batch_size: int,
                           lease_seconds: float) -> tuple[int, int, bool]:
    """Assess the next ``batch_size`` entitlements after the run's cursor and issue what each has still to
    receive for the year (granted, less what is paid or in payment), with the cursor, in one transaction.

    Set-based: on PostgreSQL one INSERT ... SELECT per batch; no object per expert. A run killed at any
    point resumes after the last committed batch, and (run, entitlement) is unique besides, so no
    entitlement is issued twice by one run. Returns (assessed, issued, done).
    """
    now = _now()
    async with runtime.uow() as uow:
        session = uow.session
        run = (await session.execute(sa.select(annual_runs).where(annual_runs.c.id == run_id)
                                     .with_for_update())).one()
        if run.status != "running":
            return 0, 0, True
        year = run.funding_year
        batch = (sa.select(entitlements.c.id, entitlements.c.expert_id, entitlements.c.track,
                           entitlements.c.employer_district)
                 .where(_run_candidates(year)).order_by(entitlements.c.id).limit(batch_size))
        if run.cursor is not None:
            batch = batch.where(entitlements.c.id > run.cursor)
        if runtime.db.is_sqlite:
            assessed, issued, amount, last = await _issue_batch_in_python(session, batch, run, now)
        else:
            assessed, issued, amount, last = await _issue_batch_in_sql(session, batch, run, now, batch_size)
        done = assessed < batch_size
        values = {"entitlements_assessed": run.entitlements_assessed + assessed,
                  "disbursements_issued": run.disbursements_issued + issued,
                  "amount_issued": run.amount_issued + amount, "updated_at": now,
                  "leased_until": now + timedelta(seconds=lease_seconds)}
        if last is not None:
            values["cursor"] = last
        if done:
            values.update(status="issued", issued_at=now, leased_until=None)
            uow.audit("annual_run_issued", object_type="annual_run", object_id=run_id,
                      detail={"funding_year": year, "disbursements": values["disbursements_issued"],
                              "amount": f"{values['amount_issued']:.2f}"})
        await session.execute(sa.update(annual_runs).where(annual_runs.c.id == run_id).values(**values))
        if issued:
            uow.after_commit(runtime.extras.sender.wake)  # the batch's disbursements go now
        await uow.commit()
    return assessed, issued, done


async def _issue_batch_in_sql(session, batch, run, now, batch_size: int):
    done = run.entitlements_assessed // batch_size
    if done & (done - 1) == 0:
        # The run grows `disbursements` fast: statistics refreshed after batches 0, 1, 2, 4, 8 ... keep the
        # planner on the indexes (a plan made for a nearly empty table turns quadratic as the run fills it).
        await session.execute(sa.text("ANALYZE disbursements"))
    # The batch's entitlements locked first, in a statement of their own: an officer's instruction (which locks
    # its entitlement) either committed before, and the INSERT below (its snapshot taken after the lock) counts
    # it, or waits and counts what the batch issued. In one statement the snapshot would predate the lock.
    await session.execute(batch.with_for_update(of=entitlements))
    ids = batch.cte("batch")
    granted = (sa.select(ledger_entries.c.entitlement_id, sa.func.sum(ledger_entries.c.amount).label("amount"))
               .where(ledger_entries.c.entitlement_id.in_(sa.select(ids.c.id)), ledger_entries.c.kind == "grant",
                      ledger_entries.c.funding_year == run.funding_year)
               .group_by(ledger_entries.c.entitlement_id).cte("granted"))
    committed = (sa.select(disbursements.c.entitlement_id, sa.func.sum(disbursements.c.amount).label("amount"))
                 .where(disbursements.c.entitlement_id.in_(sa.select(ids.c.id)),
                        disbursements.c.funding_year == run.funding_year,
                        disbursements.c.status.in_(("pending", "accepted", "settled")))
                 .group_by(disbursements.c.entitlement_id).cte("committed"))
    due = (granted.c.amount - sa.func.coalesce(committed.c.amount, 0))
    select = (sa.select(sa.func.gen_random_uuid(), ids.c.id, ids.c.expert_id, ids.c.track, ids.c.employer_district,
                        sa.literal(run.funding_year), due, sa.literal(run.id, sa.Uuid), sa.literal("pending"),
                        sa.false(), sa.literal(0), sa.literal(now, sa.DateTime(timezone=True)),
                        sa.literal(now, sa.DateTime(timezone=True)), sa.literal(now, sa.DateTime(timezone=True)))
              .select_from(ids.join(granted, granted.c.entitlement_id == ids.c.id)
                           .outerjoin(committed, committed.c.entitlement_id == ids.c.id))
              .where(due > 0))
    from sqlalchemy.dialects.postgresql import insert

    inserted = (insert(disbursements).from_select(
        ["id", "entitlement_id", "expert_id", "track", "district", "funding_year", "amount", "run_id", "status",
         "cancel_requested", "attempts", "next_attempt_at", "created_at", "updated_at"], select)
        .on_conflict_do_nothing(index_elements=["run_id", "entitlement_id"])
        .returning(disbursements.c.amount)).cte("inserted")
    row = (await session.execute(sa.select(
        sa.select(sa.func.count()).select_from(ids).scalar_subquery(),
        sa.select(ids.c.id).order_by(ids.c.id.desc()).limit(1).scalar_subquery(),
        sa.select(sa.func.count()).select_from(inserted).scalar_subquery(),
        sa.select(sa.func.coalesce(sa.func.sum(inserted.c.amount), 0)).scalar_subquery(),
    ))).one()
    assessed, last, issued, amount = row
    return assessed, issued, Decimal(amount).quantize(Decimal("0.01")), last


async def _issue_batch_in_python(session, batch, run, now):
    rows = (await session.execute(batch)).all()
    if not rows:
        return 0, 0, Decimal("0"), None
    ids = [r.id for r in rows]
    due: dict[uuid.UUID, Decimal] = {}
    for r in (await session.execute(sa.select(ledger_entries.c.entitlement_id, ledger_entries.c.amount).where(
            ledger_entries.c.entitlement_id.in_(ids), ledger_entries.c.kind == "grant",
            ledger_entries.c.funding_year == run.funding_year))).all():
        due[r.entitlement_id] = due.get(r.entitlement_id, Decimal("0")) + r.amount
    for r in (await session.execute(sa.select(disbursements.c.entitlement_id, disbursements.c.amount).where(
            disbursements.c.entitlement_id.in_(ids), disbursements.c.funding_year == run.funding_year,
            disbursements.c.status.in_(("pending", "accepted", "settled"))))).all():
        due[r.entitlement_id] = due.get(r.entitlement_id, Decimal("0")) - r.amount
    already = set((await session.execute(sa.select(disbursements.c.entitlement_id).where(
        disbursements.c.run_id == run.id, disbursements.c.entitlement_id.in_(ids)))).scalars())
    values = [{"id": uuid.uuid4(), "entitlement_id": r.id, "expert_id": r.expert_id, "track": r.track,
               "district": r.employer_district, "funding_year": run.funding_year, "amount": due[r.id],
               "run_id": run.id, "status": "pending", "cancel_requested": False, "attempts": 0,
               "next_attempt_at": now, "created_at": now, "updated_at": now}
              for r in rows if due.get(r.id, Decimal("0")) > 0 and r.id not in already]
    if values:
        await session.execute(sa.insert(disbursements), values)
    return len(rows), len(values), sum((v["amount"] for v in values), Decimal("0")), rows[-1].id


async def annual_run_status(runtime: ServiceRuntime, *, run_id: uuid.UUID) -> dict:
    """The run as recorded, and where its disbursements stand at finance."""
    async with runtime.db.session() as session:
        run = (await session.execute(sa.select(annual_runs).where(annual_runs.c.id == run_id))).first()
        if run is None:
            raise NotFound(f"no annual run {run_id}")
        counts = dict((await session.execute(sa.select(disbursements.c.status, sa.func.count()).where(
            disbursements.c.run_id == run_id).group_by(disbursements.c.status))).all())
    result = dict(run._mapping)
    result.pop("leased_until", None)
    result["disbursements"] = {status: counts.get(status, 0) for status in
                               ("pending", "accepted", "settled", "failed", "cancelled")}
    result["complete"] = run.status == "issued" and not any(counts.get(s, 0) for s in ACTIVE)
    return result


# -- statistics for officers ------------------------------------------------------------------------

def _money_sum(db, column, condition):
    """SUM of a Money column where ``condition``, exact on both databases (SQLite sums integer fen)."""
    if db.is_sqlite:
        fen = sa.cast(sa.func.round(sa.cast(column, sa.Float) * 100), sa.Integer)
        return sa.func.coalesce(sa.func.sum(sa.case((condition, fen), else_=0)), 0)
    return sa.func.coalesce(sa.func.sum(sa.case((condition, column), else_=0)), 0)


def _money(db, value) -> Decimal:
    return (Decimal(value) / 100 if db.is_sqlite else Decimal(value)).quantize(Decimal("0.01"))


async def statistics(runtime: ServiceRuntime, *, funding_year: int | None = None, track: str | None = None,
                     district: str | None = None) -> list[dict]:
    """Granted, disbursed (instructed, not cancelled), paid, failed and recovered, by year, track and district."""
    db = runtime.db
    kind = ledger_entries.c.kind
    ledger_query = (
        sa.select(ledger_entries.c.funding_year, ledger_entries.c.track, entitlements.c.employer_district,
                  _money_sum(db, ledger_entries.c.amount, kind == "grant").label("granted"),
                  _money_sum(db, ledger_entries.c.amount, kind == "recovery").label("recovered"))
        .join(entitlements, entitlements.c.id == ledger_entries.c.entitlement_id)
        .group_by(ledger_entries.c.funding_year, ledger_entries.c.track, entitlements.c.employer_district))
    status = disbursements.c.status
    disbursement_query = (
        sa.select(disbursements.c.funding_year, disbursements.c.track, disbursements.c.district,
                  _money_sum(db, disbursements.c.amount, status != "cancelled").label("disbursed"),
                  _money_sum(db, disbursements.c.amount, status == "settled").label("paid"),
                  _money_sum(db, disbursements.c.amount, status == "failed").label("failed"))
        .group_by(disbursements.c.funding_year, disbursements.c.track, disbursements.c.district))
    for column, value in ((ledger_entries.c.funding_year, funding_year), (ledger_entries.c.track, track),
                          (entitlements.c.employer_district, district)):
        if value is not None:
            ledger_query = ledger_query.where(column == value)
    for column, value in ((disbursements.c.funding_year, funding_year), (disbursements.c.track, track),
                          (disbursements.c.district, district)):
        if value is not None:
            disbursement_query = disbursement_query.where(column == value)
    zero = Decimal("0.00")
    groups: dict[tuple, dict] = {}

    def group(year, track_, district_) -> dict:
        return groups.setdefault((year, track_, district_), {
            "funding_year": year, "track": track_, "district": district_, "granted": zero, "disbursed": zero,
            "paid": zero, "failed": zero, "recovered": zero})

    async with db.session() as session:
        for row in (await session.execute(ledger_query)).all():
            g = group(row.funding_year, row.track, row.employer_district)
            g["granted"], g["recovered"] = _money(db, row.granted), _money(db, row.recovered)
        for row in (await session.execute(disbursement_query)).all():
            g = group(row.funding_year, row.track, row.district)
            g["disbursed"], g["paid"], g["failed"] = (_money(db, row.disbursed), _money(db, row.paid),
                                                      _money(db, row.failed))
    return [groups[k] for k in sorted(groups)]


# -- performance evaluations from review (R-SUB-RECURRING) -------------------------------------------

async def on_performance_evaluated(event: PerformanceEvaluated, envelope: CloudEvent, uow: UnitOfWork) -> None:
    """Record review's evaluation of a work year; it prevails over an officer's record of the same year.

    Converges whatever the order: kept by application (it may precede the approval), the latest
    evaluation of a year wins, and an officer cannot record a year review has evaluated (409).
    A claim already assessed keeps the grade it froze.
    """
    session = uow.session
    existing = (await session.execute(sa.select(reported_evaluations).where(
        reported_evaluations.c.application_id == event.application_id,
        reported_evaluations.c.funding_year == event.funding_year))).first()
    values = {"evaluation_id": event.evaluation_id, "grade": event.grade.value, "evaluated_at": event.evaluated_at,
              "evaluated_by": event.evaluated_by}
    if existing is None:
        await session.execute(sa.insert(reported_evaluations).values(
            application_id=event.application_id, funding_year=event.funding_year, **values))
    elif _aware(existing.evaluated_at) < event.evaluated_at:
        await session.execute(sa.update(reported_evaluations).where(
            reported_evaluations.c.application_id == event.application_id,
            reported_evaluations.c.funding_year == event.funding_year).values(**values))
    else:
        return  # an older or the same evaluation, announced again
    entitlement = (await session.execute(sa.select(entitlements).where(
        entitlements.c.application_id == event.application_id))).first()
    if entitlement is not None:
        reported = (await session.execute(sa.select(reported_evaluations).where(
            reported_evaluations.c.application_id == event.application_id,
            reported_evaluations.c.funding_year == event.funding_year))).one()
        await _apply_reported_evaluation(uow, entitlement, reported)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def _apply_reported_evaluation(uow: UnitOfWork, entitlement, reported) -> None:
    if entitlement.track != "key_industry_recurring":
        return
    session = uow.session
    row = {"grade": reported.grade, "recorded_by": f"review:{reported.evaluated_by}",
           "recorded_at": _aware(reported.evaluated_at), "source": "review"}
    key = (performance_evaluations.c.entitlement_id == entitlement.id,
           performance_evaluations.c.funding_year == reported.funding_year)
    existing = (await session.execute(sa.select(performance_evaluations).where(*key))).first()
    if existing is None:
        await session.execute(sa.insert(performance_evaluations).values(
            entitlement_id=entitlement.id, funding_year=reported.funding_year, **row))
    else:
        await session.execute(sa.update(performance_evaluations).where(*key).values(**row))
    uow.audit("record_performance_evaluation", object_type="entitlement", object_id=entitlement.id,
              detail={"funding_year": reported.funding_year, "grade": reported.grade, "source": "review",
                      "replaced": existing.grade if existing is not None else None})


# -- revocation (R-SUPERVISE) -------------------------------------------------------------------------

async def on_contract_breached(event: ContractBreached, envelope: CloudEvent, uow: UnitOfWork) -> None:
    """Record the breach; one attributable to the expert revokes the application's entitlement.

    An employer-attributable breach is recorded and changes no entitlement. A breach that comes
    before the approval is applied when the approval arrives; one already withdrawn, never.
    """
    session = uow.session
    existing = (await session.execute(sa.select(breaches).where(breaches.c.breach_id == event.breach_id))).first()
    details = {"breach_date": event.breach_date, "attributable_to": event.attributable_to.value,
               "facts": event.facts}
    if existing is not None and existing.attributable_to is not None:
        return  # the same breach announced again
    if existing is not None:
        # Its withdrawal came first: keep the facts, revoke nothing.
        await session.execute(sa.update(breaches).where(breaches.c.breach_id == event.breach_id).values(**details))
        uow.audit("record_breach", object_type="breach", object_id=event.breach_id,
                  detail={"attributable_to": event.attributable_to.value, "already_withdrawn": True})
        return
    await session.execute(sa.insert(breaches).values(
        breach_id=event.breach_id, expert_id=event.expert_id, application_id=event.application_id,
        recorded_at=_now(), **details))
    uow.audit("record_breach", object_type="breach", object_id=event.breach_id,
              detail={"attributable_to": event.attributable_to.value, "breach_date": event.breach_date.isoformat()})
    if event.attributable_to.value != "expert":
        return  # R-SUPERVISE: recorded and reviewed; the expert's benefits stay
    breach = (await session.execute(sa.select(breaches).where(breaches.c.breach_id == event.breach_id))).one()
    targets = (await session.execute(sa.select(entitlements).where(
        entitlements.c.application_id == event.application_id, entitlements.c.status == "open"))).all()
    if targets:
        await _revoke(uow, breach, targets)


async def _revoke(uow: UnitOfWork, breach, targets) -> None:
    """Revoke entitlements: stop active disbursements with finance, open recoveries, emit BenefitsRevoked."""
    session = uow.session
    now = _now()
    cancelled = 0
    recovery_total = Decimal("0")
    rounding, funding_year = await _recovery_parameters(session, breach.breach_date)
    for entitlement in targets:
        await session.execute(sa.update(entitlements).where(entitlements.c.id == entitlement.id).values(
            status="revoked", revoked_by_breach=breach.breach_id, revoked_at=now))
        # The sender cancels them with finance (no HTTP inside this transaction); none is sent afterwards.
        result = await session.execute(sa.update(disbursements).where(
            disbursements.c.entitlement_id == entitlement.id, disbursements.c.status.in_(ACTIVE)).values(
            cancel_requested=True, next_attempt_at=now, updated_at=now))
        cancelled += result.rowcount
        paid = (await session.execute(sa.select(ledger_entries.c.funding_year, ledger_entries.c.amount).where(
            ledger_entries.c.entitlement_id == entitlement.id, ledger_entries.c.kind == "disbursement"))).all()
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
        row = (await session.execute(sa.select(policy_versions.c.parameters)
                                     .order_by(policy_versions.c.effective_from).limit(1))).scalar_one()
        parameters = domain.PolicyParameters.model_validate(row)
    return parameters.rounding, parameters.funding_year


async def _open_recovery(uow: UnitOfWork, *, breach, entitlement, year: int, paid: Decimal, rounding,
                         funding_year) -> Decimal:
    start = date(year, funding_year.starts_month, funding_year.starts_day)
    end = date(year + 1, funding_year.starts_month, funding_year.starts_day) - timedelta(days=1)
    amount = domain.recovery_for(paid, funding_year_start=start, funding_year_end=end,
                                 breach_date=breach.breach_date, rounding=rounding)
    if amount <= 0:
        return Decimal("0")
    explanation = (f"R-SUPERVISE (Art. 16): {amount:.2f} of {paid:.2f} paid for {start.isoformat()}.."
                   f"{end.isoformat()}, the part after the breach of {breach.breach_date.isoformat()} (pro rata by day)")
    recovery_id = uuid.uuid4()
    entry_id = await append_ledger_entry(
        uow, entitlement=entitlement, funding_year=year, kind="recovery", amount=amount,
        reference=f"recovery:{recovery_id}", reason=explanation, actor=None)
    await uow.session.execute(sa.insert(recoveries).values(
        id=recovery_id, breach_id=breach.breach_id, entitlement_id=entitlement.id, expert_id=entitlement.expert_id,
        funding_year=year, amount=amount, explanation=explanation, status="open", ledger_entry_id=entry_id,
        opened_at=_now()))
    return amount


async def _late_recovery(uow: UnitOfWork, *, entitlement, disbursement) -> None:
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
    now = _now()
    breach = (await session.execute(sa.select(breaches).where(breaches.c.breach_id == event.breach_id))).first()
    if breach is None:
        # Withdrawn before the breach arrived: remember it, so the breach revokes nothing.
        await session.execute(sa.insert(breaches).values(
            breach_id=event.breach_id, expert_id=event.expert_id, application_id=event.application_id,
            recorded_at=now, withdrawn_at=event.withdrawn_at, withdrawal_reason=event.reason))
        return
    if breach.withdrawn_at is not None:
        return
    await session.execute(sa.update(breaches).where(breaches.c.breach_id == event.breach_id).values(
        withdrawn_at=event.withdrawn_at, withdrawal_reason=event.reason))
    uow.audit("withdraw_breach", object_type="breach", object_id=event.breach_id, detail={"reason": event.reason})
    if breach.attributable_to != "expert":
        return
    revoked = (await session.execute(sa.select(entitlements).where(
        entitlements.c.revoked_by_breach == event.breach_id, entitlements.c.status == "revoked"))).all()
    today = clock.beijing_date(now)
    reopened, not_restored = 0, []
    for entitlement in revoked:
        if entitlement.contract_end < today:
            not_restored.append(f"entitlement {entitlement.id}: its contract ended on "
                                f"{entitlement.contract_end.isoformat()}; it stays closed")
            continue
        await session.execute(sa.update(entitlements).where(entitlements.c.id == entitlement.id).values(
            status="open", revoked_by_breach=None, revoked_at=None))
        reopened += 1
        uow.audit("reopen_entitlement", object_type="entitlement", object_id=entitlement.id,
                  detail={"breach_id": str(event.breach_id)})
        lost = (await session.execute(sa.select(sa.func.count()).select_from(disbursements).where(
            disbursements.c.entitlement_id == entitlement.id, disbursements.c.status == "cancelled",
            disbursements.c.cancel_requested))).scalar_one()
        if lost:
            not_restored.append(f"entitlement {entitlement.id}: {lost} disbursement(s) cancelled with finance are "
                                "not reinstated; what remains granted is paid by the next annual run")
    # Locked, as a repayment locks its recovery: one repaid in full meanwhile is no longer open, and is not cancelled.
    open_recoveries = (await session.execute(sa.select(recoveries).where(
        recoveries.c.breach_id == event.breach_id, recoveries.c.status == "open").with_for_update())).all()
    # Money the expert already paid back is the bureau's to refund: said, not reversed in the ledger here.
    repayable = (await session.execute(sa.select(recoveries.c.id).where(
        recoveries.c.breach_id == event.breach_id, recoveries.c.status.in_(("open", "repaid"))))).scalars().all()
    for recovery_id, (_, repaid) in sorted((await queries.recovery_balances(session, repayable)).items(),
                                           key=lambda item: str(item[0])):
        if repaid > 0:
            not_restored.append(f"recovery {recovery_id}: {repaid:.2f} already repaid by the expert is to be "
                                "refunded by the bureau")
    for recovery in open_recoveries:
        entitlement = (await session.execute(sa.select(entitlements).where(
            entitlements.c.id == recovery.entitlement_id))).one()
        await append_ledger_entry(
            uow, entitlement=entitlement, funding_year=recovery.funding_year, kind="recovery",
            amount=-recovery.amount, reference=f"recovery:{recovery.id}", corrects=recovery.ledger_entry_id,
            reason=f"breach {event.breach_id} withdrawn: recovery cancelled", actor=None)
        await session.execute(sa.update(recoveries).where(recoveries.c.id == recovery.id).values(
            status="cancelled", closed_at=now))
    uow.publish(BenefitsRestored(
        breach_id=event.breach_id, expert_id=breach.expert_id, entitlements_reopened=reopened,
        recoveries_cancelled=len(open_recoveries), not_restored=not_restored, restored_at=now))


# -- repayments of recoveries (R-SUPERVISE) ----------------------------------------------------------

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
        recovery = (await session.execute(
            sa.select(recoveries).where(recoveries.c.id == recovery_id).with_for_update())).first()
        if recovery is None:
            raise NotFound(f"no recovery {recovery_id}")
        if recovery.status != "open":
            raise Conflict(f"the recovery is {recovery.status}; nothing is owed on it", current_state=recovery.status)
        put, repaid = (await queries.recovery_balances(session, [recovery_id]))[recovery_id]
        outstanding = put - repaid
        if amount > outstanding:
            message = f"at most {outstanding:.2f} is outstanding on recovery {recovery_id}"
            raise Unprocessable(message, errors=[{"field": "amount", "message": message,
                                                  "type": "above_outstanding"}])
        entitlement = (await session.execute(
            sa.select(entitlements).where(entitlements.c.id == recovery.entitlement_id))).one()
        repayment_id = uuid.uuid4()
        now = _now()
        entry_id = await append_ledger_entry(
            uow, entitlement=entitlement, funding_year=recovery.funding_year, kind="repayment", amount=amount,
            reference=queries.recovery_reference(recovery_id), actor=actor,
            reason=f"R-SUPERVISE (Art. 16): {amount:.2f} repaid on recovery {recovery_id}, received "
                   f"{received_on.isoformat()} ({reference})")
        await session.execute(sa.insert(recovery_repayments).values(
            id=repayment_id, recovery_id=recovery_id, amount=amount, received_on=received_on, reference=reference,
            note=note, ledger_entry_id=entry_id, recorded_by=actor, recorded_at=now))
        left = outstanding - amount
        if left == 0:
            await session.execute(sa.update(recoveries).where(recoveries.c.id == recovery_id).values(
                status="repaid", closed_at=now))
        uow.audit("record_repayment", object_type="recovery", object_id=recovery_id,
                  detail={"repayment_id": str(repayment_id), "amount": f"{amount:.2f}",
                          "outstanding": f"{left:.2f}", "received_on": received_on.isoformat()})
        uow.publish(RecoveryRepaid(
            repayment_id=repayment_id, recovery_id=recovery_id, breach_id=recovery.breach_id,
            entitlement_id=recovery.entitlement_id, expert_id=recovery.expert_id, funding_year=recovery.funding_year,
            amount=amount, outstanding=left, received_on=received_on, recorded_at=now))
        await uow.commit()
    return repayment_id


EVENT_HANDLERS: dict[type, EventHandler] = {
    ApplicationApproved: on_application_approved,
    PerformanceEvaluated: on_performance_evaluated,
    ContractBreached: on_contract_breached,
    ContractBreachWithdrawn: on_contract_breach_withdrawn,
}
