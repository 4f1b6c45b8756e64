"""Commands and event handlers of the permits service; the only place that opens a unit of work."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from services.permits import domain
from services.permits.models import (
    breaches,
    green_channel_cases,
    permit_applications,
    permit_reminders,
    school_placements,
)
from services.permits.schemas import (
    CaseRead,
    CaseSla,
    PermitApplicationCreate,
    PermitIssue,
    PermitRefusal,
    PermitRenewalCreate,
    SchoolPlacementCreate,
    SchoolPlaced,
    SchoolPlacementStep,
    SlaReport,
)
from services.permits.settings import PermitsSettings
from services.permits.webhooks.domain import CASE_REINSTATED
from services.permits.webhooks.handlers import enqueue_webhooks, notify_partners
from shared import clock
from shared.auth import Principal, Role
from shared.errors import Conflict, NotFound, PreconditionFailed, Unprocessable
from shared.events import CloudEvent
from shared.events.common import BreachAttribution
from shared.events.permits import (
    PermitCaseOpened,
    PermitExpiring,
    PermitRevocationRequested,
    ResidencePermitIssued,
    WorkPermitIssued,
)
from shared.events.review import ApplicationApproved, ContractBreached, ContractBreachWithdrawn
from shared.runtime import ServiceRuntime
from shared.uow import UnitOfWork

log = logging.getLogger(__name__)

# -- green-channel cases (R-GREEN) ---------------------------------------------------------------

def _holidays(settings: PermitsSettings) -> frozenset[date]:
    return frozenset(settings.green_channel_public_holidays)


def beijing_today() -> date:
    return clock.beijing_today()


async def on_application_approved(
    event: ApplicationApproved, envelope: CloudEvent, uow: UnitOfWork, *, settings: PermitsSettings,
    wake: Callable[[], None],
) -> None:
    """R-GREEN: open the green-channel case of an approved application, with its service-level target."""
    cases = green_channel_cases
    existing = await uow.session.scalar(sa.select(cases.c.id).where(cases.c.application_id == event.application_id))
    if existing is not None:
        log.info("green-channel case %s already open for application %s", existing, event.application_id)
        return
    now = clock.now()  # the SLA counts from the Beijing date the case opens (R-GREEN)
    days = settings.green_channel_sla_working_days
    due_by = domain.add_working_days(domain.beijing_date(now), days, _holidays(settings))
    case_id = uuid.uuid4()
    await uow.session.execute(sa.insert(cases).values(
        id=case_id, application_id=event.application_id, decision_id=event.decision_id,
        expert_id=event.expert.expert_id, employer_id=event.employer.employer_id, track=event.track.value,
        contract_start=event.contract.start, contract_end=event.contract.end,
        status=domain.CaseStatus.open.value, opened_at=now, sla_working_days=days, due_by=due_by,
        source_event_id=str(envelope.id),
    ))
    uow.audit("open_green_channel_case", object_type="case", object_id=case_id,
              detail={"application_id": str(event.application_id), "due_by": due_by})
    opened = PermitCaseOpened(
        case_id=case_id, application_id=event.application_id, expert_id=event.expert.expert_id,
        employer_id=event.employer.employer_id, opened_at=now, due_by=due_by,
    )
    uow.publish(opened)
    await notify_partners(uow, opened, wake=wake)
    # A breach that arrived before this approval still applies (converge whatever the order).
    breach = await _active_expert_breach(uow, event.application_id)
    if breach is not None:
        await _revoke(uow, case_id=case_id, breach=breach, wake=wake)


def case_read(row, today: date) -> CaseRead:
    issued_on = domain.beijing_date(row.documents_issued_at) if row.documents_issued_at else None
    state = domain.sla_state(due_by=row.due_by, documents_issued_on=issued_on, today=today)
    return CaseRead.model_validate({**row._mapping, "sla_state": state})


def _may_see_case(principal: Principal, case) -> bool:
    """Officers, and the case's employer acting for itself."""
    return principal.has_any(Role.bureau_officer, Role.admin) or (
        principal.has_any(Role.employer) and principal.organisation == str(case.employer_id))


