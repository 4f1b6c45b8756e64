"""Events published by the review service: the committee's decision and supervision."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from shared.events.base import Event


class Track(StrEnum):
    """The support track of Articles 11-13 (R-SUB-*)."""

    haiju_long_term = "haiju_long_term"
    key_industry_recurring = "key_industry_recurring"
    short_term = "short_term"


class _Part(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ExpertSummary(_Part):
    """What subscribers may know of the expert: never the passport number."""

    expert_id: uuid.UUID
    name: str
    nationality: str
    date_of_birth: date


class EmployerSummary(_Part):
    employer_id: uuid.UUID
    name: str
    district: str
    municipal_state_owned: bool


class ContractTerms(_Part):
    start: date
    end: date
    annual_salary: Decimal


class FundingPlanItem(_Part):
    code: str
    article: str
    estimated_yearly_amount: Decimal | None = None


class FundingPlan(_Part):
    """资助方案: the committee's plan; ``to_be_quoted`` when subsidy did not answer in time."""

    items: list[FundingPlanItem] = []
    to_be_quoted: bool = False


class CapException(_Part):
    """R-CAP-EXCEPTION: the committee's approved cap in place of 200,000."""

    amount: Decimal
    reason: str
    approved_by: str


class ApplicationApproved(Event):
    event_type: ClassVar[str] = "ApplicationApproved"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "review"

    application_id: uuid.UUID
    decision_id: uuid.UUID
    decided_at: datetime
    expert: ExpertSummary
    employer: EmployerSummary
    catalogue_entry_id: uuid.UUID
    focus_area: str
    field: str
    track: Track
    contract: ContractTerms
    funding_plan: FundingPlan
    cap_exception: CapException | None = None

    def subject(self) -> str:
        return f"applications/{self.application_id}"


class BreachAttribution(StrEnum):
    expert = "expert"
    employer = "employer"


class ContractBreached(Event):
    """R-SUPERVISE: only a breach attributable to the expert revokes benefits."""

    event_type: ClassVar[str] = "ContractBreached"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "review"

    breach_id: uuid.UUID
    expert_id: uuid.UUID
    employer_id: uuid.UUID
    application_id: uuid.UUID
    breach_date: date
    attributable_to: BreachAttribution
    reported_by: str
    confirmed_by: str
    facts: str

    def subject(self) -> str:
        return f"breaches/{self.breach_id}"


class ContractBreachWithdrawn(Event):
    """The reversal of a breach on appeal."""

    event_type: ClassVar[str] = "ContractBreachWithdrawn"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "review"

    breach_id: uuid.UUID
    expert_id: uuid.UUID
    application_id: uuid.UUID
    withdrawn_at: datetime
    withdrawn_by: str
    reason: str

    def subject(self) -> str:
        return f"breaches/{self.breach_id}"
