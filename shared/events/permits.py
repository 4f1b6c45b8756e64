"""Events published by the permits service: the green channel (R-GREEN, R-PERMIT)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import ClassVar

from shared.events.base import Event


class PermitCaseOpened(Event):
    """A green-channel case (绿色通道) opened for a selected expert (R-GREEN)."""

    event_type: ClassVar[str] = "PermitCaseOpened"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "permits"

    case_id: uuid.UUID
    application_id: uuid.UUID
    expert_id: uuid.UUID
    employer_id: uuid.UUID
    opened_at: datetime
    due_by: date
    """The service-level target: opening plus the configured working days."""

    def subject(self) -> str:
        return f"cases/{self.case_id}"


class WorkPermitIssued(Event):
    event_type: ClassVar[str] = "WorkPermitIssued"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "permits"

    permit_application_id: uuid.UUID
    case_id: uuid.UUID
    expert_id: uuid.UUID
    permit_number: str
    valid_from: date
    valid_until: date
    issued_at: datetime

    def subject(self) -> str:
        return f"permit-applications/{self.permit_application_id}"


class ResidencePermitIssued(Event):
    """A work-type residence permit for the expert, or a residence permit for a dependant."""

    event_type: ClassVar[str] = "ResidencePermitIssued"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "permits"

    permit_application_id: uuid.UUID
    case_id: uuid.UUID
    expert_id: uuid.UUID
    holder: str
    """``expert``, ``spouse`` or ``child``."""
    dependant_id: uuid.UUID | None = None
    permit_number: str
    valid_from: date
    valid_until: date
    issued_at: datetime

    def subject(self) -> str:
        return f"permit-applications/{self.permit_application_id}"


class PermitExpiring(Event):
    event_type: ClassVar[str] = "PermitExpiring"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "permits"

    permit_application_id: uuid.UUID
    case_id: uuid.UUID
    expert_id: uuid.UUID
    kind: str
    valid_until: date
    days_ahead: int
    """90 or 30."""

    def subject(self) -> str:
        return f"permit-applications/{self.permit_application_id}"


class PermitRevocationRequested(Event):
    """R-SUPERVISE: open applications withdrawn and issued permits put to the issuing authority for revocation."""

    event_type: ClassVar[str] = "PermitRevocationRequested"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "permits"

    case_id: uuid.UUID
    expert_id: uuid.UUID
    breach_id: uuid.UUID
    breach_date: date
    withdrawn_applications: list[uuid.UUID] = []
    permits_to_revoke: list[uuid.UUID] = []
    requested_at: datetime

    def subject(self) -> str:
        return f"cases/{self.case_id}"