async def _case_for(session, case_id: uuid.UUID, principal: Principal, *, lock: bool = False):
    query = sa.select(green_channel_cases).where(green_channel_cases.c.id == case_id)
    if lock:
        query = query.with_for_update()
    case = (await session.execute(query)).first()
    if case is None or not _may_see_case(principal, case):
        raise NotFound(f"no green-channel case {case_id}")
    return case


async def get_case(runtime: ServiceRuntime, *, case_id: uuid.UUID, principal: Principal) -> CaseRead:
    async with runtime.db.session() as session:
        case = await _case_for(session, case_id, principal)
    return case_read(case, beijing_today())


async def sla_report(runtime: ServiceRuntime, *, as_of: date) -> SlaReport:
    """R-GREEN: each case not revoked, on time, late, open or overdue as of ``as_of``."""
    settings: PermitsSettings = runtime.settings  # type: ignore[assignment]
    holidays = _holidays(settings)
    cases = green_channel_cases
    async with runtime.db.session() as session:
        rows = (await session.execute(
            sa.select(cases).where(cases.c.status == domain.CaseStatus.open.value)
            .order_by(cases.c.opened_at, cases.c.id)
        )).all()
    counts = dict.fromkeys(domain.SlaState, 0)
    items = []
    for row in rows:
        opened_on = domain.beijing_date(row.opened_at)
        if opened_on > as_of:
            continue
        issued_on = domain.beijing_date(row.documents_issued_at) if row.documents_issued_at else None
        if issued_on is not None and issued_on > as_of:
            issued_on = None  # as it stood on as_of
        state = domain.sla_state(due_by=row.due_by, documents_issued_on=issued_on, today=as_of)
        counts[state] += 1
        taken = domain.working_days_between(opened_on, issued_on, holidays) if issued_on else None
        items.append(CaseSla(case_id=row.id, expert_id=row.expert_id, opened_at=row.opened_at, due_by=row.due_by,
                             documents_issued_on=issued_on, sla_state=state, working_days_taken=taken))
    return SlaReport(as_of=as_of, cases=items, **{state.value: n for state, n in counts.items()})


# -- permit applications (R-PERMIT) and the officer's workflow -------------------------------------

def _policy() -> domain.PermitPolicy:
    return domain.POLICY_2014


def _application_date(given: date | None) -> date:
    today = beijing_today()
    if given is None:
        return today
    if given > today:
        raise Unprocessable("the application date may not be in the future", field="application_date")
    return given


def _refuse_in_revoked_case(case) -> None:
    if case.status == domain.CaseStatus.revoked.value:
        raise Conflict("the case was revoked after a contract breach (R-SUPERVISE)", current_state=case.status)


async def _principal_residence_until(session, case_id: uuid.UUID) -> date | None:
    """The latest expiry among the expert's live work-type residence permit applications in the case."""
    a = permit_applications
    return await session.scalar(
        sa.select(sa.func.max(a.c.valid_until)).where(
            a.c.case_id == case_id, a.c.kind == domain.PermitKind.work_residence_permit.value,
            a.c.status.in_([s.value for s in domain.LIVE_STATUSES]),
        )
    )


async def _dependant_term(session, case, *, relation, date_of_birth, application_date, valid_from, valid_until):
    principal_until = await _principal_residence_until(session, case.id)
    if principal_until is None:
        raise Unprocessable(
            "R-PERMIT (Art. 10(3)): a dependant's permit may not outlast the principal's; apply for the expert's "
            "work-type residence permit first", field="dependant", rule=domain.RULE,
        )
    return domain.dependant_term(
        relation=relation, application_date=application_date, valid_from=valid_from, valid_until=valid_until,
        principal_valid_until=principal_until, date_of_birth=date_of_birth, policy=_policy(),
    )


