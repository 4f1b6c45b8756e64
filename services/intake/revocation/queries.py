"""The revocation an application shows, from the breaches known for it (R-SUPERVISE)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.intake.revocation.models import application_breaches
from services.intake.revocation.schemas import BreachNoticeRead, RevocationRead
from shared.events.common import BreachAttribution


def revocation(rows) -> RevocationRead | None:
    """What the application shows; None while no breach is known."""
    breaches = [
        BreachNoticeRead(breach_id=r.breach_id, breach_date=r.breach_date, attributable_to=r.attributable_to,
                   withdrawn=r.withdrawn_at is not None, withdrawn_at=r.withdrawn_at)
        for r in rows if r.attributable_to is not None or r.withdrawn_at is not None
    ]
    if not breaches:
        return None
    standing = [b.breach_date for b in breaches
                if b.attributable_to == BreachAttribution.expert and not b.withdrawn and b.breach_date]
    return RevocationRead(benefits_revoked=bool(standing), since=min(standing) if standing else None,
                          breaches=breaches)


async def revocation_of(session, application_id: uuid.UUID) -> RevocationRead | None:
    rows = (await session.execute(
        sa.select(application_breaches).where(application_breaches.c.application_id == application_id)
        .order_by(application_breaches.c.breach_date, application_breaches.c.breach_id)
    )).all()
    return revocation(rows)
