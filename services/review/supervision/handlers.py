"""Commands of supervision (R-SUPERVISE); with the committee's handlers, the only place a unit of work opens.

``record_selection`` is not a command of its own: the committee's decision calls it inside the
unit of work that publishes ``ApplicationApproved``, so the selection and the event commit together.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from services.review.supervision import domain
from services.review.supervision.models import (
    breach_appeals, contract_breaches, performance_evaluations, signed_contracts, supervised_selections,
)
from shared import clock
from shared.auth import Principal, Role
from shared.errors import Conflict, Forbidden, Unprocessable
from shared.events.review import (
    ApplicationApproved, ContractBreached, ContractBreachWithdrawn, ContractRegistered, ContractTerms,
    PerformanceEvaluated,
)
from shared.queries import one_or_404
from shared.runtime import ServiceRuntime
from shared.uow import UnitOfWork

log = logging.getLogger(__name__)


def _today() -> date:
    """Dates of contracts, breaches and funding years are Beijing business dates (the platform's one clock)."""
    return clock.beijing_today()


def unprocessable(violation: domain.RuleViolation) -> Unprocessable:
    extensions: dict[str, Any] = {
        "errors": [{"field": violation.field, "message": violation.message, "type": violation.kind}]}
    if violation.rule:
        extensions["rule"] = violation.rule
    return Unprocessable(violation.message, **extensions)


def approved_terms(selection) -> domain.Terms:
    return domain.Terms(start=selection.approved_start, end=selection.approved_end,
                        annual_salary=selection.approved_annual_salary)


async def record_selection(uow: UnitOfWork, event: ApplicationApproved) -> bool:
    """Keep what supervision needs of an approval, in the caller's unit of work (the committee's decision).

    Converges: an application already recorded is left as it is; returns whether a row was written.
    """
    existing = await uow.session.scalar(sa.select(supervised_selections.c.application_id).where(
        supervised_selections.c.application_id == event.application_id))
    if existing is not None:
        log.info("selection %s already under supervision", event.application_id)
        return False
    await uow.session.execute(sa.insert(supervised_selections).values(
        application_id=event.application_id,
        decision_id=event.decision_id,
        decided_at=event.decided_at,
        expert_id=event.expert.expert_id,
        expert_name=event.expert.name,
        employer_id=event.employer.employer_id,
        employer_name=event.employer.name,
        track=event.track.value,
        approved_start=event.contract.start,
        approved_end=event.contract.end,
        approved_annual_salary=event.contract.annual_salary,
        recorded_at=datetime.now(UTC),
    ))
    uow.audit("record_selection", object_type="selection", object_id=event.application_id,
              detail={"decision_id": str(event.decision_id), "track": event.track.value})
    return True


async def _selection(session, application_id: uuid.UUID):
    return await one_or_404(session, sa.select(supervised_selections).where(
        supervised_selections.c.application_id == application_id), f"no selected application {application_id}")


async def register_contract(runtime: ServiceRuntime, *, application_id: uuid.UUID, start: date, end: date,
                            annual_salary, signed_on: date, principal: Principal) -> dict:
    """The employer registers the signed contract (R-ONBOARD); terms unlike the approved plan are flagged."""
    signed = domain.Terms(start=start, end=end, annual_salary=annual_salary)
    async with runtime.uow() as uow:
        selection = await _selection(uow.session, application_id)
        if not principal.acts_for(Role.employer, selection.employer_id):
            raise Forbidden("only the employer of this application registers its contract")
        try:
            domain.check_contract(signed, signed_on=signed_on, today=_today())
        except domain.RuleViolation as violation:
            raise unprocessable(violation) from violation
        existing = (await uow.session.execute(sa.select(signed_contracts).where(
            signed_contracts.c.application_id == application_id))).first()
        if existing is not None:
            raise Conflict("a contract is already registered for this application", state="registered",
                           contract_id=str(existing.id))
        differences = domain.contract_differences(approved_terms(selection), signed)
        row = {
            "id": uuid.uuid4(), "application_id": application_id, "contract_start": start, "contract_end": end,
            "annual_salary": annual_salary, "signed_on": signed_on, "differs_from_plan": bool(differences),
            "differences": [vars(d) for d in differences], "registered_by": principal.subject,
            "registered_at": datetime.now(UTC),
        }
        try:
            await uow.session.execute(sa.insert(signed_contracts).values(**row))
        except sa.exc.IntegrityError as exc:  # registered by a concurrent request since the check
            raise Conflict("a contract is already registered for this application", state="registered") from exc
        uow.publish(ContractRegistered(
            contract_id=row["id"], application_id=application_id, expert_id=selection.expert_id,
            employer_id=selection.employer_id,
            contract=ContractTerms(start=start, end=end, annual_salary=annual_salary),
            differs_from_plan=bool(differences), registered_at=row["registered_at"],
        ))
        uow.audit("register_contract", object_type="contract", object_id=row["id"],
                  detail={"application_id": str(application_id), "differences": row["differences"]})
        await uow.commit()
    return row


async def _contract_terms(session, selection) -> domain.Terms:
    """The signed terms where registered, else the approved ones."""
    contract = (await session.execute(sa.select(signed_contracts).where(
        signed_contracts.c.application_id == selection.application_id))).first()
    if contract is None:
        return approved_terms(selection)
    return domain.Terms(start=contract.contract_start, end=contract.contract_end,
                        annual_salary=contract.annual_salary)


async def evaluate(runtime: ServiceRuntime, *, application_id: uuid.UUID, funding_year: int, grade, comments: str,
                   principal: Principal) -> dict:
    """A bureau officer's annual performance evaluation (绩效考评, R-SUB-RECURRING): once per funding year."""
    async with runtime.uow() as uow:
        selection = await _selection(uow.session, application_id)
        try:
            domain.check_evaluation_year(funding_year, terms=await _contract_terms(uow.session, selection),
                                         today=_today())
        except domain.RuleViolation as violation:
            raise unprocessable(violation) from violation
        existing = (await uow.session.execute(sa.select(performance_evaluations).where(
            performance_evaluations.c.application_id == application_id,
            performance_evaluations.c.funding_year == funding_year))).first()
        if existing is not None:
            raise Conflict(f"the performance evaluation of {funding_year} is already recorded", state="evaluated",
                           grade=existing.grade, evaluation_id=str(existing.id))
        row = {"id": uuid.uuid4(), "application_id": application_id, "funding_year": funding_year,
               "grade": grade.value, "comments": comments, "evaluated_by": principal.subject,
               "evaluated_at": datetime.now(UTC)}
        try:
            await uow.session.execute(sa.insert(performance_evaluations).values(**row))
        except sa.exc.IntegrityError as exc:
            raise Conflict(f"the performance evaluation of {funding_year} is already recorded",
                           state="evaluated") from exc
        uow.publish(PerformanceEvaluated(
            evaluation_id=row["id"], application_id=application_id, expert_id=selection.expert_id,
            employer_id=selection.employer_id, funding_year=funding_year, grade=grade,
            evaluated_at=row["evaluated_at"], evaluated_by=principal.subject,
        ))
        uow.audit("evaluate_performance", object_type="performance_evaluation", object_id=row["id"],
                  detail={"application_id": str(application_id), "funding_year": funding_year,
                          "grade": grade.value})
        await uow.commit()
    return row


def refused(exc: domain.TransitionRefused, **extensions: Any) -> Conflict:
    return Conflict(str(exc), state=exc.state, action=exc.action, allowed_from=list(exc.allowed_from), **extensions)


async def report_breach(runtime: ServiceRuntime, *, application_id: uuid.UUID, breach_date: date, facts: str,
                        attributable_to, principal: Principal) -> dict:
    """R-SUPERVISE: the employer of the application or a bureau officer reports a breach; nothing is revoked
    until an officer confirms it."""
    async with runtime.uow() as uow:
        selection = await _selection(uow.session, application_id)
        if principal.is_officer:
            reporter_role = Role.bureau_officer.value
        elif principal.acts_for(Role.employer, selection.employer_id):
            reporter_role = Role.employer.value
        else:
            raise Forbidden("only the employer of this application or a bureau officer reports a breach")
        try:
            domain.check_breach_date(breach_date, terms=await _contract_terms(uow.session, selection), today=_today())
        except domain.RuleViolation as violation:
            raise unprocessable(violation) from violation
        row = {
            "id": uuid.uuid4(), "application_id": application_id, "expert_id": selection.expert_id,
            "employer_id": selection.employer_id, "breach_date": breach_date, "facts": facts,
            "attributable_to": attributable_to.value, "state": domain.BreachState.reported.value,
            "reported_by": principal.subject, "reporter_role": reporter_role, "reported_at": datetime.now(UTC),
            "confirmed_by": None, "confirmed_at": None, "closed_by": None, "closed_at": None, "closing_reason": None,
        }
        await uow.session.execute(sa.insert(contract_breaches).values(**row))
        uow.audit("report_breach", object_type="contract_breach", object_id=row["id"],
                  detail={"application_id": str(application_id), "breach_date": breach_date.isoformat(),
                          "attributable_to": attributable_to.value})
        await uow.commit()
    return row


async def _breach(session, breach_id: uuid.UUID, *, for_update: bool = False):
    query = sa.select(contract_breaches).where(contract_breaches.c.id == breach_id)
    return await one_or_404(session, query.with_for_update() if for_update else query, f"no breach {breach_id}")


async def _move(uow: UnitOfWork, breach, action: str, **values: Any) -> dict:
    """Apply ``action`` to the breach if its state allows it (409 naming the state otherwise)."""
    try:
        domain.check_breach_action(action, breach.state)
    except domain.TransitionRefused as exc:
        raise refused(exc, breach_id=str(breach.id)) from exc
    values["state"] = domain.AFTER_ACTION[action].value
    result = await uow.session.execute(sa.update(contract_breaches).where(
        contract_breaches.c.id == breach.id, contract_breaches.c.state == breach.state).values(**values))
    if result.rowcount != 1:  # moved by a concurrent request since it was read
        current = await uow.session.scalar(sa.select(contract_breaches.c.state).where(
            contract_breaches.c.id == breach.id))
        raise Conflict(f"the breach is now {current}", state=current, action=action, breach_id=str(breach.id))
    return {**breach._mapping, **values}


async def confirm_breach(runtime: ServiceRuntime, *, breach_id: uuid.UUID, principal: Principal) -> dict:
    """A bureau officer confirms a reported breach: ContractBreached, which revokes benefits when the breach is
    attributable to the expert (R-SUPERVISE)."""
    async with runtime.uow() as uow:
        breach = await _breach(uow.session, breach_id, for_update=True)
        row = await _move(uow, breach, "confirm", confirmed_by=principal.subject, confirmed_at=datetime.now(UTC))
        uow.publish(ContractBreached(
            breach_id=breach.id, expert_id=breach.expert_id, employer_id=breach.employer_id,
            application_id=breach.application_id, breach_date=breach.breach_date,
            attributable_to=breach.attributable_to, reported_by=breach.reported_by, confirmed_by=principal.subject,
            facts=breach.facts,
        ))
        uow.audit("confirm_breach", object_type="contract_breach", object_id=breach.id,
                  detail={"attributable_to": breach.attributable_to})
        await uow.commit()
    return row


async def dismiss_breach(runtime: ServiceRuntime, *, breach_id: uuid.UUID, reason: str, principal: Principal) -> dict:
    """A bureau officer finds a reported breach unfounded; nothing was announced, so nothing is."""
    async with runtime.uow() as uow:
        breach = await _breach(uow.session, breach_id, for_update=True)
        row = await _move(uow, breach, "dismiss", closed_by=principal.subject, closed_at=datetime.now(UTC),
                          closing_reason=reason)
        uow.audit("dismiss_breach", object_type="contract_breach", object_id=breach.id, detail={"reason": reason})
        await uow.commit()
    return row


async def withdraw_breach(runtime: ServiceRuntime, *, breach_id: uuid.UUID, reason: str,
                          principal: Principal) -> dict:
    """A bureau officer reverses a confirmed breach (on appeal or of its own motion): ContractBreachWithdrawn;
    the open appeals against it are upheld."""
    now = datetime.now(UTC)
    async with runtime.uow() as uow:
        breach = await _breach(uow.session, breach_id, for_update=True)
        row = await _move(uow, breach, "withdraw", closed_by=principal.subject, closed_at=now, closing_reason=reason)
        await uow.session.execute(sa.update(breach_appeals).where(
            breach_appeals.c.breach_id == breach.id, breach_appeals.c.state == domain.AppealState.open.value,
        ).values(state=domain.AppealState.upheld.value, decided_by=principal.subject, decided_at=now,
                 decision_reason=reason))
        uow.publish(ContractBreachWithdrawn(
            breach_id=breach.id, expert_id=breach.expert_id, application_id=breach.application_id,
            withdrawn_at=now, withdrawn_by=principal.subject, reason=reason,
        ))
        uow.audit("withdraw_breach", object_type="contract_breach", object_id=breach.id, detail={"reason": reason})
        await uow.commit()
    return row


async def appeal_breach(runtime: ServiceRuntime, *, breach_id: uuid.UUID, grounds: str, principal: Principal) -> dict:
    """The expert or the employer contests a confirmed breach; the appeal waits for an officer."""
    async with runtime.uow() as uow:
        breach = await _breach(uow.session, breach_id, for_update=True)
        if principal.is_expert(breach.expert_id):
            role = Role.expert.value
        elif principal.acts_for(Role.employer, breach.employer_id):
            role = Role.employer.value
        else:
            raise Forbidden("only the expert or the employer concerned contests a breach")
        try:
            domain.check_breach_action("appeal", breach.state)
        except domain.TransitionRefused as exc:
            raise refused(exc, breach_id=str(breach.id)) from exc
        pending = (await uow.session.execute(sa.select(breach_appeals.c.id).where(
            breach_appeals.c.breach_id == breach.id, breach_appeals.c.appellant_role == role,
            breach_appeals.c.state == domain.AppealState.open.value))).first()
        if pending is not None:
            raise Conflict(f"the {role} already has an open appeal against this breach",
                           state=domain.AppealState.open.value, appeal_id=str(pending.id))
        row = {"id": uuid.uuid4(), "breach_id": breach.id, "appellant": principal.subject, "appellant_role": role,
               "grounds": grounds, "state": domain.AppealState.open.value, "lodged_at": datetime.now(UTC),
               "decided_by": None, "decided_at": None, "decision_reason": None}
        await uow.session.execute(sa.insert(breach_appeals).values(**row))
        uow.audit("appeal_breach", object_type="breach_appeal", object_id=row["id"],
                  detail={"breach_id": str(breach.id), "appellant_role": role})
        await uow.commit()
    return row


async def dismiss_appeal(runtime: ServiceRuntime, *, appeal_id: uuid.UUID, reason: str, principal: Principal) -> dict:
    """A bureau officer rejects an appeal; the breach stays confirmed."""
    async with runtime.uow() as uow:
        appeal = await one_or_404(uow.session, sa.select(breach_appeals).where(
            breach_appeals.c.id == appeal_id).with_for_update(), f"no appeal {appeal_id}")
        if appeal.state != domain.AppealState.open.value:
            raise Conflict(f"cannot dismiss an appeal that is {appeal.state} (only one that is open)",
                           state=appeal.state, action="dismiss")
        values = {"state": domain.AppealState.dismissed.value, "decided_by": principal.subject,
                  "decided_at": datetime.now(UTC), "decision_reason": reason}
        result = await uow.session.execute(sa.update(breach_appeals).where(
            breach_appeals.c.id == appeal_id, breach_appeals.c.state == appeal.state).values(**values))
        if result.rowcount != 1:
            raise Conflict("the appeal was decided meanwhile", action="dismiss")
        uow.audit("dismiss_appeal", object_type="breach_appeal", object_id=appeal_id, detail={"reason": reason})
        await uow.commit()
    return {**appeal._mapping, **values}