async def create_permit_application(
    runtime: ServiceRuntime, *, case_id: uuid.UUID, data: PermitApplicationCreate, principal: Principal
) -> dict:
    """File the expert's or a dependant's permit application in a case, or refuse it naming the rule."""
    application_date = _application_date(data.application_date)
    async with runtime.uow() as uow:
        case = await _case_for(uow.session, case_id, principal, lock=True)
        _refuse_in_revoked_case(case)
        a = permit_applications
        row = {
            "id": uuid.uuid4(), "case_id": case_id, "kind": data.kind.value, "application_date": application_date,
            "valid_from": data.valid_from, "valid_until": data.valid_until, "renews_id": None,
            "dependant_id": None, "dependant_name": None, "date_of_birth": None, "entry_visa": None,
            "turns_adult_on": None, "turns_adult_within_validity": False,
        }
        if data.kind in domain.PRINCIPAL_KINDS:
            if data.dependant is not None:
                raise Unprocessable("the expert's own permits take no dependant", field="dependant")
            if data.entry_visa is None:
                raise Unprocessable("the visa the expert entered on is required (any type is accepted)",
                                    field="entry_visa")
            live = (await uow.session.execute(
                sa.select(a.c.id, a.c.status).where(
                    a.c.case_id == case_id, a.c.kind == data.kind.value,
                    a.c.status.in_([s.value for s in domain.LIVE_STATUSES]))
            )).first()
            if live is not None:
                raise Conflict(f"the expert already has a {data.kind.value} application in this case "
                               f"(renew an issued permit instead)", current_state=live.status,
                               permit_application_id=str(live.id))
            domain.principal_term(
                contract_start=case.contract_start, contract_end=case.contract_end, valid_from=data.valid_from,
                valid_until=data.valid_until, entry_visa=data.entry_visa, policy=_policy(),
            )
            row.update(holder="expert", entry_visa=data.entry_visa.value)
        else:
            if data.dependant is None:
                raise Unprocessable("a dependant's residence permit needs the dependant (spouse or child)",
                                    field="dependant")
            if data.dependant.relation is domain.Relation.spouse:
                spouse = (await uow.session.execute(sa.select(a.c.id, a.c.status).where(
                    a.c.case_id == case_id, a.c.holder == domain.Relation.spouse.value,
                    a.c.status.in_([s.value for s in domain.LIVE_STATUSES])))).first()
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
    row.update(status=domain.ApplicationStatus.filed.value, created_at=datetime.now(UTC),
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
    application_date = _application_date(data.application_date)
    a = permit_applications
    async with runtime.uow() as uow:
        source = await _application_for(uow.session, application_id, principal)
        case = await _case_for(uow.session, source.case_id, principal, lock=True)
        _refuse_in_revoked_case(case)
        if source.status != domain.ApplicationStatus.issued.value:
            raise Conflict("only an issued permit can be renewed", current_state=source.status)
        pending = await uow.session.scalar(sa.select(a.c.id).where(
            a.c.renews_id == application_id, a.c.status.in_([s.value for s in domain.LIVE_STATUSES])))
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
        if source.kind in domain.PRINCIPAL_KINDS:
            domain.principal_term(
                contract_start=case.contract_start, contract_end=case.contract_end, valid_from=data.valid_from,
                valid_until=data.valid_until, entry_visa=source.entry_visa, policy=_policy(),
            )
        else:
            term = await _dependant_term(
                uow.session, case, relation=source.holder, date_of_birth=source.date_of_birth,
                application_date=application_date, valid_from=data.valid_from, valid_until=data.valid_until,
            )
            row.update(turns_adult_on=term.turns_adult_on,
                       turns_adult_within_validity=term.turns_adult_within_validity)
        return await _insert_application(uow, row, principal)


async def _application_for(session, application_id: uuid.UUID, principal: Principal, *, lock: bool = False):
    a, c = permit_applications, green_channel_cases
    query = sa.select(a, c.c.employer_id).join(c, c.c.id == a.c.case_id).where(a.c.id == application_id)
    if lock:
        query = query.with_for_update(of=a)
    row = (await session.execute(query)).first()
    if row is None or not _may_see_case(principal, row):
        raise NotFound(f"no permit application {application_id}")
    return row


async def get_permit_application(runtime: ServiceRuntime, *, application_id: uuid.UUID, principal: Principal):
    async with runtime.db.session() as session:
        return await _application_for(session, application_id, principal)


async def list_case_applications(runtime: ServiceRuntime, *, case_id: uuid.UUID, principal: Principal) -> list:
    a = permit_applications
    async with runtime.db.session() as session:
        await _case_for(session, case_id, principal)
        return (await session.execute(
            sa.select(a).where(a.c.case_id == case_id).order_by(a.c.created_at, a.c.id))).all()


async def _step(uow: UnitOfWork, *, application_id: uuid.UUID, step: str, principal: Principal,
                expected_version: int | None):
    """Lock the application and its case and check that ``step`` may be taken now (409 naming the state)."""
    # The case first, then the application: the order a revocation takes them in (``_revoke``), so that the two
    # queue; the other way round each would hold what the other waits for (PostgreSQL fails one: a 500).
    found = await _application_for(uow.session, application_id, principal)
    case = await _case_for(uow.session, found.case_id, principal, lock=True)
    current = await _application_for(uow.session, application_id, principal, lock=True)
    _refuse_in_revoked_case(case)
    if expected_version is not None and expected_version != current.version:
        raise PreconditionFailed("the application was changed since it was read", current_version=current.version)
    if current.status not in domain.TRANSITIONS[step]:
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
        row = await _update_application(uow, current, status=domain.ApplicationStatus.submitted.value,
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
        row = await _update_application(uow, current, status=domain.ApplicationStatus.refused.value,
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
            if current.kind in domain.PRINCIPAL_KINDS:
                domain.principal_term(contract_start=case.contract_start, contract_end=case.contract_end,
                                      valid_from=valid_from, valid_until=valid_until,
                                      entry_visa=current.entry_visa, policy=_policy())
            else:
                term = await _dependant_term(
                    uow.session, case, relation=current.holder, date_of_birth=current.date_of_birth,
                    application_date=current.application_date, valid_from=valid_from, valid_until=valid_until)
                values.update(turns_adult_on=term.turns_adult_on,
                              turns_adult_within_validity=term.turns_adult_within_validity)
        now = clock.now()  # the issue date stops the SLA clock (R-GREEN)
        row = await _update_application(
            uow, current, status=domain.ApplicationStatus.issued.value, issued_at=now,
            permit_number=data.permit_number, valid_from=valid_from, valid_until=valid_until, **values)
        uow.audit("issue_permit", object_type="permit_application", object_id=application_id,
                  detail={"permit_number": data.permit_number, "valid_from": valid_from, "valid_until": valid_until})
        common = dict(permit_application_id=application_id, case_id=case.id, expert_id=case.expert_id,
                      permit_number=data.permit_number, valid_from=valid_from, valid_until=valid_until, issued_at=now)
        if current.kind == domain.PermitKind.work_permit.value:
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
        a.c.case_id == case.id, a.c.status == domain.ApplicationStatus.issued.value,
        a.c.kind.in_([k.value for k in domain.PRINCIPAL_KINDS])))).all())
    if issued >= {k.value for k in domain.PRINCIPAL_KINDS}:
        await uow.session.execute(sa.update(green_channel_cases).where(green_channel_cases.c.id == case.id)
                                  .values(documents_issued_at=now))


