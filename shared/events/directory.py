"""Events published by the directory service."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from shared.events.base import Event


class EmployerRegistered(Event):
    """An employer (用人单位) entered the registry."""

    event_type: ClassVar[str] = "EmployerRegistered"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "directory"

    employer_id: uuid.UUID
    name: str
    credit_code: str
    district: str
    competent_department: str | None = None
    municipal_state_owned: bool
    """R-WAGE-TOTAL: a municipal state-owned unit may list the expert's pay outside its wage bill."""
    registered_at: datetime

    def subject(self) -> str:
        return f"employers/{self.employer_id}"
