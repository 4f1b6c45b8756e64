"""The entitlements of an application, for the application read."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.intake.entitlements.models import application_entitlements
from services.intake.entitlements.schemas import EntitlementRef


async def entitlements_of(session, application_id: uuid.UUID) -> list[EntitlementRef]:
    rows = (await session.execute(
        sa.select(application_entitlements).where(application_entitlements.c.application_id == application_id)
        .order_by(application_entitlements.c.opened_at, application_entitlements.c.entitlement_id)
    )).all()
    return [EntitlementRef.model_validate(r._mapping) for r in rows]
