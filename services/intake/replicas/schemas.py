"""Response models of intake's employer replica."""

from __future__ import annotations

import uuid

from shared.schemas import Output, UtcDateTime


class ReplicatedEmployerRead(Output):
    employer_id: uuid.UUID
    name: str
    credit_code: str
    district: str
    competent_department: str | None
    municipal_state_owned: bool
    registered_at: UtcDateTime
    replicated_at: UtcDateTime
