"""The entitlement of an approved application: opened when review announces the approval."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from services.subsidy.entitlements.domain import EntitlementStatus
from services.subsidy.evaluations.handlers import apply_earlier_evaluations
from services.subsidy.revocation.handlers import apply_earlier_breach
from services.subsidy.entitlements.models import entitlements
from shared.events import CloudEvent
from shared.events.review import ApplicationApproved
from shared.events.subsidy import EntitlementOpened
from shared.uow import UnitOfWork

log = logging.getLogger(__name__)


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
        status=EntitlementStatus.open,
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
    await apply_earlier_evaluations(uow, entitlement)
    await apply_earlier_breach(uow, entitlement)
