"""Event handlers of revocation (R-SUPERVISE, Art. 16): the breaches review announces, kept as a replica, and
the green-channel case an expert-attributable one revokes (or, withdrawn on appeal, reinstates).

A breach and its withdrawal may arrive in either order, and either before the approval that opens the case:
each is an upsert of the replica (shared.breaches), and a case opening later applies a breach already known
(``revoke_if_breached``), so the outcome is the same whatever the order."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from services.permits.domain import OPEN_STATUSES, ApplicationStatus, CaseStatus
from services.permits.revocation.models import breaches
from services.permits.settings import PermitsSettings
from services.permits.applications.models import permit_applications
from services.permits.cases.models import green_channel_cases
from services.permits.webhooks.domain import CASE_REINSTATED
from services.permits.webhooks.handlers import enqueue_webhooks, notify_partners
from shared.breaches import upsert_breach
from shared.events import CloudEvent
from shared.events.common import BreachAttribution
from shared.events.permits import PermitRevocationRequested
from shared.events.review import ContractBreached, ContractBreachWithdrawn
from shared.uow import UnitOfWork


async def _active_expert_breach(uow: UnitOfWork, application_id: uuid.UUID) -> Any:
    """The earliest expert-attributable breach of the application that is not withdrawn, if any."""
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
    if case.status == CaseStatus.revoked.value:
        return
    open_ids = list((await uow.session.scalars(sa.select(a.c.id).where(
        a.c.case_id == case_id, a.c.status.in_([s.value for s in OPEN_STATUSES]))
        .order_by(a.c.created_at, a.c.id))).all())
    live_permits = list((await uow.session.scalars(sa.select(a.c.id).where(
        a.c.case_id == case_id, a.c.status == ApplicationStatus.issued.value,
        a.c.valid_until >= breach.breach_date).order_by(a.c.created_at, a.c.id))).all())
    if open_ids:
        await uow.session.execute(sa.update(a).where(a.c.id.in_(open_ids)).values(
            status=ApplicationStatus.withdrawn.value, withdrawn_at=now, version=a.c.version + 1))
    await uow.session.execute(sa.update(c).where(c.c.id == case_id).values(
        status=CaseStatus.revoked.value, revoked_at=now, revoked_by_breach_id=breach.breach_id))
    uow.audit("revoke_green_channel_case", object_type="case", object_id=case_id,
              detail={"breach_id": breach.breach_id, "withdrawn": open_ids, "permits_to_revoke": live_permits})
    requested = PermitRevocationRequested(
        case_id=case_id, expert_id=case.expert_id, breach_id=breach.breach_id, breach_date=breach.breach_date,
        withdrawn_applications=open_ids, permits_to_revoke=live_permits, requested_at=now,
    )
    uow.publish(requested)
    await notify_partners(uow, requested, wake=wake)


async def revoke_if_breached(uow: UnitOfWork, *, case_id: uuid.UUID, application_id: uuid.UUID,
                             wake: Callable[[], None]) -> None:
    """A case just opened: a breach that arrived before its approval still applies (converge whatever the order)."""
    breach = await _active_expert_breach(uow, application_id)
    if breach is not None:
        await _revoke(uow, case_id=case_id, breach=breach, wake=wake)


async def on_contract_breached(
    event: ContractBreached, envelope: CloudEvent, uow: UnitOfWork, *, settings: PermitsSettings,
    wake: Callable[[], None],
) -> None:
    """R-SUPERVISE: an expert-attributable breach revokes the case; an employer-attributable one is only recorded.

    The breach is kept, so that a case opened later (the approval arriving after the breach) is revoked
    on opening, and a withdrawal arriving first leaves it without effect.
    """
    # A withdrawal that arrived first keeps its mark: only the breach's own columns are set on a known row.
    breach = await upsert_breach(
        uow.session, breaches,
        {"breach_id": event.breach_id, "application_id": event.application_id, "expert_id": event.expert_id,
         "attributable_to": event.attributable_to.value, "breach_date": event.breach_date, "withdrawn": False,
         "recorded_at": datetime.now(UTC)},
        update=["attributable_to", "breach_date"], returning=list(breaches.c),
    )
    uow.audit("record_contract_breach", object_type="breach", object_id=event.breach_id,
              detail={"application_id": event.application_id, "attributable_to": event.attributable_to.value,
                      "withdrawn": breach.withdrawn})
    if event.attributable_to is not BreachAttribution.expert or breach.withdrawn:
        return
    case_id = await uow.session.scalar(
        sa.select(green_channel_cases.c.id).where(green_channel_cases.c.application_id == event.application_id))
    if case_id is None:
        return  # applied when the case opens
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
    # Known or not (the withdrawal may come first): the replica says withdrawn.
    await upsert_breach(
        uow.session, b,
        {"breach_id": event.breach_id, "application_id": event.application_id, "expert_id": event.expert_id,
         "attributable_to": None, "breach_date": None, "withdrawn": True, "recorded_at": datetime.now(UTC)},
        update=["withdrawn"], where=b.c.withdrawn.is_(False),
    )
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
        status=CaseStatus.open.value, revoked_at=None, revoked_by_breach_id=None))
    uow.audit("reinstate_green_channel_case", object_type="case", object_id=case.id,
              detail={"breach_id": event.breach_id})
    await enqueue_webhooks(uow, event_type=CASE_REINSTATED, data={
        "case_id": str(case.id), "expert_id": str(case.expert_id), "breach_id": str(event.breach_id),
        "state": "reinstated", "reinstated_at": datetime.now(UTC).isoformat(),
    }, wake=wake)
