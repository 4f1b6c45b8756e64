"""Request and response models of the policy's quotes and of the entitlements, and the parts the claims share
with the quotes (the days field, the explained items, the field named in a track union's errors)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, Field, RootModel, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from services.subsidy.entitlements import domain
from services.subsidy.entitlements.domain import EntitlementStatus
from shared.events.review import Track
from shared.money import Money
from shared.schemas import Input, UtcDateTime

Days = Annotated[int, Field(ge=0, le=366, strict=True, description="Days worked in Beijing in the period")]


class _QuoteBase(Input):
    period_end: date = Field(description="End of the period quoted; picks the policy version in force (R-EFFECTIVE)")
    already_granted_this_year: Money = Field(
        default=Decimal("0"),
        description="What the expert already received under this track in the funding year (R-YEAR-CAP)",
    )


class HaijuQuoteRequest(_QuoteBase):
    """Art. 11: Haiju programme foreign-expert long-term project (海聚工程外专长期项目)."""

    track: Literal["haiju_long_term"]
    salary_paid: Money = Field(description="Salary actually paid by the employer in the year")
    medical_premium_paid: Money = Field(description="Commercial medical insurance premium actually paid")
    thousand_talents_salary_subsidy: bool = Field(
        description="Already receives the Thousand Foreign Experts Plan matching salary subsidy (外专千人计划)"
    )
    salary_funded_by_municipal_finance: bool = Field(description="Pay guaranteed by municipal finance")
    contract_fulfilled: bool = Field(description="The expert strictly performed the contract (Art. 11)")
    cap_exception_amount: Money | None = Field(
        default=None, description="R-CAP-EXCEPTION: the committee's approved cap in place of 200,000"
    )

    def to_domain(self) -> domain.HaijuInputs:
        return domain.HaijuInputs(
            salary_paid=self.salary_paid,
            medical_premium_paid=self.medical_premium_paid,
            thousand_talents_salary_subsidy=self.thousand_talents_salary_subsidy,
            salary_funded_by_municipal_finance=self.salary_funded_by_municipal_finance,
            contract_fulfilled=self.contract_fulfilled,
            cap_exception_amount=self.cap_exception_amount,
            already_granted_this_year=self.already_granted_this_year,
        )


class RecurringQuoteRequest(_QuoteBase):
    """Art. 12: key-industry expert, 3 consecutive years, at least 1 month a year in Beijing."""

    track: Literal["key_industry_recurring"]
    remuneration: Money = Field(description="Remuneration for the work year")
    days_in_beijing: Days
    performance: Literal["excellent", "good", "qualified", "unqualified"] = Field(
        description="Performance evaluation (绩效考评) of the work year"
    )
    consecutive_year: int = Field(ge=1, strict=True, description="Which consecutive year of the engagement (1 = first)")

    def to_domain(self) -> domain.RecurringInputs:
        return domain.RecurringInputs(
            remuneration=self.remuneration,
            days_in_beijing=self.days_in_beijing,
            performance=self.performance,
            consecutive_year=self.consecutive_year,
            already_granted_this_year=self.already_granted_this_year,
        )


class ShortTermQuoteRequest(_QuoteBase):
    """Art. 13: short-term technical consulting, service or exchange under a key project."""

    track: Literal["short_term"]
    days_in_beijing: Days
    international_travel_cost: Money
    living_cost: Money
    agreed_salary: Money = Field(description="Salary in the salary agreement")
    medical_premium_paid: Money

    def to_domain(self) -> domain.ShortTermInputs:
        return domain.ShortTermInputs(
            days_in_beijing=self.days_in_beijing,
            international_travel_cost=self.international_travel_cost,
            living_cost=self.living_cost,
            agreed_salary=self.agreed_salary,
            medical_premium_paid=self.medical_premium_paid,
            already_granted_this_year=self.already_granted_this_year,
        )


_TRACKS = {track.value for track in Track}


def relocated_errors(data: Any, handler):
    """Validate a track union, reporting each error at the field as the caller wrote it.

    Pydantic locates a union member's errors under the tag ("haiju_long_term.salary_paid") and a bad
    tag at the body; the caller named neither.
    """
    try:
        return handler(data)
    except ValidationError as exc:
        errors = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
                loc = ("track",)
            elif loc and loc[0] in _TRACKS:
                loc = loc[1:]
            errors.append(InitErrorDetails(type=PydanticCustomError(error["type"], error["msg"]), loc=loc,
                                           input=error.get("input")))
        raise ValidationError.from_exception_data(exc.title, errors) from None


class QuoteRequest(RootModel[Annotated[
    Union[HaijuQuoteRequest, RecurringQuoteRequest, ShortTermQuoteRequest], Field(discriminator="track")
]]):
    """A quote request: the fields of one track, chosen by ``track``; another track's field is refused."""

    @model_validator(mode="wrap")
    @classmethod
    def _name_the_field(cls, data: Any, handler):
        return relocated_errors(data, handler)


