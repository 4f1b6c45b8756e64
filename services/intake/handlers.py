"""Commands and event handlers of the intake service; the only place that opens a unit of work."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from services.intake.models import employer_replica
from shared.events import CloudEvent
from shared.events.directory import EmployerRegistered
from shared.inbox import EventHandler
from shared.uow import UnitOfWork


async def on_employer_registered(event: EmployerRegistered, envelope: CloudEvent, uow: UnitOfWork) -> None:
    """Keep the local replica of employers; applications route by its district (R-APPLY)."""
    exists = await uow.session.scalar(
        sa.select(employer_replica.c.employer_id).where(employer_replica.c.employer_id == event.employer_id)
    )
    if exists is not None:
        return  # converge: the same employer announced again changes nothing
    await uow.session.execute(
        sa.insert(employer_replica).values(
            employer_id=event.employer_id,
            name=event.name,
            credit_code=event.credit_code,
            district=event.district,
            competent_department=event.competent_department,
            municipal_state_owned=event.municipal_state_owned,
            registered_at=event.registered_at,
            replicated_at=datetime.now(UTC),
            source_event_id=str(envelope.id),
        )
    )


EVENT_HANDLERS: dict[type, EventHandler] = {
    EmployerRegistered: on_employer_registered,
}
