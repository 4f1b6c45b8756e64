"""REST routes of the directory service under /directory/v1."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Query, Response

from services.directory import handlers
from services.directory.domain import EntryStatus
from services.directory.models import (
    catalogue_editions, catalogue_entries, employers, taxonomy_fields, taxonomy_focus_areas, taxonomy_zones,
)
from services.directory.schemas import (
    CatalogueEditionCreate, CatalogueEditionRead, CatalogueEntryCreate, CatalogueEntryRead, CatalogueEntryWithdrawal,
    EmployerCreate, EmployerRead, TaxonomyField, TaxonomyFocusArea, TaxonomyRead, TaxonomyZone,
)
from shared.api import CurrentPrincipal, Officer, RuntimeDep
from shared.errors import NotFound
from shared.schemas import Page, after_position, position_cursor

router = APIRouter(prefix="/directory/v1", tags=["employers"])
catalogue_router = APIRouter(prefix="/directory/v1", tags=["catalogue"])


@router.post("/employers", status_code=201, summary="Register an employer (用人单位)")
async def register_employer(
    body: EmployerCreate, runtime: RuntimeDep, officer: Officer, response: Response
) -> EmployerRead:
    employer = await handlers.register_employer(runtime, data=body, actor=officer.subject)
    response.headers["Location"] = f"/directory/v1/employers/{employer.id}"
    return employer


@router.get("/employers", summary="The employer registry, by registration order")
async def list_employers(
    runtime: RuntimeDep,
    _: CurrentPrincipal,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[EmployerRead]:
    query = sa.select(employers).order_by(employers.c.registered_at, employers.c.id).limit(limit + 1)
    after = after_position(cursor, employers.c.registered_at, employers.c.id)
    if after is not None:
        query = query.where(after)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    items = [EmployerRead.model_validate(r._mapping) for r in rows[:limit]]
    next_cursor = position_cursor(items[-1].registered_at, items[-1].id) if len(rows) > limit else None
    return Page[EmployerRead](items=items, next_cursor=next_cursor)


@router.get("/employers/{employer_id}", summary="One employer")
async def get_employer(employer_id: uuid.UUID, runtime: RuntimeDep, _: CurrentPrincipal) -> EmployerRead:
    async with runtime.db.session() as session:
        row = (await session.execute(sa.select(employers).where(employers.c.id == employer_id))).first()
    if row is None:
        raise NotFound(f"no employer {employer_id}")
    return EmployerRead.model_validate(row._mapping)


# -- R-FIELD and R-CATALOGUE: public reference data, written by bureau officers ----------------------

@catalogue_router.get("/taxonomy", summary="The R-FIELD taxonomy: five focus areas, their fields, and the zones (public)")
async def get_taxonomy(runtime: RuntimeDep) -> TaxonomyRead:
    async with runtime.db.session() as session:
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


@catalogue_router.post("/catalogue-editions", status_code=201,
                       summary="Draft an edition of the introduction catalogue (引进目录) with its validity period")
async def create_catalogue_edition(
    body: CatalogueEditionCreate, runtime: RuntimeDep, officer: Officer, response: Response
) -> CatalogueEditionRead:
    edition = await handlers.create_catalogue_edition(runtime, data=body, actor=officer.subject)
    response.headers["Location"] = f"/directory/v1/catalogue-editions/{edition.id}"
    return edition


@catalogue_router.get("/catalogue-editions/{edition_id}", summary="One catalogue edition (officers; drafts too)")
async def get_catalogue_edition(edition_id: uuid.UUID, runtime: RuntimeDep, _: Officer) -> CatalogueEditionRead:
    count = (sa.select(sa.func.count()).select_from(catalogue_entries)
             .where(catalogue_entries.c.edition_id == catalogue_editions.c.id).scalar_subquery())
    async with runtime.db.session() as session:
        row = (await session.execute(
            sa.select(catalogue_editions, count.label("entries")).where(catalogue_editions.c.id == edition_id)
        )).first()
    if row is None:
        raise NotFound(f"no catalogue edition {edition_id}")
    return CatalogueEditionRead.model_validate(row._mapping)


@catalogue_router.post("/catalogue-editions/{edition_id}/entries", status_code=201,
                       summary="Add an entry to a draft edition (R-CATALOGUE, codes of R-FIELD)")
async def add_catalogue_entry(
    edition_id: uuid.UUID, body: CatalogueEntryCreate, runtime: RuntimeDep, officer: Officer, response: Response
) -> CatalogueEntryRead:
    entry = await handlers.add_catalogue_entry(runtime, edition_id=edition_id, data=body, actor=officer.subject)
    response.headers["Location"] = f"/directory/v1/catalogue-entries/{entry.id}"
    return entry


@catalogue_router.post("/catalogue-editions/{edition_id}/publish",
                       summary="Publish a draft edition; each entry is announced (CatalogueEntryPublished)",
                       responses={409: {"description": "The edition is not a draft, or has no entries"}})
async def publish_catalogue_edition(edition_id: uuid.UUID, runtime: RuntimeDep, officer: Officer) -> CatalogueEditionRead:
    return await handlers.publish_catalogue_edition(runtime, edition_id=edition_id, actor=officer.subject)


@catalogue_router.post("/catalogue-entries/{entry_id}/withdraw",
                       summary="Withdraw a published entry (CatalogueEntryWithdrawn)",
                       responses={409: {"description": "The entry is not published (a draft, or already withdrawn)"}})
async def withdraw_catalogue_entry(
    entry_id: uuid.UUID, body: CatalogueEntryWithdrawal, runtime: RuntimeDep, officer: Officer
) -> CatalogueEntryRead:
    return await handlers.withdraw_catalogue_entry(runtime, entry_id=entry_id, reason=body.reason,
                                                   actor=officer.subject)


def _entries_query():
    return (
        sa.select(catalogue_entries, catalogue_editions.c.title.label("edition_title"),
                  catalogue_editions.c.valid_from, catalogue_editions.c.valid_until)
        .join(catalogue_editions, catalogue_editions.c.id == catalogue_entries.c.edition_id)
        .where(catalogue_entries.c.status != EntryStatus.draft.value)
    )


@catalogue_router.get("/catalogue-entries",
                      summary="Published (and withdrawn) catalogue entries, oldest first (public)",
                      description="`valid_on`: only entries published, not withdrawn, and within their edition's "
                                  "validity period on that date (R-CATALOGUE).")
async def list_catalogue_entries(
    runtime: RuntimeDep,
    valid_on: date | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[CatalogueEntryRead]:
    query = _entries_query().order_by(catalogue_entries.c.created_at, catalogue_entries.c.id).limit(limit + 1)
    if valid_on is not None:
        query = query.where(
            catalogue_entries.c.status == EntryStatus.published.value,
            catalogue_editions.c.valid_from <= valid_on,
            catalogue_editions.c.valid_until >= valid_on,
        )
    after = after_position(cursor, catalogue_entries.c.created_at, catalogue_entries.c.id)
    if after is not None:
        query = query.where(after)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    items = [CatalogueEntryRead.model_validate(r._mapping) for r in rows[:limit]]
    next_cursor = position_cursor(items[-1].created_at, items[-1].id) if len(rows) > limit else None
    return Page[CatalogueEntryRead](items=items, next_cursor=next_cursor)


@catalogue_router.get("/catalogue-entries/{entry_id}", summary="One published or withdrawn catalogue entry (public)")
async def get_catalogue_entry(entry_id: uuid.UUID, runtime: RuntimeDep) -> CatalogueEntryRead:
    async with runtime.db.session() as session:
        row = (await session.execute(_entries_query().where(catalogue_entries.c.id == entry_id))).first()
    if row is None:
        raise NotFound(f"no published catalogue entry {entry_id}")
    return CatalogueEntryRead.model_validate(row._mapping)
