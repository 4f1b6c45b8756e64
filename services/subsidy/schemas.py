"""Request and response models of the subsidy service."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, Field, RootModel, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from services.subsidy import domain
from shared.events.review import Track
from shared.money import MONEY_RULES, Money, SignedMoney
from shared.schemas import Input, UtcDateTime

# The platform's one money type (shared.money) under this module's names: amounts in are non-negative,
# ledger figures out may be negative (a correction, an overpaid balance); every one leaves with 2 places.
AMOUNT_RULES = MONEY_RULES
Amount = Money
AmountOut = Money
SignedAmountOut = SignedMoney

Days = Annotated[int, Field(ge=0, le=366, strict=True, description="Days worked in Beijing in the period")]


class _QuoteBase(Input):
    period_end: date = Field(description="End of the period quoted; picks the policy version in force (R-EFFECTIVE)")
    already_granted_this_year: Amount = Field(
        default=Decimal("0"),
        description="What the expert already received under this track in the funding year (R-YEAR-CAP)",
    )


class HaijuQuoteRequest(_QuoteBase):
    """Art. 11: Haiju programme foreign-expert long-term project (海聚工程外专长期项目)."""

    track: Literal["haiju_long_term"]
    salary_paid: Amount = Field(description="Salary actually paid by the employer in the year")
    medical_premium_paid: Amount = Field(description="Commercial medical insurance premium actually paid")
    thousand_talents_salary_subsidy: bool = Field(
        description="Already receives the Thousand Foreign Experts Plan matching salary subsidy (外专千人计划)"
    )
    salary_funded_by_municipal_finance: bool = Field(description="Pay guaranteed by municipal finance")
    contract_fulfilled: bool = Field(description="The expert strictly performed the contract (Art. 11)")
    cap_exception_amount: Amount | None = Field(
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
    remuneration: Amount = Field(description="Remuneration for the work year")
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
    international_travel_cost: Amount
    living_cost: Amount
    agreed_salary: Amount = Field(description="Salary in the salary agreement")
    medical_premium_paid: Amount

    def to_domain(self) -> domain.ShortTermInputs:
        return domain.ShortTermInputs(
            days_in_beijing=self.days_in_beijing,
            international_travel_cost=self.international_travel_cost,
            living_cost=self.living_cost,
            agreed_salary=self.agreed_salary,
            medical_premium_paid=self.medical_premium_paid,
            already_granted_this_year=self.already_granted_this_year,
        )


_TRACKS = {"haiju_long_term", "key_industry_recurring", "short_term"}


def _relocated_errors(data: Any, handler):
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
        return _relocated_errors(data, handler)


class QuoteItem(BaseModel):
    code: str = Field(description="salary_subsidy, medical_insurance_subsidy, recurring_funding, travel or living")
    article: str = Field(description="The article of the Measures, e.g. \"Art. 11(1)\"")
    amount: AmountOut
    explanation: str = Field(description="How the amount was reached, naming the article and rule id")


class QuoteRead(BaseModel):
    policy_version: str = Field(description="The policy version in force for period_end")
    track: Track
    total: AmountOut
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


class CapExceptionRead(BaseModel):
    """R-CAP-EXCEPTION as the committee approved it."""

    amount: AmountOut
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
    annual_salary: AmountOut
    cap_exception: CapExceptionRead | None
    funding_plan: dict[str, Any]
    status: Literal["open", "revoked"]
    opened_at: UtcDateTime
    granted: AmountOut = Field(description="Granted in the ledger on this entitlement, every funding year")
    disbursed: AmountOut = Field(description="Paid out by municipal finance on it (the ledger's disbursements)")
    in_payment: AmountOut = Field(description="Instructed to municipal finance and not yet paid (pending or accepted)")
    to_disburse: AmountOut = Field(
        description="Granted and neither paid out nor in payment: what a new disbursement may instruct; 0.00 once "
                    "revoked (R-SUPERVISE: nothing more is paid)")

    @classmethod
    def of(cls, row: Any, *, granted: Decimal = Decimal("0"), disbursed: Decimal = Decimal("0"),
           in_payment: Decimal = Decimal("0")) -> "EntitlementRead":
        values = dict(row._mapping)
        amount = values.pop("cap_exception_amount")
        reason = values.pop("cap_exception_reason")
        approved_by = values.pop("cap_exception_approved_by")
        values.pop("source_event_id", None)
        for internal in ("revoked_by_breach", "revoked_at"):
            values.pop(internal, None)
        exception = (CapExceptionRead(amount=amount, reason=reason, approved_by=approved_by)
                     if amount is not None else None)
        # R-SUPERVISE: a revoked entitlement pays nothing more, whatever was granted before the breach.
        due = max(granted - disbursed - in_payment, Decimal("0")) if values["status"] == "open" else Decimal("0")
        return cls(**values, cap_exception=exception, granted=granted, disbursed=disbursed, in_payment=in_payment,
                   to_disburse=due)


class LedgerEntryRead(BaseModel):
    """One money row; a correction is another row naming the entry it corrects."""

    id: int
    entitlement_id: uuid.UUID
    expert_id: uuid.UUID
    track: Track
    funding_year: int
    kind: Literal["grant", "disbursement", "recovery", "repayment"]
    item_code: str | None
    amount: SignedAmountOut
    corrects: int | None
    reference: str
    reason: str
    recorded_at: UtcDateTime
    recorded_by: str | None

    @classmethod
    def of(cls, row: Any) -> "LedgerEntryRead":
        return cls(**row._mapping)


class BalanceRead(BaseModel):
    funding_year: int
    track: Track
    granted: SignedAmountOut
    disbursed: SignedAmountOut
    recovered: SignedAmountOut
    to_disburse: SignedAmountOut = Field(
        description="Granted and not yet paid out on the expert's open entitlements (negative when overpaid); "
                    "nothing of a revoked entitlement is to be disbursed (R-SUPERVISE)")


class LedgerRead(BaseModel):
    expert_id: uuid.UUID
    balances: list[BalanceRead]
    entries: list[LedgerEntryRead]


class LedgerCorrection(Input):
    corrected_amount: Amount = Field(description="What the entry should have been; the difference is appended")
    reason: Annotated[str, Field(min_length=3, max_length=2000)]


# -- annual claims ------------------------------------------------------------------------------

Evidence = Annotated[str, Field(min_length=1, max_length=500,
                                description="Reference of the evidence (payroll, invoices, premium receipt)")]
_PeriodEnd = Annotated[date, Field(description="End of the period claimed; its funding year and policy version follow")]


class HaijuClaim(Input):
    """Art. 11 claim for a funding year; the cap exception comes from the committee's decision, not the claim."""

    track: Literal["haiju_long_term"]
    period_end: _PeriodEnd
    evidence_reference: Evidence
    salary_paid: Amount = Field(description="Salary actually paid by the employer")
    medical_premium_paid: Amount
    thousand_talents_salary_subsidy: bool
    salary_funded_by_municipal_finance: bool
    contract_fulfilled: bool