# -- expiry reminders ------------------------------------------------------------------------------

async def send_expiry_reminders(runtime: ServiceRuntime, *, today: date) -> list[dict]:
    """``PermitExpiring`` for each issued permit reaching a threshold (90, 30 days): once per permit and threshold.

    A permit whose renewal is under way or issued, or in a revoked case, gets none.
    """
    settings: PermitsSettings = runtime.settings  # type: ignore[assignment]
    thresholds = sorted(settings.permit_reminder_days)
    if not thresholds:
        return []
    a, c, r = permit_applications, green_channel_cases, permit_reminders
    renewal = a.alias("renewal")
    horizon = today + timedelta(days=max(thresholds))
    async with runtime.db.session() as session:
        candidates = (await session.execute(
            sa.select(a.c.id, a.c.case_id, a.c.kind, a.c.valid_until, c.c.expert_id)
            .join(c, c.c.id == a.c.case_id)
            .where(a.c.status == domain.ApplicationStatus.issued.value, a.c.valid_until >= today,
                   a.c.valid_until <= horizon, c.c.status == domain.CaseStatus.open.value)
            .where(~sa.exists().where(renewal.c.renews_id == a.c.id,
                                      renewal.c.status.in_([s.value for s in domain.LIVE_STATUSES])))
            .order_by(a.c.valid_until, a.c.id)
        )).all()
    sent = []
    for permit in candidates:
        days_ahead = domain.reminder_due(valid_until=permit.valid_until, today=today, thresholds=thresholds)
        if days_ahead is None:
            continue
        try:
            async with runtime.uow() as uow:
                done = await uow.session.scalar(sa.select(r.c.days_ahead).where(
                    r.c.permit_application_id == permit.id, r.c.days_ahead == days_ahead))
                if done is not None:
                    continue
                await uow.session.execute(sa.insert(r).values(permit_application_id=permit.id,
                                                              days_ahead=days_ahead, sent_on=today))
                expiring = PermitExpiring(permit_application_id=permit.id, case_id=permit.case_id,
                                          expert_id=permit.expert_id, kind=permit.kind,
                                          valid_until=permit.valid_until, days_ahead=days_ahead)
                uow.publish(expiring)
                await notify_partners(uow, expiring, wake=runtime.extras.dispatcher.wake)
                uow.audit("permit_expiry_reminder", object_type="permit_application", object_id=permit.id,
                          detail={"days_ahead": days_ahead, "valid_until": permit.valid_until})
                await uow.commit()
        except sa.exc.IntegrityError:
            continue  # a concurrent run sent this one: the key (permit, threshold) holds it to once
        sent.append({"permit_application_id": str(permit.id), "days_ahead": days_ahead,
                     "valid_until": permit.valid_until.isoformat()})
    return sent


