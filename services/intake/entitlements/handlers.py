"""EntitlementOpened kept per application (R-SUB-*)."""

from __future__ import annotations

from services.intake.entitlements.models import application_entitlements
from shared.db import dialect_insert
from shared.events import CloudEvent
from shared.events.subsidy import EntitlementOpened
from shared.uow import UnitOfWork


async def on_entitlement_opened(event: EntitlementOpened, envelope: CloudEvent, uow: UnitOfWork) -> None:
    await uow.session.execute(dialect_insert(uow.session)(application_entitlements).values(
        entitlement_id=event.entitlement_id, application_id=event.application_id, track=event.track.value,
        opened_at=event.opened_at,
    ).on_conflict_do_nothing(index_elements=["entitlement_id"]))