class RecurringClaim(Input):
    """Art. 12 claim after a work year; the grade is the officer's evaluation, not the employer's."""

    track: Literal["key_industry_recurring"]
    period_end: _PeriodEnd
    evidence_reference: Evidence
    remuneration: Amount
    days_in_beijing: Days


class ShortTermClaim(Input):
    track: Literal["short_term"]
    period_end: _PeriodEnd
    evidence_reference: Evidence
    days_in_beijing: Days
    international_travel_cost: Amount
    living_cost: Amount
    agreed_salary: Amount
    medical_premium_paid: Amount


class ClaimRequest(RootModel[Annotated[
    Union[HaijuClaim, RecurringClaim, ShortTermClaim], Field(discriminator="track")
]]):
    """An annual claim: the fields of the entitlement's track, chosen by ``track``."""

    @model_validator(mode="wrap")
    @classmethod
    def _name_the_field(cls, data: Any, handler):
        return _relocated_errors(data, handler)


class ClaimRead(BaseModel):
    """An assessed claim, frozen: its inputs, the policy version and the explained items."""

    id: uuid.UUID
    entitlement_id: uuid.UUID
    expert_id: uuid.UUID
    track: Track
    funding_year: int
    period_end: date
    evidence_reference: str
    inputs: dict[str, Any]
    policy_version: str
    total: AmountOut
    items: list[QuoteItem]
    submitted_by: str
    assessed_at: UtcDateTime

    @classmethod
    def of(cls, row: Any) -> "ClaimRead":
        return cls(**row._mapping)


class EvaluationRecord(Input):
    funding_year: int = Field(ge=2014, le=2100, strict=True, description="The work year evaluated")
    grade: Literal["excellent", "good", "qualified", "unqualified"] = Field(
        description="Performance evaluation (绩效考评) of the work year")


class EvaluationRead(BaseModel):
    entitlement_id: uuid.UUID
    funding_year: int
    grade: str
    recorded_by: str
    recorded_at: UtcDateTime


