"""Request and response models of the taxonomy (R-FIELD) and the introduction catalogue (R-CATALOGUE)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator

from services.directory.catalogue.domain import EditionStatus, EntryStatus
from shared.schemas import Input, Output, UtcDateTime


class TaxonomyField(Output):
    code: str
    name: str
    name_zh: str


class TaxonomyFocusArea(Output):
    code: str
    number: int
    name: str
    name_zh: str
    fields: list[TaxonomyField]


class TaxonomyZone(Output):
    code: str
    group: str = Field(description="two_cities_two_belts or six_high_four_new")
    name: str
    name_zh: str


class TaxonomyRead(Output):
    """R-FIELD (Art. 5): the five focus areas with their fields, and the zones."""

    focus_areas: list[TaxonomyFocusArea]
    zones: list[TaxonomyZone]


class CatalogueEditionCreate(Input):
    title: Annotated[str, Field(min_length=1, max_length=300)]
    valid_from: date
    valid_until: date

    @field_validator("valid_until")
    @classmethod
    def _period(cls, value: date, info: ValidationInfo) -> date:
        start = info.data.get("valid_from")
        if start is not None and value < start:
            raise ValueError("valid_until is before valid_from (R-CATALOGUE)")
        return value


class CatalogueEditionRead(Output):
    id: uuid.UUID
    title: str
    valid_from: date
    valid_until: date
    status: EditionStatus
    created_at: UtcDateTime
    published_at: UtcDateTime | None = None
    entries: int = 0


class CatalogueEntryCreate(Input):
    focus_area: Annotated[str, Field(min_length=1, max_length=50, description="R-FIELD focus area code")]
    field: Annotated[str, Field(min_length=1, max_length=50, description="R-FIELD field code of that focus area")]
    zone: Annotated[str | None, Field(max_length=50, description="R-FIELD zone code")] = None
    demand: Annotated[str, Field(min_length=1, max_length=5000)]
    number_sought: Annotated[int, Field(ge=1, le=10000)]


class CatalogueEntryRead(Output):
    id: uuid.UUID
    edition_id: uuid.UUID
    edition_title: str
    focus_area: str
    field: str
    zone: str | None
    demand: str
    number_sought: int
    valid_from: date
    valid_until: date
    status: EntryStatus
    created_at: UtcDateTime
    published_at: UtcDateTime | None = None
    withdrawn_at: UtcDateTime | None = None
    withdrawal_reason: str | None = None


class CatalogueEntryWithdrawal(Input):
    reason: Annotated[str, Field(min_length=1, max_length=2000)]
