"""Commands of permit applications (R-PERMIT, Art. 10(3)): the officer files, submits, issues, refuses and renews
them in a case; an issue is announced (WorkPermitIssued / ResidencePermitIssued) and stops the SLA clock (R-GREEN).

A step locks the case, then the application: the order a revocation takes them in (revocation/handlers.py),
so that the two queue instead of deadlocking."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa

from services.permits.applications.domain import (
    PRINCIPAL_KINDS,
    RULE,
    TRANSITIONS,
    Holder,
    PermitKind,
    Relation,
    application_date_of,
    dependant_term,
    policy_in_force,
    principal_term,
)
from services.permits.applications.queries import application_for
from services.permits.applications.schemas import (
    PermitApplicationCreate,
    PermitIssue,
    PermitRefusal,
    PermitRenewalCreate,
)
from services.permits.cases.domain import refuse_in_revoked_case
from services.permits.cases.queries import case_for
from services.permits.domain import LIVE_STATUSES, ApplicationStatus
from services.permits.applications.models import permit_applications
from services.permits.cases.models import green_channel_cases
from services.permits.webhooks.handlers import notify_partners
from shared import clock
from shared.auth import Principal
from shared.errors import Conflict, PreconditionFailed, Unprocessable
from shared.events.permits import ResidencePermitIssued, WorkPermitIssued
from shared.runtime import ServiceRuntime
from shared.uow import UnitOfWork


async def _principal_residence_until(session, case_id: uuid.UUID) -> date | None:
    """The latest expiry among the expert's live work-type residence permit applications in the case."""
    a = permit_applications
    return await session.scalar(
        sa.select(sa.func.max(a.c.valid_until)).where(
            a.c.case_id == case_id, a.c.kind == PermitKind.work_residence_permit.value,
            a.c.status.in_([s.value for s in LIVE_STATUSES]),
        )
    )


async def _dependant_term(session, case, *, relation, date_of_birth, application_date, valid_from, valid_until):
    principal_until = await _principal_residence_until(session, case.id)
    if principal_until is None:
        raise Unprocessable(
            "R-PERMIT (Art. 10(3)): a dependant's permit may not outlast the principal's; apply for the expert's "
            "work-type residence permit first", field="dependant", rule=RULE,
        )
    return dependant_term(
        relation=relation, application_date=application_date, valid_from=valid_from, valid_until=valid_until,
        principal_valid_until=principal_until, date_of_birth=date_of_birth, policy=policy_in_force(),
    )


async def create_permit_application(
    runtime: ServiceRuntime, *, case_id: uuid.UUID, data: PermitApplicationCreate, principal: Principal
) -> dict:
    """File the expert's or a dependant's permit application in a case, or refuse it naming the rule."""
    application_date = application_date_of(data.application_date, today=clock.beijing_today())
    async with runtime.uow() as uow:
        case = await case_for(uow.session, case_id, principal, lock=True)
        refuse_in_revoked_case(case)
        a = permit_applications
        row = {
            "id": uuid.uuid4(), "case_id": case_id, "kind": data.kind.value, "application_date": application_date,
            "valid_from": data.valid_from, "valid_until": data.valid_until, "renews_id": None,
            "dependant_id": None, "dependant_name": None, "date_of_birth": None, "entry_visa": None,
            "turns_adult_on": None, "turns_adult_within_validity": False,
        }
        if data.kind in PRINCIPAL_KINDS:
            if data.dependant is not None:
                raise Unprocessable("the expert's own permits take no dependant", field="dependant")
            if data.entry_visa is None:
                raise Unprocessable("the visa the expert entered on is required (any type is accepted)",
                                    field="entry_visa")
            live = (await uow.session.execute(
                sa.select(a.c.id, a.c.status).where(
                    a.c.case_id == case_id, a.c.kind == data.kind.value,
                    a.c.status.in_([s.value for s in LIVE_STATUSES]))
            )).first()
            if live is not None:
                raise Conflict(f"the expert already has a {data.kind.value} application in this case "
                               f"(renew an issued permit instead)", current_state=live.status,
                               permit_application_id=str(live.id))
            principal_term(
                contract_start=case.contract_start, contract_end=case.contract_end, valid_from=data.valid_from,
                valid_until=data.valid_until, entry_visa=data.entry_visa, policy=policy_in_force(),
            )
            row.update(holder=Holder.expert.value, entry_visa=data.entry_visa.value)
        else:
            if data.dependant is None:
                raise Unprocessable("a dependant's residence permit needs the dependant (spouse or child)",
                                    field="dependant")
            if data.dependant.relation is Relation.spouse:
                spouse = (await uow.session.execute(sa.select(a.c.id, a.c.status).where(
                    a.c.case_id == case_id, a.c.holder == Holder.spouse.value,
                    a.c.status.in_([s.value for s in LIVE_STATUSES])))).first()
                if spouse is not None:
                    raise Conflict("the spouse already has a residence permit application in this case "
                                   "(renew an issued permit instead)", current_state=spouse.status,
                                   permit_application_id=str(spouse.id))
            term = await _dependant_term(
                uow.session, case, relation=data.dependant.relation, date_of_birth=data.dependant.date_of_birth,
                application_date=application_date, valid_from=data.valid_from, valid_until=data.valid_until,
            )
            row.update(holder=term.relation.value, dependant_id=uuid.uuid4(), dependant_name=data.dependant.name,
                       date_of_birth=data.dependant.date_of_birth, turns_adult_on=term.turns_adult_on,
                       turns_adult_within_validity=term.turns_adult_within_validity)
        return await _insert_application(uow, row, principal)


