"""Request and response models of notices, awards, consultations and settlement."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from services.directory.engagement.domain import (
    Award, ConsultationStatus, CourseKind, GuideTopic, NominationStatus, QuestionKind,
)
from services.directory.experts.schemas import LanguageCode
from shared.schemas import Input, Output, UtcDateTime


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
