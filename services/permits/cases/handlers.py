"""Event handlers of green-channel cases (R-GREEN, Art. 10(2)): an approved application opens its case."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

import sqlalchemy as sa

from services.permits import domain
from services.permits.domain import CaseStatus
from services.permits.revocation.handlers import revoke_if_breached
from services.permits.settings import PermitsSettings
from services.permits.cases.models import green_channel_cases
from services.permits.webhooks.handlers import notify_partners
from shared import clock
from shared.events import CloudEvent
from shared.events.permits import PermitCaseOpened
from shared.events.review import ApplicationApproved
from shared.uow import UnitOfWork

log = logging.getLogger(__name__)


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
    due_by = domain.add_working_days(domain.beijing_date(now), days, frozenset(settings.green_channel_public_holidays))
    case_id = uuid.uuid4()
    await uow.session.execute(sa.insert(cases).values(
        id=case_id, application_id=event.application_id, decision_id=event.decision_id,
        expert_id=event.expert.expert_id, employer_id=event.employer.employer_id, track=event.track.value,
        contract_start=event.contract.start, contract_end=event.contract.end,
        status=CaseStatus.open.value, opened_at=now, sla_working_days=days, due_by=due_by,
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
    await revoke_if_breached(uow, case_id=case_id, application_id=event.application_id, wake=wake)
