"""The decision the employer reads names the entitlements subsidy opened for it (R-SUB-*).

Intake keeps each ``EntitlementOpened`` subsidy announces for one of its applications, keyed by the
entitlement, so a duplicate delivery or an event that arrives before the approval it follows changes
nothing but the one row. The employer goes from its decision to the entitlement it claims on
(``GET /subsidy/v1/entitlements/{id}``).
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.intake.models import metadata
from shared.db import dialect_insert
from shared.events import CloudEvent
from shared.events.common import Track
from shared.events.subsidy import EntitlementOpened
from shared.schemas import Output, UtcDateTime
from shared.uow import UnitOfWork

application_entitlements = sa.Table(
    "application_entitlements",
    metadata,
    sa.Column("entitlement_id", sa.Uuid, primary_key=True),
    sa.Column("application_id", sa.Uuid, nullable=False, index=True),
    sa.Column("track", sa.String(30), nullable=False),
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
)
"""One row per entitlement subsidy opened for an application."""


class EntitlementRef(Output):
    entitlement_id: uuid.UUID
    track: Track
    opened_at: UtcDateTime


async def on_entitlement_opened(event: EntitlementOpened, envelope: CloudEvent, uow: UnitOfWork) -> None:
    await uow.session.execute(dialect_insert(uow.session)(application_entitlements).values(
        entitlement_id=event.entitlement_id, application_id=event.application_id, track=event.track.value,
        opened_at=event.opened_at,
    ).on_conflict_do_nothing(index_elements=["entitlement_id"]))


async def entitlements_of(session, application_id: uuid.UUID) -> list[EntitlementRef]:
    rows = (await session.execute(
        sa.select(application_entitlements).where(application_entitlements.c.application_id == application_id)
        .order_by(application_entitlements.c.opened_at, application_entitlements.c.entitlement_id)
    )).all()
    return [EntitlementRef.model_validate(r._mapping) for r in rows]


__all__ = ["EntitlementRef", "application_entitlements", "entitlements_of", "on_entitlement_opened"]
