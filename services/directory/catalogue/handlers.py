"""Commands of the introduction catalogue (R-CATALOGUE); the only place here that opens a unit of work."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from services.directory.catalogue.domain import EditionStatus, EntryStatus
from services.directory.catalogue.models import catalogue_editions, catalogue_entries
from services.directory.catalogue.schemas import (
    CatalogueEditionCreate, CatalogueEditionRead, CatalogueEntryCreate, CatalogueEntryRead,
)
from services.directory.catalogue.taxonomy import field_problem
from shared.errors import Conflict, Unprocessable
from shared.events.directory import CatalogueEntryPublished, CatalogueEntryWithdrawn
from shared.queries import one_or_404
from shared.runtime import ServiceRuntime


def _unprocessable(field: str, message: str) -> Unprocessable:
    """A 422 naming the field, in the shape request validation uses (``errors[].field``)."""
    return Unprocessable(message, field=field, errors=[{"field": field, "message": message, "type": "rule"}])


async def create_catalogue_edition(
    runtime: ServiceRuntime, *, data: CatalogueEditionCreate, actor: str
) -> CatalogueEditionRead:
    """Draft an edition of the introduction catalogue with its validity period (R-CATALOGUE)."""
    row = {
        "id": uuid.uuid4(),
        **data.model_dump(),
        "status": EditionStatus.draft.value,
        "created_at": datetime.now(UTC),
        "created_by": actor,
    }
    async with runtime.uow() as uow:
        await uow.session.execute(sa.insert(catalogue_editions).values(**row))
        uow.audit("create_catalogue_edition", object_type="catalogue_edition", object_id=row["id"])
        await uow.commit()
    return CatalogueEditionRead.model_validate(row)


async def _edition(session, edition_id: uuid.UUID, *, lock: bool = False):
    query = sa.select(catalogue_editions).where(catalogue_editions.c.id == edition_id)
    if lock:
        query = query.with_for_update()
    return await one_or_404(session, query, f"no catalogue edition {edition_id}")


async def add_catalogue_entry(
    runtime: ServiceRuntime, *, edition_id: uuid.UUID, data: CatalogueEntryCreate, actor: str
) -> CatalogueEntryRead:
    """Add an entry (focus area, field, zone, demand, number sought) to a draft edition (R-CATALOGUE, R-FIELD)."""
    problem = field_problem(data.focus_area, data.field, data.zone)
    if problem:
        raise _unprocessable(*problem)
    async with runtime.uow() as uow:
        edition = await _edition(uow.session, edition_id, lock=True)
        if edition.status != EditionStatus.draft:
            raise Conflict(
                f"entries are added to a draft edition; this edition is {edition.status}",
                current_state=edition.status,
            )
        row = {
            "id": uuid.uuid4(),
            "edition_id": edition_id,
            **data.model_dump(),
            "status": EntryStatus.draft.value,
            "created_at": datetime.now(UTC),
            "created_by": actor,
        }
        await uow.session.execute(sa.insert(catalogue_entries).values(**row))
        uow.audit("add_catalogue_entry", object_type="catalogue_entry", object_id=row["id"],
                  detail={"edition_id": str(edition_id)})
        await uow.commit()
    return _entry_read(row, edition)


async def publish_catalogue_edition(
    runtime: ServiceRuntime, *, edition_id: uuid.UUID, actor: str
) -> CatalogueEditionRead:
    """Publish a draft edition: every entry becomes citable and is announced (CatalogueEntryPublished)."""
    async with runtime.uow() as uow:
        edition = await _edition(uow.session, edition_id, lock=True)
        if edition.status != EditionStatus.draft:
            raise Conflict(f"only a draft edition is published; this edition is {edition.status}",
                           current_state=edition.status)
        entries = (await uow.session.execute(
            sa.select(catalogue_entries).where(catalogue_entries.c.edition_id == edition_id)
            .order_by(catalogue_entries.c.created_at, catalogue_entries.c.id)
        )).all()
        if not entries:
            raise Conflict("an edition without entries cannot be published", current_state=edition.status)
        now = datetime.now(UTC)
        await uow.session.execute(
            sa.update(catalogue_editions).where(catalogue_editions.c.id == edition_id)
            .values(status=EditionStatus.published.value, published_at=now, published_by=actor)
        )
        await uow.session.execute(
            sa.update(catalogue_entries).where(catalogue_entries.c.edition_id == edition_id)
            .values(status=EntryStatus.published.value, published_at=now)
        )
        for entry in entries:
            uow.publish(CatalogueEntryPublished(
                entry_id=entry.id, edition_id=edition_id, edition_title=edition.title,
                focus_area=entry.focus_area, field=entry.field, zone=entry.zone, demand=entry.demand,
                number_sought=entry.number_sought, valid_from=edition.valid_from, valid_until=edition.valid_until,
                published_at=now,
            ))
        uow.audit("publish_catalogue_edition", object_type="catalogue_edition", object_id=edition_id,
                  detail={"entries": len(entries)})
        await uow.commit()
    return CatalogueEditionRead.model_validate(
        {**edition._mapping, "status": EditionStatus.published, "published_at": now, "entries": len(entries)}
    )


async def withdraw_catalogue_entry(
    runtime: ServiceRuntime, *, entry_id: uuid.UUID, reason: str, actor: str
) -> CatalogueEntryRead:
    """Withdraw a published entry: no application cites it from now on (CatalogueEntryWithdrawn)."""
    async with runtime.uow() as uow:
        entry = await one_or_404(
            uow.session, sa.select(catalogue_entries).where(catalogue_entries.c.id == entry_id).with_for_update(),
            f"no catalogue entry {entry_id}")
        if entry.status != EntryStatus.published:
            raise Conflict(f"only a published entry is withdrawn; this entry is {entry.status}",
                           current_state=entry.status)
        now = datetime.now(UTC)
        await uow.session.execute(
            sa.update(catalogue_entries).where(catalogue_entries.c.id == entry_id)
            .values(status=EntryStatus.withdrawn.value, withdrawn_at=now, withdrawn_by=actor,
                    withdrawal_reason=reason)
        )
        uow.publish(CatalogueEntryWithdrawn(entry_id=entry_id, edition_id=entry.edition_id, withdrawn_at=now,
                                            reason=reason))
        uow.audit("withdraw_catalogue_entry", object_type="catalogue_entry", object_id=entry_id,
                  detail={"reason": reason})
        edition = await _edition(uow.session, entry.edition_id)
        await uow.commit()
    return _entry_read({**entry._mapping, "status": EntryStatus.withdrawn.value, "withdrawn_at": now,
                        "withdrawal_reason": reason}, edition)


def _entry_read(entry: dict, edition) -> CatalogueEntryRead:
    return CatalogueEntryRead.model_validate({
        **entry, "edition_title": edition.title, "valid_from": edition.valid_from, "valid_until": edition.valid_until,
    })
