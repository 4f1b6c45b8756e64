"""Request and response models of the expert database, job board, awards, consultations and settlement."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from services.directory.engagement import (
    Award, ConsultationStatus, CourseKind, GuideTopic, NominationStatus, QuestionKind,
)
from services.directory.experts import normalise_tags
from services.directory.catalogue.taxonomy import FieldCode, FocusAreaCode, known_field  # noqa: F401
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
    status: str
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


class CountryCount(Output):
    country: str
    name: str
    region: str
    subregion: str
    count: int


class RegionCount(Output):
    region: str
    count: int


class SubregionCount(Output):
    region: str
    subregion: str
    count: int


class FieldCount(Output):
    field: str
    name: str
    focus_area: str | None
    count: int


class MapSummary(Output):
    """The distribution of experts over the world's regions (R-PLATFORM (1)); country = nationality."""

    total: int
    by_country: list[CountryCount]
    by_region: list[RegionCount]
    by_subregion: list[SubregionCount]
    by_field: list[FieldCount]


# ----------------------------------------------------- notices, awards, consultations, settlement


class NoticeCreate(Input):
    category: Literal["policy", "announcement"] = "policy"
    title: Annotated[str, Field(min_length=1, max_length=200)]
    body: Annotated[str, Field(min_length=1, max_length=20000)]


class NoticeRead(Output):
    id: uuid.UUID
    category: str
    title: str
    body: str
    published_at: UtcDateTime


class NominationCreate(Input):
    expert_id: uuid.UUID
    award: Award
    contribution: Annotated[str, Field(min_length=1, max_length=5000, description="the contribution the award is for")]
    especially_outstanding: bool = Field(
        False, validate_default=True, description="R-AWARD: the national Friendship Award is only for especially outstanding experts")

    @field_validator("especially_outstanding")
    @classmethod
    def _national(cls, value: bool, info: ValidationInfo) -> bool:
        if info.data.get("award") == Award.national_friendship_award and not value:
            raise ValueError("the national Friendship Award is only for especially outstanding experts (R-AWARD)")
        return value


class NominationDecision(Input):
    status: NominationStatus
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class NominationRead(Output):
    id: uuid.UUID
    expert_id: uuid.UUID
    award: Award
    contribution: str
    especially_outstanding: bool
    employer_id: uuid.UUID | None
    status: NominationStatus
    decision_reason: str | None
    created_at: UtcDateTime
    updated_at: UtcDateTime


class Question(Input):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,30}$")]
    text: Annotated[str, Field(min_length=1, max_length=1000)]
    kind: QuestionKind
    options: Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]], Field(max_length=20)] = []

    @field_validator("options")
    @classmethod
    def _options(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if info.data.get("kind") == QuestionKind.choice and len(set(value)) < 2:
            raise ValueError("a choice question needs at least two distinct options")
        if info.data.get("kind") == QuestionKind.text and value:
            raise ValueError("a text question has no options")
        return value


class ConsultationCreate(Input):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    plan: Annotated[str, Field(min_length=1, max_length=200, description="the major municipal plan consulted on")]
    description: Annotated[str, Field(min_length=1, max_length=10000)]
    questions: Annotated[list[Question], Field(min_length=1, max_length=50)]

    @field_validator("questions")
    @classmethod
    def _unique_ids(cls, value: list[Question]) -> list[Question]:
        ids = [q.id for q in value]
        if len(ids) != len(set(ids)):
            raise ValueError("question ids must be unique")
        return value


class ConsultationRead(Output):
    id: uuid.UUID
    title: str
    plan: str
    description: str
    questions: list[dict]
    status: ConsultationStatus
    created_at: UtcDateTime
    opened_at: UtcDateTime | None
    closed_at: UtcDateTime | None


class ConsultationResponseCreate(Input):
    answers: dict[str, Annotated[str, Field(max_length=5000)]]


class ConsultationResults(Output):
    consultation_id: uuid.UUID
    status: ConsultationStatus
    responses: int
    questions: list[dict]


class GuideSectionCreate(Input):
    topic: GuideTopic
    title: Annotated[str, Field(min_length=1, max_length=200)]
    body: Annotated[str, Field(min_length=1, max_length=20000)]
    language: LanguageCode = "en"
    position: Annotated[int, Field(ge=0, le=10000)] = 0


class GuideSectionRead(Output):
    id: uuid.UUID
    topic: GuideTopic
    title: str
    body: str
    language: str
    position: int
    updated_at: UtcDateTime


class CourseCreate(Input):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    kind: CourseKind
    description: Annotated[str, Field(min_length=1, max_length=5000)]
    starts_on: date
    ends_on: date
    location: Annotated[str, Field(min_length=1, max_length=200)]
    capacity: Annotated[int, Field(ge=1, le=10000)]

    @field_validator("ends_on")
    @classmethod
    def _ends(cls, value: date, info: ValidationInfo) -> date:
        start = info.data.get("starts_on")
        if start is not None and value < start:
            raise ValueError("a course cannot end before it starts")
        return value


class CourseRead(Output):
    id: uuid.UUID
    title: str
    kind: CourseKind
    description: str
    starts_on: date
    ends_on: date
    location: str
    capacity: int
    enrolled: int


class EnrolmentCreate(Input):
    expert_id: uuid.UUID | None = Field(None, description="officers enrol an expert; an expert enrols him- or herself")


class EnrolmentRead(Output):
    id: uuid.UUID
    course_id: uuid.UUID
    expert_id: uuid.UUID
    enrolled_at: UtcDateTime
