"""Request and response models of the annual run."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

from services.subsidy.annual_run.domain import AnnualRunStatus
from shared.money import Money
from shared.schemas import Input, UtcDateTime


class AnnualRunRequest(Input):
    funding_year: int = Field(ge=2014, le=2100, strict=True, description="The funding year whose claims are paid")


class AnnualRunRead(BaseModel):
    id: uuid.UUID
    funding_year: int
    status: Literal[AnnualRunStatus.running, AnnualRunStatus.issued]
    entitlements_total: int
    entitlements_assessed: int
    disbursements_issued: int
    amount_issued: Money
    disbursements: dict[str, int] = Field(description="The run's disbursements by status at finance")
    complete: bool = Field(description="Issued, and every disbursement settled, failed or cancelled")
    started_by: str
    started_at: UtcDateTime
    updated_at: UtcDateTime
    issued_at: UtcDateTime | None
    cursor: uuid.UUID | None
