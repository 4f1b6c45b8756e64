"""Request and response models of the disbursements."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from services.subsidy.disbursements.domain import DisbursementStatus
from shared.events.review import Track
from shared.money import Money
from shared.schemas import Input, UtcDateTime


class DisbursementRequest(Input):
    funding_year: int = Field(ge=2014, le=2100, strict=True, description="The funding year paid for")
    amount: Money = Field(description="At most what is granted and not yet paid or in payment for that year")


class DisbursementRead(BaseModel):
    id: uuid.UUID
    entitlement_id: uuid.UUID
    expert_id: uuid.UUID
    expert_name: str
    employer_name: str
    track: Track
    district: str
    funding_year: int
    amount: Money
    run_id: uuid.UUID | None
    status: Literal[DisbursementStatus.pending, DisbursementStatus.accepted, DisbursementStatus.settled,
                    DisbursementStatus.failed, DisbursementStatus.cancelled]
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
