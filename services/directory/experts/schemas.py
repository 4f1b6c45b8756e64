"""Request and response models of the expert database and the job-seeking profiles (R-PLATFORM (1), (2))."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from pydantic import Field, field_validator

from services.directory.catalogue.taxonomy import known_field
from services.directory.experts.domain import ExpertStatus, normalise_tags
from shared.money import Money
from shared.schemas import Input, Output, UtcDateTime

CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")]
Tag = Annotated[str, Field(min_length=1, max_length=60)]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}$", description="ISO 639 code, e.g. en, zh, de")]


class ExpertCreate(Input):
    """An officer's registration of an expert; passport number and salary are restricted fields."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    nationality: CountryCode
    date_of_birth: date | None = None
    field: str = Field(description="R-FIELD field code; the focus area follows from it")
    headline: Annotated[str | None, Field(max_length=300)] = None
    bio: Annotated[str | None, Field(max_length=5000)] = None
    skills: Annotated[list[Tag], Field(max_length=30)] = []
    languages: Annotated[list[LanguageCode], Field(max_length=10)] = []
    employer_id: uuid.UUID | None = None
    employer_name: Annotated[str | None, Field(max_length=200)] = None
    passport_number: Annotated[str | None, Field(min_length=5, max_length=30, pattern=r"^[A-Za-z0-9]+$")] = None
    annual_salary: Money | None = None
    seeking: bool = False
    available_from: date | None = None

    @field_validator("field")
    @classmethod
    def _known_field(cls, value: str) -> str:
        return known_field(value)

    @field_validator("skills", "languages")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        return normalise_tags(value)


class JobSeekingUpdate(Input):
    """The expert's own job-seeking profile on the information platform (R-PLATFORM (2))."""

    seeking: bool
    headline: Annotated[str | None, Field(max_length=300)] = None
    skills: Annotated[list[Tag], Field(max_length=30)] = []
    languages: Annotated[list[LanguageCode], Field(max_length=10)] = []
    available_from: date | None = None

    @field_validator("skills", "languages")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        return normalise_tags(value)


class ExpertPublic(Output):
    """What anyone may see of an expert: never a passport number or a salary."""

    id: uuid.UUID
    name: str
    nationality: str
    focus_area: str
    field: str
    status: ExpertStatus
    headline: str | None
    skills: list[str]
    languages: list[str]
    seeking: bool
    available_from: date | None


class ExpertRead(ExpertPublic):
    """The directory's record; restricted fields are present only for those who need them, masked otherwise."""

    date_of_birth: date | None
    bio: str | None
    employer_id: uuid.UUID | None
    employer_name: str | None
    application_id: uuid.UUID | None
    source: str
    benefits_revoked_since: date | None = Field(
        None, description="R-SUPERVISE: benefits revoked since this breach date (an expert-attributable breach)"
    )
    passport_number: str | None = Field(None, description="restricted: officers and the expert; masked otherwise")
    annual_salary: Money | None = Field(None, description="restricted: officers and the expert; null otherwise")
    restricted_masked: bool = Field(description="true when passport number and salary were withheld from this caller")
    listed_at: UtcDateTime
    updated_at: UtcDateTime
