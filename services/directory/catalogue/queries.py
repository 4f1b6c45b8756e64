"""Reads of the taxonomy and the introduction catalogue for the API (public, but for drafted editions)."""

from __future__ import annotations

import uuid
from datetime import date

import sqlalchemy as sa

from services.directory.catalogue.domain import EntryStatus
from services.directory.catalogue.models import (
    catalogue_editions, catalogue_entries, taxonomy_fields, taxonomy_focus_areas, taxonomy_zones,
)
from services.directory.catalogue.schemas import (
    CatalogueEditionRead, CatalogueEntryRead, TaxonomyField, TaxonomyFocusArea, TaxonomyRead, TaxonomyZone,
)
from shared.queries import Keyset, fetch_page, one_or_404

BY_CREATION = Keyset.oldest_first(catalogue_entries.c.created_at, catalogue_entries.c.id)


async def taxonomy(session) -> TaxonomyRead:
    """R-FIELD: the five focus areas with their fields, and the zones."""
    areas = (await session.execute(sa.select(taxonomy_focus_areas).order_by(taxonomy_focus_areas.c.number))).all()
    fields = (await session.execute(sa.select(taxonomy_fields))).all()
    zones = (await session.execute(sa.select(taxonomy_zones))).all()
    return TaxonomyRead(
        focus_areas=[
            TaxonomyFocusArea(code=a.code, number=a.number, name=a.name, name_zh=a.name_zh, fields=[
                TaxonomyField(code=f.code, name=f.name, name_zh=f.name_zh) for f in fields if f.focus_area == a.code
            ])
            for a in areas
        ],
        zones=[TaxonomyZone(code=z.code, group=z.zone_group, name=z.name, name_zh=z.name_zh) for z in zones],
    )


async def get_edition(session, edition_id: uuid.UUID) -> CatalogueEditionRead:
    """One edition, drafts too, with its number of entries."""
    count = (sa.select(sa.func.count()).select_from(catalogue_entries)
             .where(catalogue_entries.c.edition_id == catalogue_editions.c.id).scalar_subquery())
    row = await one_or_404(
        session, sa.select(catalogue_editions, count.label("entries")).where(catalogue_editions.c.id == edition_id),
        f"no catalogue edition {edition_id}")
    return CatalogueEditionRead.model_validate(row._mapping)


def _entries_query() -> sa.Select:
    """Entries with their edition's title and validity period; published or withdrawn (never a draft)."""
    return (
        sa.select(catalogue_entries, catalogue_editions.c.title.label("edition_title"),
                  catalogue_editions.c.valid_from, catalogue_editions.c.valid_until)
        .join(catalogue_editions, catalogue_editions.c.id == catalogue_entries.c.edition_id)
        .where(catalogue_entries.c.status != EntryStatus.draft.value)
    )


async def list_entries(session, *, valid_on: date | None, cursor: str | None, limit: int
                       ) -> tuple[list[CatalogueEntryRead], str | None]:
    """Published and withdrawn entries, oldest first; ``valid_on``: only those citable on that date."""
    query = _entries_query()
    if valid_on is not None:
        query = query.where(
            catalogue_entries.c.status == EntryStatus.published.value,
            catalogue_editions.c.valid_from <= valid_on,
            catalogue_editions.c.valid_until >= valid_on,
        )
    rows, next_cursor = await fetch_page(session, query, BY_CREATION, cursor=cursor, limit=limit)
    return [CatalogueEntryRead.model_validate(r._mapping) for r in rows], next_cursor


async def get_entry(session, entry_id: uuid.UUID) -> CatalogueEntryRead:
    row = await one_or_404(session, _entries_query().where(catalogue_entries.c.id == entry_id),
                           f"no published catalogue entry {entry_id}")
    return CatalogueEntryRead.model_validate(row._mapping)
