"""Request and response models of the reconciliation with municipal finance."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from shared.schemas import Input, UtcDateTime


class ReconciliationRequest(Input):
    day: date = Field(alias="date", description="The booking day of finance's statement to compare with")


class ReconciliationRead(BaseModel):
    id: uuid.UUID
    day: date
    ran_at: UtcDateTime
    ours: int
    theirs: int
    differences: list[dict[str, Any]]