async def _insert_application(uow: UnitOfWork, row: dict, principal: Principal) -> dict:
    row.update(status=ApplicationStatus.filed.value, created_at=datetime.now(UTC),
               created_by=principal.subject, version=1, permit_number=None, refusal_reason=None,
               submitted_at=None, issued_at=None, refused_at=None, withdrawn_at=None)
    await uow.session.execute(sa.insert(permit_applications).values(**row))
    uow.audit("file_permit_application", object_type="permit_application", object_id=row["id"],
              detail={"case_id": row["case_id"], "kind": row["kind"], "holder": row["holder"],
                      "renews_id": row["renews_id"], "valid_until": row["valid_until"]})
    await uow.commit()
    return row


async def renew_permit(
    runtime: ServiceRuntime, *, application_id: uuid.UUID, data: PermitRenewalCreate, principal: Principal
) -> dict:
    """A renewal of an issued permit: a new application for the same holder, checked by the same rules."""
    application_date = application_date_of(data.application_date, today=clock.beijing_today())
    a = permit_applications
    async with runtime.uow() as uow:
        source = await application_for(uow.session, application_id, principal)
        case = await case_for(uow.session, source.case_id, principal, lock=True)
        refuse_in_revoked_case(case)
        if source.status != ApplicationStatus.issued.value:
            raise Conflict("only an issued permit can be renewed", current_state=source.status)
        pending = await uow.session.scalar(sa.select(a.c.id).where(
            a.c.renews_id == application_id, a.c.status.in_([s.value for s in LIVE_STATUSES])))
        if pending is not None:
            raise Conflict("this permit already has a renewal", current_state="renewal_filed",
                           permit_application_id=str(pending))
        row = {
            "id": uuid.uuid4(), "case_id": source.case_id, "kind": source.kind, "holder": source.holder,
            "application_date": application_date, "valid_from": data.valid_from, "valid_until": data.valid_until,
            "renews_id": application_id, "dependant_id": source.dependant_id,
            "dependant_name": source.dependant_name, "date_of_birth": source.date_of_birth,
            "entry_visa": source.entry_visa, "turns_adult_on": None, "turns_adult_within_validity": False,
        }
        if source.kind in PRINCIPAL_KINDS:
            principal_term(
                contract_start=case.contract_start, contract_end=case.contract_end, valid_from=data.valid_from,
                valid_until=data.valid_until, entry_visa=source.entry_visa, policy=policy_in_force(),
            )
        else:
            term = await _dependant_term(
                uow.session, case, relation=source.holder, date_of_birth=source.date_of_birth,
                application_date=application_date, valid_from=data.valid_from, valid_until=data.valid_until,
            )
            row.update(turns_adult_on=term.turns_adult_on,
                       turns_adult_within_validity=term.turns_adult_within_validity)
        return await _insert_application(uow, row, principal)


async def _step(uow: UnitOfWork, *, application_id: uuid.UUID, step: str, principal: Principal,
                expected_version: int | None):
    """Lock the application and its case and check that ``step`` may be taken now (409 naming the state)."""
    # The case first, then the application: the order a revocation takes them in (revocation's ``_revoke``), so
    # that the two queue; the other way round each would hold what the other waits for (PostgreSQL fails one: a 500).
    found = await application_for(uow.session, application_id, principal)
    case = await case_for(uow.session, found.case_id, principal, lock=True)
    current = await application_for(uow.session, application_id, principal, lock=True)
    refuse_in_revoked_case(case)
    if expected_version is not None and expected_version != current.version:
        raise PreconditionFailed("the application was changed since it was read", current_version=current.version)
    if current.status not in TRANSITIONS[step]:
        raise Conflict(f"a {current.status} application cannot be {step}d" if step != "submit"
                       else f"a {current.status} application cannot be submitted", current_state=current.status)
    return current, case


