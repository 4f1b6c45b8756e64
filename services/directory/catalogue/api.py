"""REST routes of the R-FIELD taxonomy and the introduction catalogue under /directory/v1: public reference
data, written by bureau officers (R-FIELD, R-CATALOGUE)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from services.directory.catalogue import handlers, queries
from services.directory.catalogue.schemas import (
    CatalogueEditionCreate, CatalogueEditionRead, CatalogueEntryCreate, CatalogueEntryRead, CatalogueEntryWithdrawal,
    TaxonomyRead,
)
from shared.api import LOCATION, Officer, RuntimeDep, documented
from shared.schemas import Page

router = APIRouter(prefix="/directory/v1", tags=["catalogue"])


@router.get("/taxonomy", summary="The R-FIELD taxonomy: five focus areas, their fields, and the zones (public)")
async def get_taxonomy(runtime: RuntimeDep) -> TaxonomyRead:
    async with runtime.db.session() as session:
        return await queries.taxonomy(session)


@router.post("/catalogue-editions", status_code=201,
             summary="Draft an edition of the introduction catalogue (引进目录) with its validity period",
             responses=documented(201, LOCATION))
async def create_catalogue_edition(
    body: CatalogueEditionCreate, runtime: RuntimeDep, officer: Officer, response: Response
) -> CatalogueEditionRead:
    edition = await handlers.create_catalogue_edition(runtime, data=body, actor=officer.subject)
    response.headers["Location"] = f"/directory/v1/catalogue-editions/{edition.id}"
    return edition


@router.get("/catalogue-editions/{edition_id}", summary="One catalogue edition (officers; drafts too)")
async def get_catalogue_edition(edition_id: uuid.UUID, runtime: RuntimeDep, _: Officer) -> CatalogueEditionRead:
    async with runtime.db.session() as session:
        return await queries.get_edition(session, edition_id)


@router.post("/catalogue-editions/{edition_id}/entries", status_code=201,
             summary="Add an entry to a draft edition (R-CATALOGUE, codes of R-FIELD)",
             responses=documented(201, LOCATION))
async def add_catalogue_entry(
    edition_id: uuid.UUID, body: CatalogueEntryCreate, runtime: RuntimeDep, officer: Officer, response: Response
) -> CatalogueEntryRead:
    entry = await handlers.add_catalogue_entry(runtime, edition_id=edition_id, data=body, actor=officer.subject)
    response.headers["Location"] = f"/directory/v1/catalogue-entries/{entry.id}"
    return entry


@router.post("/catalogue-editions/{edition_id}/publish",
             summary="Publish a draft edition; each entry is announced (CatalogueEntryPublished)",
             responses={409: {"description": "The edition is not a draft, or has no entries"}})
async def publish_catalogue_edition(edition_id: uuid.UUID, runtime: RuntimeDep, officer: Officer) -> CatalogueEditionRead:
    return await handlers.publish_catalogue_edition(runtime, edition_id=edition_id, actor=officer.subject)


@router.post("/catalogue-entries/{entry_id}/withdraw",
             summary="Withdraw a published entry (CatalogueEntryWithdrawn)",
             responses={409: {"description": "The entry is not published (a draft, or already withdrawn)"}})
async def withdraw_catalogue_entry(
    entry_id: uuid.UUID, body: CatalogueEntryWithdrawal, runtime: RuntimeDep, officer: Officer
) -> CatalogueEntryRead:
    return await handlers.withdraw_catalogue_entry(runtime, entry_id=entry_id, reason=body.reason,
                                                   actor=officer.subject)


@router.get("/catalogue-entries",
            summary="Published (and withdrawn) catalogue entries, oldest first (public)",
            description="`valid_on`: only entries published, not withdrawn, and within their edition's "
                        "validity period on that date (R-CATALOGUE).")
async def list_catalogue_entries(
    runtime: RuntimeDep,
    valid_on: date | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[CatalogueEntryRead]:
    async with runtime.db.session() as session:
        items, next_cursor = await queries.list_entries(session, valid_on=valid_on, cursor=cursor, limit=limit)
    return Page[CatalogueEntryRead](items=items, next_cursor=next_cursor)


@router.get("/catalogue-entries/{entry_id}", summary="One published or withdrawn catalogue entry (public)")
async def get_catalogue_entry(entry_id: uuid.UUID, runtime: RuntimeDep) -> CatalogueEntryRead:
    async with runtime.db.session() as session:
        return await queries.get_entry(session, entry_id)
