"""Request and response models of the recoveries and their repayments (R-SUPERVISE)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from services.subsidy.revocation.domain import RecoveryStatus
from shared.money import Money, SignedMoney
from shared.schemas import Input, UtcDateTime


class RepaymentRequest(Input):
    """A repayment received from the expert on a recovery, as the bureau's receipt records it."""

    amount: Money = Field(description="Received; positive and at most what is outstanding on the recovery")
    received_on: date = Field(description="The day the money was received (Beijing date); not in the future")
    reference: Annotated[str, Field(min_length=1, max_length=200,
                                    description="The bank receipt or treasury voucher of the repayment")]
    note: Annotated[str | None, Field(max_length=2000)] = None


class RepaymentRead(BaseModel):
    id: uuid.UUID
    recovery_id: uuid.UUID
    amount: Money
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
    amount: Money = Field(description="Put on recovery (after any cancellation in the ledger)")
    repaid: Money
    outstanding: SignedMoney = Field(description="Still owed: amount less repaid; 0.00 once repaid")
    explanation: str
    status: Literal[RecoveryStatus.open, RecoveryStatus.repaid, RecoveryStatus.cancelled]
    opened_at: UtcDateTime
    closed_at: UtcDateTime | None
    repayments: list[RepaymentRead]
