"""Response models of the statistics."""

from __future__ import annotations

from pydantic import BaseModel, Field

from shared.events.review import Track
from shared.money import SignedMoney


class StatisticsRow(BaseModel):
    funding_year: int
    track: Track
    district: str
    granted: SignedMoney
    disbursed: SignedMoney = Field(description="Instructed to municipal finance and not cancelled")
    paid: SignedMoney = Field(description="Settled by municipal finance")
    failed: SignedMoney = Field(description="Refused by municipal finance (due again)")
    recovered: SignedMoney = Field(description="Put on recovery after a breach (R-SUPERVISE)")


class StatisticsRead(BaseModel):
    rows: list[StatisticsRow]
