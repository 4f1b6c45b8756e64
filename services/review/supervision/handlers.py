"""Commands of supervision (R-SUPERVISE); with the review service's handlers, the only place a unit of work opens.

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
from services.review.supervision.models import performance_evaluations, signed_contracts, supervised_selections
from shared.auth import Principal, Role
from shared.errors import Conflict, Forbidden, NotFound, Unprocessable
from shared.events.review import ApplicationApproved, ContractRegistered, ContractTerms, PerformanceEvaluated
from shared.runtime import ServiceRuntime
from shared.schemas import after_position, position_cursor
from shared.uow import UnitOfWork

log = logging.getLogger(__name__)


# -- who may do what -----------------------------------------------------------------------------
def is_officer(principal: Principal) -> bool:
    return principal.has_any(Role.bureau_officer, Role.admin)


def is_employer_of(principal: Principal, selection) -> bool:
    """The employer of the selected application, acting for itself (token organisation = employer id)."""
    return principal.has_any(Role.employer) and principal.organisation == str(selection.employer_id)


def is_expert_of(principal: Principal, selection) -> bool:
    """The selected expert (token subject = expert id)."""
    return principal.has_any(Role.expert) and principal.subject == str(selection.expert_id)


def may_read(principal: Principal, selection) -> bool:
    return is_officer(principal) or is_employer_of(principal, selection) or is_expert_of(principal, selection)


def _today() -> date:
    return datetime.now(UTC).date()


def unprocessable(violation: domain.RuleViolation) -> Unprocessable:
    extensions: dict[str, Any] = {
        "errors": [{"field": violation.field, "message": violation.message, "type": violation.kind}]}
    if violation.rule:
        extensions["rule"] = violation.rule
    return Unprocessable(violation.message, **extensions)


def approved_terms(selection) -> domain.Terms:
    return domain.Terms(start=selection.approved_start, end=selection.approved_end,
                        annual_salary=selection.approved_annual_salary)


# -- the approved facts --------------------------------------------------------------------------
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
    row = (await session.execute(sa.select(supervised_selections).where(
        supervised_selections.c.application_id == application_id))).first()
    if row is None:
        raise NotFound(f"no selected application {application_id}")
    return row


async def readable_selection(session, application_id: uuid.UUID, principal: Principal):
    """The selection, for an officer, its employer or its expert; anyone else is told it does not exist."""
    row = (await session.execute(sa.select(supervised_selections).where(
        supervised_selections.c.application_id == application_id))).first()
    if row is None or not may_read(principal, row):
        raise NotFound(f"no selected application {application_id}")
    return row


def _uuid_or_none(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def scope(principal: Principal, employer_column, expert_column):
    """The WHERE clause limiting a listing to what the caller may see (None: everything)."""
    if is_officer(principal):
        return None
    clauses = []
    if principal.has_any(Role.employer) and (employer_id := _uuid_or_none(principal.organisation)):
        clauses.append(employer_column == employer_id)
    if principal.has_any(Role.expert) and (expert_id := _uuid_or_none(principal.subject)):
        clauses.append(expert_column == expert_id)
    if not principal.has_any(Role.employer, Role.expert):
        raise Forbidden("supervision records are for bureau officers, the employer and the expert concerned")
    return sa.or_(*clauses) if clauses else sa.false()


async def get_selection(runtime: ServiceRuntime, *, application_id: uuid.UUID, principal: Principal):
    async with runtime.db.session() as session:
        return await readable_selection(session, application_id, principal)


async def list_selections(runtime: ServiceRuntime, *, principal: Principal, expert_id: uuid.UUID | None,
                          employer_id: uuid.UUID | None, cursor: str | None, limit: int):
    """Selections oldest first, limited to the caller's own; returns (rows, next cursor)."""
    table = supervised_selections
    query = sa.select(table).order_by(table.c.recorded_at, table.c.application_id).limit(limit + 1)
    for clause in (scope(principal, table.c.employer_id, table.c.expert_id),
                   after_position(cursor, table.c.recorded_at, table.c.application_id),
                   None if expert_id is None else table.c.expert_id == expert_id,
                   None if employer_id is None else table.c.employer_id == employer_id):
        if clause is not None:
            query = query.where(clause)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    last = rows[limit - 1] if len(rows) > limit else None
    return rows[:limit], (position_cursor(last.recorded_at, last.application_id) if last else None)


# -- the signed contract -------------------------------------------------------------------------
async def register_contract(runtime: ServiceRuntime, *, application_id: uuid.UUID, start: date, end: date,
                            annual_salary, signed_on: date, principal: Principal) -> dict:
    """The employer registers the signed contract (R-ONBOARD); terms unlike the approved plan are flagged."""
    signed = domain.Terms(start=start, end=end, annual_salary=annual_salary)
    async with runtime.uow() as uow:
        selection = await _selection(uow.session, application_id)
        if not is_employer_of(principal, selection):
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


async def get_contract(runtime: ServiceRuntime, *, application_id: uuid.UUID, principal: Principal):
    async with runtime.db.session() as session:
        await readable_selection(session, application_id, principal)
        row = (await session.execute(sa.select(signed_contracts).where(
            signed_contracts.c.application_id == application_id))).first()
    if row is None:
        raise NotFound(f"no contract registered yet for application {application_id}")
    return row


async def _contract_terms(session, selection) -> domain.Terms:
    """The signed terms where registered, else the approved ones."""
    contract = (await session.execute(sa.select(signed_contracts).where(
        signed_contracts.c.application_id == selection.application_id))).first()
    if contract is None:
        return approved_terms(selection)
    return domain.Terms(start=contract.contract_start, end=contract.contract_end,
                        annual_salary=contract.annual_salary)


# -- performance evaluations ---------------------------------------------------------------------
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


async def list_evaluations(runtime: ServiceRuntime, *, application_id: uuid.UUID, principal: Principal):
    async with runtime.db.session() as session:
        await readable_selection(session, application_id, principal)
        return (await session.execute(sa.select(performance_evaluations).where(
            performance_evaluations.c.application_id == application_id,
        ).order_by(performance_evaluations.c.funding_year))).all()