# -- revocation (R-SUPERVISE, Art. 16) -------------------------------------------------------------

async def _active_expert_breach(uow: UnitOfWork, application_id: uuid.UUID):
    return (await uow.session.execute(
        sa.select(breaches).where(
            breaches.c.application_id == application_id,
            breaches.c.attributable_to == BreachAttribution.expert.value,
            breaches.c.withdrawn.is_(False),
        ).order_by(breaches.c.recorded_at, breaches.c.breach_id).limit(1)
    )).first()


async def _revoke(uow: UnitOfWork, *, case_id: uuid.UUID, breach, wake: Callable[[], None]) -> None:
    """Withdraw the case's open applications and ask the issuing authority to revoke its live permits."""
    a, c = permit_applications, green_channel_cases
    now = datetime.now(UTC)
    case = (await uow.session.execute(sa.select(c).where(c.c.id == case_id).with_for_update())).one()
    if case.status == domain.CaseStatus.revoked.value:
        return
    open_ids = list((await uow.session.scalars(sa.select(a.c.id).where(
        a.c.case_id == case_id, a.c.status.in_([s.value for s in domain.OPEN_STATUSES]))
        .order_by(a.c.created_at, a.c.id))).all())
    live_permits = list((await uow.session.scalars(sa.select(a.c.id).where(
        a.c.case_id == case_id, a.c.status == domain.ApplicationStatus.issued.value,
        a.c.valid_until >= breach.breach_date).order_by(a.c.created_at, a.c.id))).all())
    if open_ids:
        await uow.session.execute(sa.update(a).where(a.c.id.in_(open_ids)).values(
            status=domain.ApplicationStatus.withdrawn.value, withdrawn_at=now, version=a.c.version + 1))
    await uow.session.execute(sa.update(c).where(c.c.id == case_id).values(
        status=domain.CaseStatus.revoked.value, revoked_at=now, revoked_by_breach_id=breach.breach_id))
    uow.audit("revoke_green_channel_case", object_type="case", object_id=case_id,
              detail={"breach_id": breach.breach_id, "withdrawn": open_ids, "permits_to_revoke": live_permits})
    requested = PermitRevocationRequested(
        case_id=case_id, expert_id=case.expert_id, breach_id=breach.breach_id, breach_date=breach.breach_date,
        withdrawn_applications=open_ids, permits_to_revoke=live_permits, requested_at=now,
    )
    uow.publish(requested)
    await notify_partners(uow, requested, wake=wake)


