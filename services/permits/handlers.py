"""Commands and event handlers of the permits service; the only place that opens a unit of work."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import socket
import uuid
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa

from services.permits import domain
from services.permits.domain import DeliveryStatus
from services.permits.models import (
    breaches,
    green_channel_cases,
    permit_applications,
    permit_reminders,
    school_placements,
    webhook_deliveries,
    webhook_subscriptions,
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
    WebhookReplayRange,
    WebhookSecretRotated,
    WebhookSubscriptionCreate,
    WebhookSubscriptionCreated,
    WebhookSubscriptionRead,
    WebhookSubscriptionUpdate,
)
from services.permits.settings import PermitsSettings
from shared import clock
from shared.auth import Principal, Role
from shared.errors import Conflict, NotFound, PreconditionFailed, Unprocessable
from shared.events import CloudEvent, Event
from shared.events.common import BreachAttribution
from shared.events.permits import (
    PermitCaseOpened,
    PermitExpiring,
    PermitRevocationRequested,
    ResidencePermitIssued,
    WorkPermitIssued,
)
from shared.events.review import ApplicationApproved, ContractBreached, ContractBreachWithdrawn
from shared.inbox import EventHandler
from shared.runtime import ServiceRuntime
from shared.uow import UnitOfWork
from shared.webhooks import check_target, generate_secret

log = logging.getLogger(__name__)

RESOLVE_TIMEOUT_SECONDS = 5.0


async def _resolve(host: str, port: int) -> set[str]:
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(
            loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout=RESOLVE_TIMEOUT_SECONDS
        )
    except (OSError, TimeoutError) as exc:
        raise Unprocessable(f"the webhook URL's host {host!r} does not resolve", field="url") from exc
    return {info[4][0] for info in infos}


async def check_webhook_url(settings: PermitsSettings, url: str) -> None:
    """Refuse a URL that is not https in production or that resolves to a private or loopback address
    (IPv6 forms that carry one included), unless the settings allow that network or that exact target.

    Checked when the URL is set and again before each delivery attempt, since DNS can change
    in between. A short window remains between this check and the connection (rebinding);
    pinning the checked address for the connection would close it.
    """
    parts = urlsplit(url)
    if not parts.hostname:
        raise Unprocessable("a webhook URL needs a host", field="url")
    addresses = await _resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    check_target(
        url,
        addresses=addresses,
        require_https=not settings.is_development,
        allowed_networks=settings.webhook_allowed_cidrs,
        allowed_targets=settings.webhook_allowed_targets,
    )


async def create_webhook_subscription(
    runtime: ServiceRuntime, *, data: WebhookSubscriptionCreate, actor: str
) -> WebhookSubscriptionCreated:
    """Subscribe a partner agency's endpoint; its whsec_ secret is returned here and never again."""
    url = str(data.url)
    await check_webhook_url(runtime.settings, url)
    now = datetime.now(UTC)
    row = {
        "id": uuid.uuid4(),
        "url": url,
        "event_types": data.event_types,
        "description": data.description,
        "secret": generate_secret(),
        "enabled": True,
        "disabled_reason": None,
        "version": 1,
        "created_at": now,
        "created_by": actor,
        "updated_at": now,
    }
    async with runtime.uow() as uow:
        await uow.session.execute(sa.insert(webhook_subscriptions).values(**row))
        uow.audit("create_webhook_subscription", object_type="webhook_subscription", object_id=row["id"],
                  detail={"url": url, "event_types": data.event_types})  # never the secret
        await uow.commit()
    return WebhookSubscriptionCreated.model_validate(row)