async def _update_application(uow: UnitOfWork, current, **values) -> dict:
    a = permit_applications
    values["version"] = current.version + 1
    result = await uow.session.execute(
        sa.update(a).where(a.c.id == current.id, a.c.version == current.version).values(**values))
    if result.rowcount != 1:
        raise PreconditionFailed("the application was changed concurrently", current_version=current.version)
    return {**current._mapping, **values}


async def submit_permit_application(runtime: ServiceRuntime, *, application_id: uuid.UUID, principal: Principal,
                                    expected_version: int | None = None) -> dict:
    """The officer submits the application to the issuing authority."""
    async with runtime.uow() as uow:
        current, _ = await _step(uow, application_id=application_id, step="submit", principal=principal,
                                 expected_version=expected_version)
        row = await _update_application(uow, current, status=ApplicationStatus.submitted.value,
                                        submitted_at=datetime.now(UTC))
        uow.audit("submit_permit_application", object_type="permit_application", object_id=application_id)
        await uow.commit()
    return row


async def refuse_permit_application(runtime: ServiceRuntime, *, application_id: uuid.UUID, data: PermitRefusal,
                                    principal: Principal, expected_version: int | None = None) -> dict:
    """The issuing authority refused: recorded with its reason."""
    async with runtime.uow() as uow:
        current, _ = await _step(uow, application_id=application_id, step="refuse", principal=principal,
                                 expected_version=expected_version)
        row = await _update_application(uow, current, status=ApplicationStatus.refused.value,
                                        refused_at=datetime.now(UTC), refusal_reason=data.reason)
        uow.audit("refuse_permit_application", object_type="permit_application", object_id=application_id,
                  detail={"reason": data.reason})
        await uow.commit()
    return row


async def issue_permit(runtime: ServiceRuntime, *, application_id: uuid.UUID, data: PermitIssue,
                       principal: Principal, expected_version: int | None = None) -> dict:
    """The issuing authority issued the permit: number and dates recorded (checked again by R-PERMIT), event out."""
    async with runtime.uow() as uow:
        current, case = await _step(uow, application_id=application_id, step="issue", principal=principal,
                                    expected_version=expected_version)
        valid_from = data.valid_from or current.valid_from
        valid_until = data.valid_until or current.valid_until
        values: dict = {}
        if (valid_from, valid_until) != (current.valid_from, current.valid_until):
            if current.kind in PRINCIPAL_KINDS:
                principal_term(contract_start=case.contract_start, contract_end=case.contract_end,
                               valid_from=valid_from, valid_until=valid_until,
                               entry_visa=current.entry_visa, policy=policy_in_force())
            else:
                term = await _dependant_term(
                    uow.session, case, relation=current.holder, date_of_birth=current.date_of_birth,
                    application_date=current.application_date, valid_from=valid_from, valid_until=valid_until)
                values.update(turns_adult_on=term.turns_adult_on,
                              turns_adult_within_validity=term.turns_adult_within_validity)
        now = clock.now()  # the issue date stops the SLA clock (R-GREEN)
        row = await _update_application(
            uow, current, status=ApplicationStatus.issued.value, issued_at=now,
            permit_number=data.permit_number, valid_from=valid_from, valid_until=valid_until, **values)
        uow.audit("issue_permit", object_type="permit_application", object_id=application_id,
                  detail={"permit_number": data.permit_number, "valid_from": valid_from, "valid_until": valid_until})
        common = dict(permit_application_id=application_id, case_id=case.id, expert_id=case.expert_id,
                      permit_number=data.permit_number, valid_from=valid_from, valid_until=valid_until, issued_at=now)
        if current.kind == PermitKind.work_permit.value:
            issued = WorkPermitIssued(**common)
        else:
            issued = ResidencePermitIssued(**common, holder=current.holder, dependant_id=current.dependant_id)
        uow.publish(issued)
        await notify_partners(uow, issued, wake=runtime.extras.dispatcher.wake)
        await _stop_sla_clock(uow, case, now)
        await uow.commit()
    return row


async def _stop_sla_clock(uow: UnitOfWork, case, now: datetime) -> None:
    """R-GREEN: the target is met when both of the expert's work documents are issued."""
    if case.documents_issued_at is not None:
        return
    a = permit_applications
    issued = set((await uow.session.scalars(sa.select(a.c.kind).where(
        a.c.case_id == case.id, a.c.status == ApplicationStatus.issued.value,
        a.c.kind.in_([k.value for k in PRINCIPAL_KINDS])))).all())
    if issued >= {k.value for k in PRINCIPAL_KINDS}:
        await uow.session.execute(sa.update(green_channel_cases).where(green_channel_cases.c.id == case.id)
                                  .values(documents_issued_at=now))
