"""The directory's employers and catalogue entries kept from its events (R-APPLY, R-CATALOGUE)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from services.intake.replicas.models import catalogue_replica, employer_replica
from shared.db import dialect_insert
from shared.events import CloudEvent
from shared.events.directory import CatalogueEntryPublished, CatalogueEntryWithdrawn, EmployerRegistered
from shared.uow import UnitOfWork


async def on_employer_registered(event: EmployerRegistered, envelope: CloudEvent, uow: UnitOfWork) -> None:
    """Keep the local replica of employers; applications route by its district (R-APPLY).

    One statement, its values bound (compiled once, then cached): the same employer announced again
    changes nothing (``ON CONFLICT DO NOTHING`` on the employer's id)."""
    await uow.session.execute(
        dialect_insert(uow.session)(employer_replica).on_conflict_do_nothing(index_elements=["employer_id"]),
        {
            "employer_id": event.employer_id,
            "name": event.name,
            "credit_code": event.credit_code,
            "district": event.district,
            "competent_department": event.competent_department,
            "municipal_state_owned": event.municipal_state_owned,
            "registered_at": event.registered_at,
            "replicated_at": datetime.now(UTC),
            "source_event_id": str(envelope.id),
        },
    )


async def _replica_row(uow: UnitOfWork, entry_id: uuid.UUID):
    return (await uow.session.execute(
        sa.select(catalogue_replica).where(catalogue_replica.c.entry_id == entry_id).with_for_update()
    )).first()


async def on_catalogue_entry_published(event: CatalogueEntryPublished, envelope: CloudEvent, uow: UnitOfWork) -> None:
    """Keep the catalogue replica (R-CATALOGUE); a withdrawal seen first stays in force."""
    values = {
        "edition_id": event.edition_id, "edition_title": event.edition_title, "focus_area": event.focus_area,
        "field": event.field, "zone": event.zone, "number_sought": event.number_sought,
        "valid_from": event.valid_from, "valid_until": event.valid_until, "published_at": event.published_at,
    }
    existing = await _replica_row(uow, event.entry_id)
    if existing is None:
        await uow.session.execute(sa.insert(catalogue_replica).values(entry_id=event.entry_id, **values))
    elif existing.published_at is None:
        await uow.session.execute(
            sa.update(catalogue_replica).where(catalogue_replica.c.entry_id == event.entry_id).values(**values)
        )


async def on_catalogue_entry_withdrawn(event: CatalogueEntryWithdrawn, envelope: CloudEvent, uow: UnitOfWork) -> None:
    existing = await _replica_row(uow, event.entry_id)
    values = {"withdrawn_at": event.withdrawn_at, "withdrawal_reason": event.reason}
    if existing is None:  # arrived before its publication
        await uow.session.execute(
            sa.insert(catalogue_replica).values(entry_id=event.entry_id, edition_id=event.edition_id, **values)
        )
    elif existing.withdrawn_at is None:
        await uow.session.execute(
            sa.update(catalogue_replica).where(catalogue_replica.c.entry_id == event.entry_id).values(**values)
        )