async def update_webhook_subscription(
    runtime: ServiceRuntime,
    *,
    subscription_id: uuid.UUID,
    data: WebhookSubscriptionUpdate,
    expected_version: int | None,
) -> WebhookSubscriptionRead:
    """Change a subscription's URL, event types, description or enabled flag (If-Match: its version)."""
    changes = data.model_dump(exclude_unset=True)
    for field_name in ("url", "event_types", "enabled"):
        if field_name in changes and changes[field_name] is None:
            raise Unprocessable(f"{field_name} may be changed, not removed", field=field_name)
    if "url" in changes:
        changes["url"] = str(data.url)
        await check_webhook_url(runtime.settings, changes["url"])
    if "enabled" in changes:
        changes["disabled_reason"] = None if changes["enabled"] else "disabled by an officer"
    async with runtime.uow() as uow:
        table = webhook_subscriptions
        current = (await uow.session.execute(
            sa.select(table).where(table.c.id == subscription_id).with_for_update()
        )).first()
        if current is None:
            raise NotFound(f"no webhook subscription {subscription_id}")
        if expected_version is not None and expected_version != current.version:
            raise PreconditionFailed(
                "the subscription was changed since it was read", current_version=current.version
            )
        values = {**changes, "version": current.version + 1, "updated_at": datetime.now(UTC)}
        result = await uow.session.execute(
            sa.update(table).where(table.c.id == subscription_id, table.c.version == current.version).values(**values)
        )
        if result.rowcount != 1:
            raise PreconditionFailed("the subscription was changed concurrently", current_version=current.version)
        uow.audit("update_webhook_subscription", object_type="webhook_subscription", object_id=subscription_id,
                  detail={k: v for k, v in changes.items()})
        await uow.commit()
    return WebhookSubscriptionRead.model_validate({**current._mapping, **values})


async def rotate_webhook_secret(runtime: ServiceRuntime, *, subscription_id: uuid.UUID) -> WebhookSecretRotated:
    """A new secret, returned once; the old one keeps signing alongside it for the overlap."""
    table = webhook_subscriptions
    now = datetime.now(UTC)
    until = now + timedelta(seconds=runtime.settings.webhook_secret_overlap_seconds)
    secret = generate_secret()
    async with runtime.uow() as uow:
        current = (await uow.session.execute(
            sa.select(table.c.secret, table.c.version).where(table.c.id == subscription_id).with_for_update()
        )).first()
        if current is None:
            raise NotFound(f"no webhook subscription {subscription_id}")
        await uow.session.execute(
            sa.update(table).where(table.c.id == subscription_id).values(
                secret=secret, previous_secret=current.secret, previous_secret_until=until,
                version=current.version + 1, updated_at=now,
            )
        )
        uow.audit("rotate_webhook_secret", object_type="webhook_subscription", object_id=subscription_id,
                  detail={"previous_secret_valid_until": until})  # never the secrets
        await uow.commit()
    return WebhookSecretRotated(id=subscription_id, secret=secret, previous_secret_valid_until=until)


def signing_secrets(*, secret: str, previous_secret: str | None, previous_secret_until: datetime | None,
                    now: datetime) -> list[str]:
    """The secrets a delivery is signed with now: the current one, and the previous during the overlap."""
    if previous_secret and previous_secret_until is not None:
        if previous_secret_until.tzinfo is None:  # SQLite hands timestamps back naive (UTC)
            previous_secret_until = previous_secret_until.replace(tzinfo=UTC)
        if now < previous_secret_until:
            return [secret, previous_secret]
    return [secret]


# -- webhook deliveries ------------------------------------------------------------------------

WEBHOOK_TEST_EVENT = "WebhookTest"


def webhook_payload(event_type: str, data: dict, at: datetime) -> str:
    """The body partners receive: thin (ids, states, dates), fixed at enqueue so every retry is identical."""
    return json.dumps({"type": event_type, "timestamp": at.isoformat(), "data": data},
                      separators=(",", ":"), default=str)


