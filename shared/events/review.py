"""Events published by the review service: the committee's decision and supervision."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import ClassVar

from shared.events.base import Event
from shared.events.common import (  # noqa: F401  (re-exported: consumers import them from here too)
    BreachAttribution,
    ContractTerms,
    EmployerSummary,
    ExpertSummary,
    Grade,
    Part,
    Track,
)
from shared.money import Money, PositiveMoney


class FundingPlanItem(Part):
    code: str
    article: str
    estimated_yearly_amount: Money | None = None


class FundingPlan(Part):
    """资助方案: the committee's plan; ``to_be_quoted`` when subsidy did not answer in time."""

    items: list[FundingPlanItem] = []
    to_be_quoted: bool = False


class CapException(Part):
    """R-CAP-EXCEPTION: the committee's approved cap in place of 200,000."""

    amount: PositiveMoney
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


class FundingPlanQuoted(Event):
    """An approval recorded ``to_be_quoted`` (subsidy did not answer in time) quoted later by an officer
    (资助方案, R-COMMITTEE): the plan the decision now carries. Sent once per decision."""

    event_type: ClassVar[str] = "FundingPlanQuoted"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "review"

    application_id: uuid.UUID
    decision_id: uuid.UUID
    expert_id: uuid.UUID
    funding_plan: FundingPlan
    quoted_at: datetime

    def subject(self) -> str:
        return f"applications/{self.application_id}"


class ApplicationDeclined(Event):
    """The committee did not select the candidate (R-COMMITTEE); the reasons go back to the employer."""

    event_type: ClassVar[str] = "ApplicationDeclined"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "review"

    application_id: uuid.UUID
    decision_id: uuid.UUID
    decided_at: datetime
    expert_id: uuid.UUID
    employer_id: uuid.UUID
    reasons: list[str]
    votes_for: int
    votes_against: int
    recused: int = 0

    def subject(self) -> str:
        return f"applications/{self.application_id}"


class ContractRegistered(Event):
    """The employer registered the signed contract after selection (R-ONBOARD, R-SUPERVISE)."""

    event_type: ClassVar[str] = "ContractRegistered"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "review"

    contract_id: uuid.UUID
    application_id: uuid.UUID
    expert_id: uuid.UUID
    employer_id: uuid.UUID
    contract: ContractTerms
    differs_from_plan: bool
    """True where the signed terms differ from those approved (flagged for officers)."""
    registered_at: datetime

    def subject(self) -> str:
        return f"contracts/{self.contract_id}"


class PerformanceEvaluated(Event):
    """An annual performance evaluation (绩效考评) by a bureau officer; Art. 12 funds by it (R-SUB-RECURRING)."""

    event_type: ClassVar[str] = "PerformanceEvaluated"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "review"

    evaluation_id: uuid.UUID
    application_id: uuid.UUID
    expert_id: uuid.UUID
    employer_id: uuid.UUID
    funding_year: int
    grade: Grade
    evaluated_at: datetime
    evaluated_by: str

    def subject(self) -> str:
        return f"evaluations/{self.evaluation_id}"


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