class QuoteItem(BaseModel):
    code: str = Field(description="salary_subsidy, medical_insurance_subsidy, recurring_funding, travel or living")
    article: str = Field(description="The article of the Measures, e.g. \"Art. 11(1)\"")
    amount: Money
    explanation: str = Field(description="How the amount was reached, naming the article and rule id")


class QuoteRead(BaseModel):
    policy_version: str = Field(description="The policy version in force for period_end")
    track: Track
    total: Money
    items: list[QuoteItem]

    @classmethod
    def of(cls, quote: domain.Quote) -> "QuoteRead":
        return cls(
            policy_version=quote.policy_version,
            track=quote.track,
            total=quote.total,
            items=[QuoteItem(code=i.code, article=i.article, amount=i.amount, explanation=i.explanation)
                   for i in quote.items],
        )


class EntitlementCapExceptionRead(BaseModel):
    """R-CAP-EXCEPTION as the committee approved it, kept on the entitlement."""

    amount: Money
    reason: str
    approved_by: str


class EntitlementRead(BaseModel):
    """An expert's entitlement under one track, opened when the application was approved."""

    id: uuid.UUID
    application_id: uuid.UUID
    decision_id: uuid.UUID
    decided_at: UtcDateTime
    expert_id: uuid.UUID
    expert_name: str
    employer_id: uuid.UUID
    employer_name: str
    employer_district: str
    track: Track
    contract_start: date
    contract_end: date
    annual_salary: Money
    cap_exception: EntitlementCapExceptionRead | None
    funding_plan: dict[str, Any]
    status: Literal[EntitlementStatus.open, EntitlementStatus.revoked]
    opened_at: UtcDateTime
    granted: Money = Field(description="Granted in the ledger on this entitlement, every funding year")
    disbursed: Money = Field(description="Paid out by municipal finance on it (the ledger's disbursements)")
    in_payment: Money = Field(description="Instructed to municipal finance and not yet paid (pending or accepted)")
    to_disburse: Money = Field(
        description="Granted and neither paid out nor in payment: what a new disbursement may instruct; 0.00 once "
                    "revoked (R-SUPERVISE: nothing more is paid)")

    @classmethod
    def of(cls, row: Any, amounts: domain.Amounts) -> "EntitlementRead":
        values = dict(row._mapping)
        amount = values.pop("cap_exception_amount")
        reason = values.pop("cap_exception_reason")
        approved_by = values.pop("cap_exception_approved_by")
        values.pop("source_event_id", None)
        for internal in ("revoked_by_breach", "revoked_at"):
            values.pop(internal, None)
        exception = (EntitlementCapExceptionRead(amount=amount, reason=reason, approved_by=approved_by)
                     if amount is not None else None)
        return cls(**values, cap_exception=exception, granted=amounts.granted, disbursed=amounts.disbursed,
                   in_payment=amounts.in_payment, to_disburse=amounts.to_disburse)
