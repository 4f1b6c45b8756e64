"""Request and response models of the performance evaluations."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

from shared.schemas import Input, UtcDateTime


class EvaluationRecord(Input):
    funding_year: int = Field(ge=2014, le=2100, strict=True, description="The work year evaluated")
    grade: Literal["excellent", "good", "qualified", "unqualified"] = Field(
        description="Performance evaluation (绩效考评) of the work year")


class EntitlementEvaluationRead(BaseModel):
    """A performance evaluation as subsidy records it against an entitlement (review owns the evaluation)."""

    entitlement_id: uuid.UUID
    funding_year: int
    grade: str
    recorded_by: str
    recorded_at: UtcDateTime
