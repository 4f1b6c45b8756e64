"""Request and response models of the annual claims."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, Field, RootModel, model_validator

from services.subsidy.claims.domain import YearPayment
from services.subsidy.entitlements.schemas import Days, QuoteItem, relocated_errors
from shared.events.review import Track
from shared.money import Money
from shared.schemas import Input, UtcDateTime

Evidence = Annotated[str, Field(min_length=1, max_length=500,
                                description="Reference of the evidence (payroll, invoices, premium receipt)")]
_PeriodEnd = Annotated[date, Field(description="End of the period claimed; its funding year and policy version follow")]


class HaijuClaim(Input):
    """Art. 11 claim for a funding year; the cap exception comes from the committee's decision, not the claim."""

    track: Literal["haiju_long_term"]
    period_end: _PeriodEnd
    evidence_reference: Evidence
    salary_paid: Money = Field(description="Salary actually paid by the employer")
    medical_premium_paid: Money
    thousand_talents_salary_subsidy: bool
    salary_funded_by_municipal_finance: bool
    contract_fulfilled: bool


class RecurringClaim(Input):
    """Art. 12 claim after a work year; the grade is the officer's evaluation, not the employer's."""

    track: Literal["key_industry_recurring"]
    period_end: _PeriodEnd
    evidence_reference: Evidence
    remuneration: Money
    days_in_beijing: Days


class ShortTermClaim(Input):
    track: Literal["short_term"]
    period_end: _PeriodEnd
    evidence_reference: Evidence
    days_in_beijing: Days
    international_travel_cost: Money
    living_cost: Money
    agreed_salary: Money
    medical_premium_paid: Money


class ClaimRequest(RootModel[Annotated[
    Union[HaijuClaim, RecurringClaim, ShortTermClaim], Field(discriminator="track")
]]):
    """An annual claim: the fields of the entitlement's track, chosen by ``track``."""

    @model_validator(mode="wrap")
    @classmethod
    def _name_the_field(cls, data: Any, handler):
        return relocated_errors(data, handler)


class ClaimPaymentRead(BaseModel):
    """Where the payment of the claim's funding year on its entitlement stands (every claim of that year shows
    the same): a claim is granted when assessed and paid by a disbursement (an officer's, or the annual run's)."""

    status: YearPayment = Field(description=(
        "nothing_granted (the year came to zero), awaiting_disbursement, in_payment (instructed to municipal "
        "finance), partly_paid, paid, or stopped (the entitlement was revoked before all of it was paid: "
        "R-SUPERVISE)"))
    granted: Money = Field(description="Granted by the year's claims on the entitlement")
    paid: Money = Field(description="Paid out by municipal finance for the year (the ledger's disbursements)")
    in_payment: Money = Field(description="Instructed to municipal finance and not yet paid (pending or accepted)")
    to_disburse: Money = Field(description="What a new disbursement of the year may instruct (0.00 once revoked)")

    @classmethod
    def of(cls, payment: Any) -> "ClaimPaymentRead":
        return cls(status=payment.status, granted=payment.granted, paid=payment.paid,
                   in_payment=payment.in_payment, to_disburse=payment.to_disburse)


class ClaimRead(BaseModel):
    """An assessed claim, frozen: its inputs, the policy version and the explained items; with the names of the
    expert and the employer, and where the payment of its funding year stands."""

    id: uuid.UUID
    entitlement_id: uuid.UUID
    expert_id: uuid.UUID
    expert_name: str
    employer_name: str
    track: Track
    funding_year: int
    period_end: date
    evidence_reference: str
    inputs: dict[str, Any]
    policy_version: str
    total: Money
    items: list[QuoteItem]
    submitted_by: str
    assessed_at: UtcDateTime
    payment: ClaimPaymentRead

    @classmethod
    def of(cls, row: Any, payment: Any) -> "ClaimRead":
        values = dict(row._mapping)
        values.pop("entitlement_status")
        return cls(**values, payment=ClaimPaymentRead.of(payment))
