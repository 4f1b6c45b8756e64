"""The employer's application shows the supervision's consequences (R-SUPERVISE).

Intake keeps each breach review announces for one of its applications: ``ContractBreached``
and ``ContractBreachWithdrawn`` write the same row (keyed by the breach), whichever comes first
and however often, so the view converges. The application reads "benefits revoked since <date>"
while an expert-attributable breach stands; an employer-attributable one is shown but revokes
nothing; a withdrawn one is shown as withdrawn.
"""

from __future__ import annotations

import uuid
from datetime import date

import sqlalchemy as sa

from services.intake.models import metadata
from shared.db import dialect_insert
from shared.events import CloudEvent
from shared.events.common import BreachAttribution
from shared.events.review import ContractBreached, ContractBreachWithdrawn
from shared.schemas import Output, UtcDateTime
from shared.uow import UnitOfWork

application_breaches = sa.Table(
    "application_breaches",
    metadata,
    sa.Column("breach_id", sa.Uuid, primary_key=True),
    sa.Column("application_id", sa.Uuid, nullable=False, index=True),
    sa.Column("expert_id", sa.Uuid, nullable=False),
    sa.Column("attributable_to", sa.String(20)),
    sa.Column("breach_date", sa.Date),
    sa.Column("confirmed_at", sa.DateTime(timezone=True)),
    sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
)
"""One row per breach of an application's contract; ``attributable_to`` empty while only the withdrawal is known."""


class BreachRead(Output):
    breach_id: uuid.UUID
    breach_date: date | None = None
    attributable_to: BreachAttribution | None = None
    withdrawn: bool
    withdrawn_at: UtcDateTime | None = None


class RevocationRead(Output):
    benefits_revoked: bool
    since: date | None = None
    """The earliest breach date of the expert-attributable breaches that stand."""
    breaches: list[BreachRead]


async def on_contract_breached(event: ContractBreached, envelope: CloudEvent, uow: UnitOfWork) -> None:
    """R-SUPERVISE: the breach goes on the application; a withdrawal seen first stays in force."""
    values = {"breach_id": event.breach_id, "application_id": event.application_id, "expert_id": event.expert_id,
              "attributable_to": event.attributable_to.value, "breach_date": event.breach_date,
              "confirmed_at": envelope.time}
    await uow.session.execute(dialect_insert(uow.session)(application_breaches).values(**values).on_conflict_do_update(
        index_elements=["breach_id"], set_={k: values[k] for k in ("attributable_to", "breach_date", "confirmed_at")},
    ))
    uow.audit("record_breach", object_type="application", object_id=event.application_id,
              detail={"breach_id": str(event.breach_id), "attributable_to": event.attributable_to.value})


async def on_contract_breach_withdrawn(event: ContractBreachWithdrawn, envelope: CloudEvent, uow: UnitOfWork) -> None:
    """The breach reversed on appeal, whether or not the breach itself has arrived yet."""
    values = {"breach_id": event.breach_id, "application_id": event.application_id, "expert_id": event.expert_id,
              "withdrawn_at": event.withdrawn_at}
    await uow.session.execute(dialect_insert(uow.session)(application_breaches).values(**values).on_conflict_do_update(
        index_elements=["breach_id"], set_={"withdrawn_at": event.withdrawn_at},
    ))
    uow.audit("withdraw_breach", object_type="application", object_id=event.application_id,
              detail={"breach_id": str(event.breach_id)})


def revocation(rows) -> RevocationRead | None:
    """What the application shows; None while no breach is known."""
    breaches = [
        BreachRead(breach_id=r.breach_id, breach_date=r.breach_date, attributable_to=r.attributable_to,
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


__all__ = ["RevocationRead", "application_breaches", "on_contract_breach_withdrawn", "on_contract_breached",
           "revocation_of"]