# -- disbursements and reconciliation ----------------------------------------------------------

class DisbursementRequest(Input):
    funding_year: int = Field(ge=2014, le=2100, strict=True, description="The funding year paid for")
    amount: Amount = Field(description="At most what is granted and not yet paid or in payment for that year")


class DisbursementRead(BaseModel):
    id: uuid.UUID
    entitlement_id: uuid.UUID
    expert_id: uuid.UUID
    track: Track
    district: str
    funding_year: int
    amount: AmountOut
    run_id: uuid.UUID | None
    status: Literal["pending", "accepted", "settled", "failed", "cancelled"]
    cancel_requested: bool
    attempts: int
    last_error: str | None
    finance_payment_id: str | None
    booked_on: date | None
    final_at: UtcDateTime | None
    failure_reason: str | None
    created_at: UtcDateTime

    @classmethod
    def of(cls, row: Any) -> "DisbursementRead":
        return cls.model_validate(row._mapping, from_attributes=False) if hasattr(row, "_mapping") else cls(**row)


class ReconciliationRequest(Input):
    day: date = Field(alias="date", description="The booking day of finance's statement to compare with")


class ReconciliationRead(BaseModel):
    id: uuid.UUID
    day: date
    ran_at: UtcDateTime
    ours: int
    theirs: int
    differences: list[dict[str, Any]]


class StatisticsRow(BaseModel):
    funding_year: int
    track: Track
    district: str
    granted: SignedAmountOut
    disbursed: SignedAmountOut = Field(description="Instructed to municipal finance and not cancelled")
    paid: SignedAmountOut = Field(description="Settled by municipal finance")
    failed: SignedAmountOut = Field(description="Refused by municipal finance (due again)")
    recovered: SignedAmountOut = Field(description="Put on recovery after a breach (R-SUPERVISE)")


class StatisticsRead(BaseModel):
    rows: list[StatisticsRow]


class AnnualRunRequest(Input):
    funding_year: int = Field(ge=2014, le=2100, strict=True, description="The funding year whose claims are paid")


class AnnualRunRead(BaseModel):
    id: uuid.UUID
    funding_year: int
    status: Literal["running", "issued"]
    entitlements_total: int
    entitlements_assessed: int
    disbursements_issued: int
    amount_issued: AmountOut
    disbursements: dict[str, int] = Field(description="The run's disbursements by status at finance")
    complete: bool = Field(description="Issued, and every disbursement settled, failed or cancelled")
    started_by: str
    started_at: UtcDateTime
    updated_at: UtcDateTime
    issued_at: UtcDateTime | None
    cursor: uuid.UUID | None


# -- recoveries and repayments (R-SUPERVISE) ------------------------------------------------------

class RepaymentRequest(Input):
    """A repayment received from the expert on a recovery, as the bureau's receipt records it."""

    amount: Amount = Field(description="Received; positive and at most what is outstanding on the recovery")
    received_on: date = Field(description="The day the money was received (Beijing date); not in the future")
    reference: Annotated[str, Field(min_length=1, max_length=200,
                                    description="The bank receipt or treasury voucher of the repayment")]
    note: Annotated[str | None, Field(max_length=2000)] = None


class RepaymentRead(BaseModel):
    id: uuid.UUID
    recovery_id: uuid.UUID
    amount: AmountOut
    received_on: date
    reference: str
    note: str | None
    ledger_entry_id: int
    recorded_by: str
    recorded_at: UtcDateTime

    @classmethod
    def of(cls, row: Any) -> "RepaymentRead":
        return cls(**row._mapping)


class RecoveryRead(BaseModel):
    """Money paid for periods after an expert-attributable breach and owed back (R-SUPERVISE, Art. 16).

    ``amount``, ``repaid`` and ``outstanding`` are read from the ledger (the recovery's rows and its
    repayments), so they agree with the expert's ledger by construction.
    """

    id: uuid.UUID
    breach_id: uuid.UUID
    entitlement_id: uuid.UUID
    expert_id: uuid.UUID
    employer_id: uuid.UUID
    funding_year: int
    amount: AmountOut = Field(description="Put on recovery (after any cancellation in the ledger)")
    repaid: AmountOut
    outstanding: SignedAmountOut = Field(description="Still owed: amount less repaid; 0.00 once repaid")
    explanation: str
    status: Literal["open", "repaid", "cancelled"]
    opened_at: UtcDateTime
    closed_at: UtcDateTime | None
    repayments: list[RepaymentRead]
