"""Events published by the directory service."""

from __future__ import annotations

import uuid
from datetime import date, datetime
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


class CatalogueEntryPublished(Event):
    """An entry of a published introduction catalogue edition (引进目录, R-CATALOGUE)."""

    event_type: ClassVar[str] = "CatalogueEntryPublished"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "directory"

    entry_id: uuid.UUID
    edition_id: uuid.UUID
    edition_title: str
    focus_area: str
    field: str
    zone: str | None = None
    demand: str
    number_sought: int
    valid_from: date
    valid_until: date
    published_at: datetime

    def subject(self) -> str:
        return f"catalogue-entries/{self.entry_id}"


class CatalogueEntryWithdrawn(Event):
    event_type: ClassVar[str] = "CatalogueEntryWithdrawn"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "directory"

    entry_id: uuid.UUID
    edition_id: uuid.UUID
    withdrawn_at: datetime
    reason: str

    def subject(self) -> str:
        return f"catalogue-entries/{self.entry_id}"
