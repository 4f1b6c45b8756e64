"""Commands and event handlers of the subsidy service; the only place that opens a unit of work."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy import domain
from services.subsidy.models import claims, entitlements, ledger_entries, performance_evaluations, policy_versions
from shared.auth import Principal, Role
from shared.errors import Conflict, Forbidden, NotFound, Unprocessable
from shared.events import CloudEvent
from shared.events.review import ApplicationApproved
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
        opened_at=datetime.now(UTC),
        source_event_id=str(envelope.id),
    ))
    uow.audit("open_entitlement", object_type="entitlement", object_id=entitlement_id,
              detail={"application_id": str(event.application_id), "track": event.track.value,
                      "cap_exception": exception is not None})


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


async def ledger_of(runtime: ServiceRuntime, *, expert_id: uuid.UUID, funding_year: int | None = None):
    """An expert's money rows, oldest first, and the balances per funding year and track."""
    query = sa.select(ledger_entries).where(ledger_entries.c.expert_id == expert_id).order_by(ledger_entries.c.id)
    if funding_year is not None:
        query = query.where(ledger_entries.c.funding_year == funding_year)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    return rows, domain.balances([_ledger_entry(r) for r in rows])


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
            raise Conflict(f"the evaluation of {funding_year} is already recorded", grade=existing.grade)
        row = {"entitlement_id": entitlement_id, "funding_year": funding_year, "grade": grade,
               "recorded_by": actor, "recorded_at": datetime.now(UTC)}
        await uow.session.execute(sa.insert(performance_evaluations).values(**row))
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
        # Serialise claims of one expert: caps and R-ONE-TRACK span all the expert's entitlements.
        await session.execute(sa.select(entitlements.c.id).where(
            entitlements.c.expert_id == entitlement.expert_id).with_for_update())
        if claim.track != entitlement.track:
            raise Unprocessable(
                f"this entitlement is under {entitlement.track}, not {claim.track}",
                errors=[{"field": "track", "message": f"the entitlement's track is {entitlement.track}",
                         "type": "track_mismatch"}])
        if entitlement.status != "open":
            raise Conflict(f"the entitlement is {entitlement.status}", status=entitlement.status)
        if claim.period_end > datetime.now(UTC).date():
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


EVENT_HANDLERS: dict[type, EventHandler] = {
    ApplicationApproved: on_application_approved,
}