async def enqueue_webhooks(uow, *, event_type: str, data: dict, only: uuid.UUID | None = None) -> list[str]:
    """Record a message for every enabled subscription to ``event_type``, in the caller's transaction."""
    table = webhook_subscriptions
    query = sa.select(table.c.id, table.c.event_types).where(table.c.enabled.is_(True))
    if only is not None:
        query = query.where(table.c.id == only)
    subscribers = [
        r.id for r in (await uow.session.execute(query)).all() if only is not None or event_type in r.event_types
    ]
    now = datetime.now(UTC)
    rows = [
        {
            "webhook_id": f"msg_{uuid.uuid4().hex}",
            "subscription_id": subscription_id,
            "event_type": event_type,
            "payload": webhook_payload(event_type, data, now),
            "status": DeliveryStatus.pending.value,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for subscription_id in subscribers
    ]
    if rows:
        await uow.session.execute(sa.insert(webhook_deliveries), rows)
    return [r["webhook_id"] for r in rows]


async def send_test_webhook(runtime: ServiceRuntime, *, subscription_id: uuid.UUID) -> str:
    """Queue a ``WebhookTest`` message to one subscription, so a partner can check its endpoint."""
    async with runtime.uow() as uow:
        enabled = await uow.session.scalar(
            sa.select(webhook_subscriptions.c.enabled).where(webhook_subscriptions.c.id == subscription_id)
        )
        if enabled is None:
            raise NotFound(f"no webhook subscription {subscription_id}")
        if not enabled:
            raise Conflict("the subscription is disabled", current_state="disabled")
        [webhook_id] = await enqueue_webhooks(
            uow, event_type=WEBHOOK_TEST_EVENT, data={"subscription_id": str(subscription_id)}, only=subscription_id
        )
        uow.audit("send_test_webhook", object_type="webhook_subscription", object_id=subscription_id,
                  detail={"webhook_id": webhook_id})
        await uow.commit()
    _wake_dispatcher(runtime)
    return webhook_id


async def replay_webhook_delivery(runtime: ServiceRuntime, *, delivery_id: int) -> None:
    """Send a delivery again with a fresh retry schedule (same webhook-id: a receiver that has it takes it once)."""
    d, s = webhook_deliveries, webhook_subscriptions
    async with runtime.uow() as uow:
        row = (await uow.session.execute(
            sa.select(d.c.webhook_id, d.c.status, s.c.enabled).join(s, s.c.id == d.c.subscription_id)
            .where(d.c.id == delivery_id)
        )).first()
        if row is None:
            raise NotFound(f"no webhook delivery {delivery_id}")
        if not row.enabled:
            raise Conflict("the subscription is disabled; enable it before replaying", current_state="disabled")
        await uow.session.execute(
            sa.update(d).where(d.c.id == delivery_id).values(
                status=DeliveryStatus.pending.value, attempts=0, next_attempt_at=datetime.now(UTC)
            )
        )
        uow.audit("replay_webhook_delivery", object_type="webhook_delivery", object_id=delivery_id,
                  detail={"webhook_id": row.webhook_id, "previous_status": row.status})
        await uow.commit()
    _wake_dispatcher(runtime)


async def replay_webhook_range(
    runtime: ServiceRuntime, *, subscription_id: uuid.UUID, data: WebhookReplayRange
) -> int:
    """Send again the deliveries of one subscription created in a time range; return how many."""
    d, s = webhook_deliveries, webhook_subscriptions
    # In UTC: SQLite keeps timestamps as UTC text, so an offset left on would compare wrongly there.
    since = data.since.astimezone(UTC)
    until = (data.until or datetime.now(UTC)).astimezone(UTC)
    if until <= since:
        raise Unprocessable("until must be after since", field="until")
    statuses = [DeliveryStatus.exhausted.value, DeliveryStatus.gone.value]
    if not data.only_failed:
        statuses.append(DeliveryStatus.delivered.value)
    async with runtime.uow() as uow:
        enabled = await uow.session.scalar(sa.select(s.c.enabled).where(s.c.id == subscription_id))
        if enabled is None:
            raise NotFound(f"no webhook subscription {subscription_id}")
        if not enabled:
            raise Conflict("the subscription is disabled; enable it before replaying", current_state="disabled")
        result = await uow.session.execute(
            sa.update(d)
            .where(d.c.subscription_id == subscription_id, d.c.created_at >= since, d.c.created_at < until,
                   d.c.status.in_(statuses))
            .values(status=DeliveryStatus.pending.value, attempts=0, next_attempt_at=datetime.now(UTC))
        )
        replayed = result.rowcount
        uow.audit("replay_webhook_range", object_type="webhook_subscription", object_id=subscription_id,
                  detail={"since": since, "until": until, "statuses": statuses, "replayed": replayed})
        await uow.commit()
    _wake_dispatcher(runtime)
    return replayed


async def disable_gone_subscription(runtime: ServiceRuntime, *, subscription_id: uuid.UUID, webhook_id: str) -> None:
    """The receiver answered 410 Gone: stop sending to it until an officer enables it again."""
    table = webhook_subscriptions
    async with runtime.uow() as uow:
        await uow.session.execute(
            sa.update(table).where(table.c.id == subscription_id, table.c.enabled.is_(True)).values(
                enabled=False, disabled_reason=f"the endpoint answered 410 Gone to {webhook_id}",
                version=table.c.version + 1, updated_at=datetime.now(UTC),
            )
        )
        uow.audit("disable_webhook_subscription_gone", object_type="webhook_subscription",
                  object_id=subscription_id, detail={"webhook_id": webhook_id})
        await uow.commit()


def _wake_dispatcher(runtime: ServiceRuntime) -> None:
    dispatcher = getattr(runtime, "webhook_dispatcher", None)
    if dispatcher is not None:
        dispatcher.wake()


# -- events out: the bus (outbox) and partner webhooks, in one unit of work -------------------------

WEBHOOK_STATES = {
    "PermitCaseOpened": "open",
    "WorkPermitIssued": "issued",
    "ResidencePermitIssued": "issued",
    "PermitExpiring": "expiring",
    "PermitRevocationRequested": "revocation_requested",
}


def thin_payload(event: Event) -> dict:
    """What partners receive of an event: its ids, dates and a state; the contracts carry no passport or salary."""
    return {**event.model_dump(mode="json"), "state": WEBHOOK_STATES[event.event_type]}


async def emit(uow: UnitOfWork, event: Event) -> None:
    """Publish ``event`` (outbox) and queue its webhook to every subscribed partner, in the same transaction."""
    uow.publish(event)
    await enqueue_webhooks(uow, event_type=event.event_type, data=thin_payload(event))


# -- green-channel cases (R-GREEN) ---------------------------------------------------------------

def _holidays(settings: PermitsSettings) -> frozenset[date]:
    return frozenset(settings.green_channel_public_holidays)


def beijing_today() -> date:
    return clock.beijing_today()


async def on_application_approved(
    event: ApplicationApproved, envelope: CloudEvent, uow: UnitOfWork, *, settings: PermitsSettings
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
    await emit(uow, PermitCaseOpened(
        case_id=case_id, application_id=event.application_id, expert_id=event.expert.expert_id,
        employer_id=event.employer.employer_id, opened_at=now, due_by=due_by,
    ))
    # A breach that arrived before this approval still applies (converge whatever the order).
    breach = await _active_expert_breach(uow, event.application_id)
    if breach is not None:
        await _revoke(uow, case_id=case_id, breach=breach)


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
            await emit(uow, WorkPermitIssued(**common))
        else:
            await emit(uow, ResidencePermitIssued(**common, holder=current.holder, dependant_id=current.dependant_id))
        await _stop_sla_clock(uow, case, now)
        await uow.commit()
    _wake_dispatcher(runtime)
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
                await emit(uow, PermitExpiring(permit_application_id=permit.id, case_id=permit.case_id,
                                               expert_id=permit.expert_id, kind=permit.kind,
                                               valid_until=permit.valid_until, days_ahead=days_ahead))
                uow.audit("permit_expiry_reminder", object_type="permit_application", object_id=permit.id,
                          detail={"days_ahead": days_ahead, "valid_until": permit.valid_until})
                await uow.commit()
        except sa.exc.IntegrityError:
            continue  # a concurrent run sent this one: the key (permit, threshold) holds it to once
        sent.append({"permit_application_id": str(permit.id), "days_ahead": days_ahead,
                     "valid_until": permit.valid_until.isoformat()})
    if sent:
        _wake_dispatcher(runtime)
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


async def _revoke(uow: UnitOfWork, *, case_id: uuid.UUID, breach) -> None:
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
    await emit(uow, PermitRevocationRequested(
        case_id=case_id, expert_id=case.expert_id, breach_id=breach.breach_id, breach_date=breach.breach_date,
        withdrawn_applications=open_ids, permits_to_revoke=live_permits, requested_at=now,
    ))


async def on_contract_breached(
    event: ContractBreached, envelope: CloudEvent, uow: UnitOfWork, *, settings: PermitsSettings
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
    await _revoke(uow, case_id=case_id, breach=breach)


async def on_contract_breach_withdrawn(
    event: ContractBreachWithdrawn, envelope: CloudEvent, uow: UnitOfWork, *, settings: PermitsSettings
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
    await enqueue_webhooks(uow, event_type=domain.CASE_REINSTATED, data={
        "case_id": str(case.id), "expert_id": str(case.expert_id), "breach_id": str(event.breach_id),
        "state": "reinstated", "reinstated_at": datetime.now(UTC).isoformat(),
    })


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


# -- the event table -------------------------------------------------------------------------------

EVENT_HANDLERS: dict[type, EventHandler] = {
    ApplicationApproved: on_application_approved,
    ContractBreached: on_contract_breached,
    ContractBreachWithdrawn: on_contract_breach_withdrawn,
}


def bind_handlers(settings: PermitsSettings) -> dict[type, EventHandler]:
    """The event table with this process's settings (the SLA target) bound in."""
    return {event: functools.partial(handler, settings=settings) for event, handler in EVENT_HANDLERS.items()}
