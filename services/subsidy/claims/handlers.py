"""Annual claims: assessed at once under the policy in force at the period's end, their items granted in the
ledger in the same transaction."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy.claims.domain import frozen, may_claim
from services.subsidy.claims.models import claims
from services.subsidy.entitlements import domain
from services.subsidy.entitlements.domain import EntitlementStatus
from services.subsidy.entitlements.queries import policy_in_force
from services.subsidy.evaluations.models import performance_evaluations
from services.subsidy.ledger.domain import LedgerKind, granted_this_year
from services.subsidy.ledger.handlers import append_ledger_entry
from services.subsidy.ledger.queries import entries_of_expert
from services.subsidy.entitlements.models import entitlements
from shared import clock
from shared.auth import Principal
from shared.errors import Conflict, Forbidden, Unprocessable
from shared.events.review import Track
from shared.queries import one_or_404
from shared.runtime import ServiceRuntime


async def submit_claim(runtime: ServiceRuntime, *, entitlement_id: uuid.UUID, claim, principal: Principal) -> uuid.UUID:
    """Assess an annual claim (R-SUB-*, R-YEAR-CAP, R-ONE-TRACK, R-ROUNDING) and grant its items; returns its id.

    The claim row freezes the inputs as assessed (what was already granted, the year of the
    sequence, the grade, the cap exception), the policy version and the explained items; each
    non-zero item becomes a grant in the ledger, in the same transaction.
    """
    async with runtime.uow() as uow:
        session = uow.session
        entitlement = await one_or_404(session, sa.select(entitlements).where(entitlements.c.id == entitlement_id),
                                       f"no entitlement {entitlement_id}")
        if not may_claim(principal, entitlement):
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
        if entitlement.status != EntitlementStatus.open:
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
        ledger = await entries_of_expert(session, entitlement.expert_id)

        # R-ONE-TRACK: one track per expert-year, so the same pay is never funded twice.
        for other in {e.track for e in ledger if e.track != entitlement.track}:
            if granted_this_year(ledger, funding_year=funding_year, track=other) > 0:
                raise Conflict(
                    f"the expert is already funded under {other} in {funding_year}; an expert-year is funded "
                    "under one track only (R-ONE-TRACK)", rule="R-ONE-TRACK", funding_year=funding_year,
                    funded_track=other)

        def granted(item_code: str | None = None) -> Decimal:
            return granted_this_year(ledger, funding_year=funding_year, track=entitlement.track, item_code=item_code)

        if claim.track == Track.haiju_long_term:
            inputs = domain.HaijuInputs(
                salary_paid=claim.salary_paid, medical_premium_paid=claim.medical_premium_paid,
                thousand_talents_salary_subsidy=claim.thousand_talents_salary_subsidy,
                salary_funded_by_municipal_finance=claim.salary_funded_by_municipal_finance,
                contract_fulfilled=claim.contract_fulfilled,
                cap_exception_amount=entitlement.cap_exception_amount,
                already_granted_this_year=granted("salary_subsidy"),
                already_granted_medical_this_year=granted("medical_insurance_subsidy"),
            )
        elif claim.track == Track.key_industry_recurring:
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
            "evidence_reference": claim.evidence_reference, "inputs": frozen(inputs),
            "policy_version": version.id,
            "items": [{"code": i.code, "article": i.article, "amount": f"{i.amount:.2f}",
                       "explanation": i.explanation} for i in result.items],
            "total": result.total, "submitted_by": principal.subject, "assessed_at": datetime.now(UTC),
        }
        await session.execute(sa.insert(claims).values(**row))
        for item in result.items:
            if item.amount > 0:
                await append_ledger_entry(
                    uow, entitlement=entitlement, funding_year=funding_year, kind=LedgerKind.grant, amount=item.amount,
                    reference=f"claim:{claim_id}", reason=item.explanation, actor=principal.subject,
                    item_code=item.code)
        uow.audit("assess_claim", object_type="claim", object_id=claim_id,
                  detail={"entitlement_id": str(entitlement.id), "funding_year": funding_year,
                          "total": f"{result.total:.2f}", "policy_version": version.id})
        await uow.commit()
    return claim_id


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
