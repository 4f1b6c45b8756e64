"""Request and response models of the ledger."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from services.subsidy.ledger.domain import LedgerKind
from shared.events.review import Track
from shared.money import Money, SignedMoney
from shared.schemas import Input, UtcDateTime


class LedgerEntryRead(BaseModel):
    """One money row; a correction is another row naming the entry it corrects."""

    id: int
    entitlement_id: uuid.UUID
    expert_id: uuid.UUID
    track: Track
    funding_year: int
    kind: Literal[LedgerKind.grant, LedgerKind.disbursement, LedgerKind.recovery, LedgerKind.repayment]
    item_code: str | None
    amount: SignedMoney
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
    granted: SignedMoney
    disbursed: SignedMoney
    recovered: SignedMoney
    to_disburse: SignedMoney = Field(
        description="Granted and not yet paid out on the expert's open entitlements (negative when overpaid); "
                    "nothing of a revoked entitlement is to be disbursed (R-SUPERVISE)")


class LedgerRead(BaseModel):
    expert_id: uuid.UUID
    balances: list[BalanceRead]
    entries: list[LedgerEntryRead]


class LedgerCorrection(Input):
    corrected_amount: Money = Field(description="What the entry should have been; the difference is appended")
    reason: Annotated[str, Field(min_length=3, max_length=2000)]
