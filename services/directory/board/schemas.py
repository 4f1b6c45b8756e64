"""Request and response models of the job board: postings and matchmaking events (R-PLATFORM (2)-(4))."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator

from services.directory.catalogue.taxonomy import known_field
from services.directory.board.domain import PostingStatus
from services.directory.experts.domain import normalise_tags
from services.directory.experts.schemas import LanguageCode, Tag
from shared.money import Money
from shared.schemas import Input, Output, UtcDateTime


class PostingCreate(Input):
    """An employer's demand posting (R-PLATFORM (2)); an officer posting for an employer names it."""

    title: Annotated[str, Field(min_length=1, max_length=200)]
    field: str = Field(description="R-FIELD field code; the focus area follows from it")
    skills: Annotated[list[Tag], Field(max_length=20)] = []
    languages: Annotated[list[LanguageCode], Field(max_length=10)] = []
    requirements: Annotated[str, Field(min_length=1, max_length=5000)]
    term_start: date
    term_end: date
    salary_min: Money
    salary_max: Money
    employer_id: uuid.UUID | None = Field(None, description="officers only; an employer posts for itself")

    @field_validator("field")
    @classmethod
    def _known_field(cls, value: str) -> str:
        return known_field(value)

    @field_validator("skills", "languages")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        return normalise_tags(value)

    @field_validator("term_end")
    @classmethod
    def _term(cls, value: date, info: ValidationInfo) -> date:
        start = info.data.get("term_start")
        if start is not None and value <= start:
            raise ValueError("the term must end after it starts")
        return value

    @field_validator("salary_max")
    @classmethod
    def _salary_range(cls, value: Decimal, info: ValidationInfo) -> Decimal:
        low = info.data.get("salary_min")
        if low is not None and value < low:
            raise ValueError("salary_max must not be below salary_min")
        return value


class PostingRead(Output):
    id: uuid.UUID
    employer_id: uuid.UUID
    title: str
    focus_area: str
    field: str
    skills: list[str]
    languages: list[str]
    requirements: str
    term_start: date
    term_end: date
    salary_min: Money
    salary_max: Money
    status: PostingStatus
    posted_at: UtcDateTime
    closed_at: UtcDateTime | None = None


class MatchmakingEventCreate(Input):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    description: Annotated[str, Field(min_length=1, max_length=5000)]
    field: str | None = None
    starts_at: UtcDateTime
    location: Annotated[str, Field(min_length=1, max_length=200)]
    capacity: Annotated[int, Field(ge=1, le=100000)]

    @field_validator("field")
    @classmethod
    def _known_field(cls, value: str | None) -> str | None:
        return None if value is None else known_field(value)


class MatchmakingEventRead(Output):
    id: uuid.UUID
    title: str
    description: str
    field: str | None
    starts_at: UtcDateTime
    location: str
    capacity: int
    registered: int


class RegistrationRead(Output):
    id: uuid.UUID
    event_id: uuid.UUID
    registrant_kind: str
    registrant_id: str
    registered_at: UtcDateTime