async def on_contract_breached(
    event: ContractBreached, envelope: CloudEvent, uow: UnitOfWork, *, settings: PermitsSettings,
    wake: Callable[[], None],
) -> None:
    """R-SUPERVISE: an expert-attributable breach revokes the case; an employer-attributable one is only recorded.

    The breach is kept, so that a case opened later (the approval arriving after the breach) is revoked
    on opening, and a withdrawal arriving first leaves it without effect.
    """
    b = breaches
    known = (await uow.session.execute(sa.select(b).where(b.c.breach_id == event.breach_id))).first()
    if known is None:
        await uow.session.execute(sa.insert(b).values(
            breach_id=event.breach_id, application_id=event.application_id, expert_id=event.expert_id,
            attributable_to=event.attributable_to.value, breach_date=event.breach_date, withdrawn=False,
            recorded_at=datetime.now(UTC)))
        withdrawn = False
    else:
        await uow.session.execute(sa.update(b).where(b.c.breach_id == event.breach_id).values(
            attributable_to=event.attributable_to.value, breach_date=event.breach_date))
        withdrawn = known.withdrawn
    uow.audit("record_contract_breach", object_type="breach", object_id=event.breach_id,
              detail={"application_id": event.application_id, "attributable_to": event.attributable_to.value,
                      "withdrawn": withdrawn})
    if event.attributable_to is not BreachAttribution.expert or withdrawn:
        return
    case_id = await uow.session.scalar(
        sa.select(green_channel_cases.c.id).where(green_channel_cases.c.application_id == event.application_id))
    if case_id is None:
        return  # applied when the case opens
    breach = (await uow.session.execute(sa.select(b).where(b.c.breach_id == event.breach_id))).one()
    await _revoke(uow, case_id=case_id, breach=breach, wake=wake)


async def on_contract_breach_withdrawn(
    event: ContractBreachWithdrawn, envelope: CloudEvent, uow: UnitOfWork, *, settings: PermitsSettings,
    wake: Callable[[], None],
) -> None:
    """The breach was withdrawn on appeal: the case is reinstated and partners are told.

    Applications withdrawn by the revocation stay withdrawn (the officer files them again);
    permits the authority was asked to revoke are for it to restore, on the partners' notice.
    """
    b, c = breaches, green_channel_cases
    known = (await uow.session.execute(sa.select(b).where(b.c.breach_id == event.breach_id))).first()
    if known is None:
        await uow.session.execute(sa.insert(b).values(
            breach_id=event.breach_id, application_id=event.application_id, expert_id=event.expert_id,
            attributable_to=None, breach_date=None, withdrawn=True, recorded_at=datetime.now(UTC)))
    elif not known.withdrawn:
        await uow.session.execute(sa.update(b).where(b.c.breach_id == event.breach_id).values(withdrawn=True))
    uow.audit("withdraw_contract_breach", object_type="breach", object_id=event.breach_id,
              detail={"application_id": event.application_id, "reason": event.reason})
    case = (await uow.session.execute(sa.select(c).where(
        c.c.application_id == event.application_id, c.c.revoked_by_breach_id == event.breach_id).with_for_update()
    )).first()
    if case is None:
        return
    other = await _active_expert_breach(uow, event.application_id)
    if other is not None:
        # Still revoked, now on account of the other breach.
        await uow.session.execute(sa.update(c).where(c.c.id == case.id).values(revoked_by_breach_id=other.breach_id))
        return
    await uow.session.execute(sa.update(c).where(c.c.id == case.id).values(
        status=domain.CaseStatus.open.value, revoked_at=None, revoked_by_breach_id=None))
    uow.audit("reinstate_green_channel_case", object_type="case", object_id=case.id,
              detail={"breach_id": event.breach_id})
    await enqueue_webhooks(uow, event_type=CASE_REINSTATED, data={
        "case_id": str(case.id), "expert_id": str(case.expert_id), "breach_id": str(event.breach_id),
        "state": "reinstated", "reinstated_at": datetime.now(UTC).isoformat(),
    }, wake=wake)


