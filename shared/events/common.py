"""Parts that several event contracts carry: tracks, expert and employer summaries, contract terms."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from shared.money import PositiveMoney


class Track(StrEnum):
    """The support track of Articles 11-13 (R-SUB-*)."""

    haiju_long_term = "haiju_long_term"
    key_industry_recurring = "key_industry_recurring"
    short_term = "short_term"


class Stage(StrEnum):
    """Where in intake an application was returned or rejected (R-APPLY, R-FORMAL)."""

    preliminary_review = "preliminary_review"
    formal_review = "formal_review"


class BreachAttribution(StrEnum):
    expert = "expert"
    employer = "employer"


class Grade(StrEnum):
    """The grades of the performance evaluation (绩效考评, R-SUB-RECURRING)."""

    excellent = "excellent"
    good = "good"
    qualified = "qualified"
    unqualified = "unqualified"


class Part(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ExpertSummary(Part):
    """What subscribers may know of the expert: never the passport number."""

    expert_id: uuid.UUID
    name: str
    nationality: str
    """ISO 3166-1 alpha-2."""
    date_of_birth: date


class EmployerSummary(Part):
    employer_id: uuid.UUID
    name: str
    district: str
    municipal_state_owned: bool


class ContractTerms(Part):
    start: date
    end: date
    annual_salary: PositiveMoney
