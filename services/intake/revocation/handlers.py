"""ContractBreached and ContractBreachWithdrawn kept per breach (R-SUPERVISE), in either order."""

from __future__ import annotations

from services.intake.revocation.models import application_breaches
from shared.breaches import upsert_breach
from shared.events import CloudEvent
from shared.events.review import ContractBreached, ContractBreachWithdrawn
from shared.uow import UnitOfWork


async def on_contract_breached(event: ContractBreached, envelope: CloudEvent, uow: UnitOfWork) -> None:
    """R-SUPERVISE: the breach goes on the application; a withdrawal seen first stays in force."""
    values = {"breach_id": event.breach_id, "application_id": event.application_id, "expert_id": event.expert_id,
              "attributable_to": event.attributable_to.value, "breach_date": event.breach_date,
              "confirmed_at": envelope.time}
    await upsert_breach(uow.session, application_breaches, values,
                        update=["attributable_to", "breach_date", "confirmed_at"])
    uow.audit("record_breach", object_type="application", object_id=event.application_id,
              detail={"breach_id": str(event.breach_id), "attributable_to": event.attributable_to.value})


async def on_contract_breach_withdrawn(event: ContractBreachWithdrawn, envelope: CloudEvent, uow: UnitOfWork) -> None:
    """The breach reversed on appeal, whether or not the breach itself has arrived yet."""
    values = {"breach_id": event.breach_id, "application_id": event.application_id, "expert_id": event.expert_id,
              "withdrawn_at": event.withdrawn_at}
    await upsert_breach(uow.session, application_breaches, values, update=["withdrawn_at"])
    uow.audit("withdraw_breach", object_type="application", object_id=event.application_id,
              detail={"breach_id": str(event.breach_id)})