# -- school placement (R-SCHOOL) -------------------------------------------------------------------

async def request_school_placement(runtime: ServiceRuntime, *, case_id: uuid.UUID, data: SchoolPlacementCreate,
                                   principal: Principal) -> dict:
    """R-SCHOOL: a placement request for one of the expert's children, the preferred school type named."""
    today = beijing_today()
    if data.date_of_birth > today:
        raise Unprocessable("the date of birth may not be in the future", field="date_of_birth")
    limit = _policy().child_age_limit_years
    if today >= domain.add_years(data.date_of_birth, limit):
        raise Unprocessable(f"R-SCHOOL (Art. 10(4)): placement is for the expert's children under {limit}",
                            field="date_of_birth", rule="R-SCHOOL")
    now = datetime.now(UTC)
    async with runtime.uow() as uow:
        case = await _case_for(uow.session, case_id, principal, lock=True)  # not revoked until this commits
        _refuse_in_revoked_case(case)
        row = {"id": uuid.uuid4(), "case_id": case_id, **data.model_dump(),
               "status": domain.PlacementStatus.requested.value, "school_name": None, "school_type": None,
               "requested_at": now, "requested_by": principal.subject, "updated_at": now}
        row["preferred_school_type"] = data.preferred_school_type.value
        await uow.session.execute(sa.insert(school_placements).values(**row))
        uow.audit("request_school_placement", object_type="school_placement", object_id=row["id"],
                  detail={"case_id": case_id, "preferred_school_type": row["preferred_school_type"]})
        await uow.commit()
    return row


async def list_school_placements(runtime: ServiceRuntime, *, case_id: uuid.UUID, principal: Principal) -> list:
    p = school_placements
    async with runtime.db.session() as session:
        await _case_for(session, case_id, principal)
        return (await session.execute(
            sa.select(p).where(p.c.case_id == case_id).order_by(p.c.requested_at, p.c.id))).all()


async def _placement_for(session, placement_id: uuid.UUID, principal: Principal, *, lock: bool = False):
    p, c = school_placements, green_channel_cases
    query = sa.select(p, c.c.employer_id).join(c, c.c.id == p.c.case_id).where(p.c.id == placement_id)
    if lock:
        query = query.with_for_update(of=p)
    row = (await session.execute(query)).first()
    if row is None or not _may_see_case(principal, row):
        raise NotFound(f"no school placement {placement_id}")
    return row


async def get_school_placement(runtime: ServiceRuntime, *, placement_id: uuid.UUID, principal: Principal):
    async with runtime.db.session() as session:
        return await _placement_for(session, placement_id, principal)


async def advance_school_placement(
    runtime: ServiceRuntime, *, placement_id: uuid.UUID, step: str,
    data: SchoolPlacementStep | SchoolPlaced, principal: Principal,
) -> dict:
    """The bureau coordinates (coordinate), records the school (place), or the request is withdrawn."""
    target = {"coordinate": domain.PlacementStatus.coordinating, "place": domain.PlacementStatus.placed,
              "withdraw": domain.PlacementStatus.withdrawn}[step]
    p = school_placements
    async with runtime.uow() as uow:
        current = await _placement_for(uow.session, placement_id, principal, lock=True)
        if current.status not in domain.PLACEMENT_TRANSITIONS[step]:
            raise Conflict(f"a {current.status} placement request cannot move to {target.value}",
                           current_state=current.status)
        values: dict = {"status": target.value, "updated_at": datetime.now(UTC)}
        if data.note is not None:
            values["note"] = data.note
        if isinstance(data, SchoolPlaced):
            values.update(school_name=data.school_name, school_type=data.school_type.value)
        await uow.session.execute(sa.update(p).where(p.c.id == placement_id).values(**values))
        uow.audit(f"{step}_school_placement", object_type="school_placement", object_id=placement_id,
                  detail={k: v for k, v in values.items() if k != "updated_at"})
        await uow.commit()
    return {**current._mapping, **values}
