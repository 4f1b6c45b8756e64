"""Request and response models of supervision."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field
from pydantic_core import PydanticCustomError

from services.review.supervision.domain import AppealState, BreachState
from shared.auth import Role
from shared.events.review import BreachAttribution, Grade, Track
from shared.money import MONEY_RULES, PositiveMoney
from shared.schemas import Input, UtcDateTime

AMOUNT_RULES = MONEY_RULES  # quoted in the contract endpoint's description


def _values(row: Any) -> dict[str, Any]:
    """A database row or a plain mapping, as a dict."""
    return dict(row._mapping) if hasattr(row, "_mapping") else dict(row)


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold U+0000: refuse it here rather than fail at the database.
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "text cannot contain the NUL character")
    return value


Text = Annotated[str, Field(min_length=1, max_length=4000), AfterValidator(_no_nul)]


# -- selections ----------------------------------------------------------------------------------
class SelectionRead(BaseModel):
    """A selected case under supervision: the approved terms a signed contract is compared with."""

    application_id: uuid.UUID
    decision_id: uuid.UUID
    decided_at: UtcDateTime
    expert_id: uuid.UUID
    expert_name: str
    employer_id: uuid.UUID
    employer_name: str
    track: Track
    approved_start: date
    approved_end: date
    approved_annual_salary: PositiveMoney
    recorded_at: UtcDateTime

    @classmethod
    def of(cls, row: Any) -> "SelectionRead":
        return cls.model_validate(_values(row))


# -- contracts -----------------------------------------------------------------------------------
class ContractRegistration(Input):
    start: date = Field(description="First day of the signed contract")
    end: date = Field(description="Last day of the signed contract; after the start")
    annual_salary: PositiveMoney = Field(description="Annual salary agreed in the contract (CNY)")
    signed_on: date = Field(description="The day the contract was signed; not in the future")


class DifferenceRead(BaseModel):
    field: str
    approved: str
    signed: str


class ContractRead(BaseModel):
    id: uuid.UUID
    application_id: uuid.UUID
    start: date
    end: date
    annual_salary: PositiveMoney
    signed_on: date
    differs_from_plan: bool = Field(description="The signed terms differ from those the committee approved")
    differences: list[DifferenceRead]
    registered_by: str
    registered_at: UtcDateTime

    @classmethod
    def of(cls, row: Any) -> "ContractRead":
        values = _values(row)
        values["start"], values["end"] = values.pop("contract_start"), values.pop("contract_end")
        return cls.model_validate(values)


# -- performance evaluations ---------------------------------------------------------------------
class EvaluationRequest(Input):
    funding_year: int = Field(ge=2014, le=2100, strict=True, description="The work year evaluated (R-SUB-RECURRING)")
    grade: Grade = Field(description="绩效考评 grade: excellent, good, qualified or unqualified")
    comments: Text = Field(description="The officer's findings")


class EvaluationRead(BaseModel):
    id: uuid.UUID
    application_id: uuid.UUID
    funding_year: int
    grade: Grade
    comments: str
    evaluated_by: str
    evaluated_at: UtcDateTime

    @classmethod
    def of(cls, row: Any) -> "EvaluationRead":
        return cls.model_validate(_values(row))


# -- breaches and appeals ------------------------------------------------------------------------
class BreachReport(Input):
    breach_date: date = Field(description="When the breach happened; not in the future, within the contract")
    facts: Text = Field(description="What happened, briefly (sent to subscribers with ContractBreached)")
    attributable_to: BreachAttribution = Field(
        description="Who the breach is attributable to; only an expert-attributable breach revokes benefits "
                    "(R-SUPERVISE)")


class Reason(Input):
    reason: Text = Field(description="Why, for the record and the parties")


class AppealRequest(Input):
    grounds: Text = Field(description="Why the breach is contested")


class AppealRead(BaseModel):
    id: uuid.UUID
    breach_id: uuid.UUID
    appellant: str
    appellant_role: Role
    grounds: str
    state: AppealState
    lodged_at: UtcDateTime
    decided_by: str | None
    decided_at: UtcDateTime | None
    decision_reason: str | None

    @classmethod
    def of(cls, row: Any) -> "AppealRead":
        return cls.model_validate(_values(row))


class BreachRead(BaseModel):
    id: uuid.UUID
    application_id: uuid.UUID
    expert_id: uuid.UUID
    employer_id: uuid.UUID
    breach_date: date
    facts: str
    attributable_to: BreachAttribution
    state: BreachState
    reported_by: str
    reporter_role: Role
    reported_at: UtcDateTime
    confirmed_by: str | None
    confirmed_at: UtcDateTime | None
    closed_by: str | None = Field(description="Who dismissed or withdrew the breach")
    closed_at: UtcDateTime | None
    closing_reason: str | None
    appeals: list[AppealRead] = []

    @classmethod
    def of(cls, row: Any, appeals: list[Any] = ()) -> "BreachRead":
        return cls.model_validate({**_values(row), "appeals": [AppealRead.of(a) for a in appeals]})
