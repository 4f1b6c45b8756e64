"""Events published by the intake service: applications through preliminary and formal review."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import ClassVar

from shared.events.base import Event
from shared.events.common import ContractTerms, EmployerSummary, ExpertSummary, Stage, Track


class ApplicationSubmitted(Event):
    """An employer submitted (or resubmitted) an application to its preliminary reviewer (R-APPLY)."""

    event_type: ClassVar[str] = "ApplicationSubmitted"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "intake"

    application_id: uuid.UUID
    employer_id: uuid.UUID
    expert_id: uuid.UUID
    catalogue_entry_id: uuid.UUID
    track: Track
    preliminary_reviewer: str
    """``district:<district>`` or ``department:<competent department>``."""
    submission: int
    """1 for the first submission, 2 after one return, ..."""
    submitted_at: datetime

    def subject(self) -> str:
        return f"applications/{self.application_id}"


class ApplicationReturned(Event):
    """Returned to the employer for correction, with a reason (R-APPLY, R-FORMAL)."""

    event_type: ClassVar[str] = "ApplicationReturned"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "intake"

    application_id: uuid.UUID
    employer_id: uuid.UUID
    stage: Stage
    reason: str
    returned_at: datetime

    def subject(self) -> str:
        return f"applications/{self.application_id}"


class ApplicationRejected(Event):
    """Rejected, with a reason; final (R-APPLY, R-FORMAL)."""

    event_type: ClassVar[str] = "ApplicationRejected"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "intake"

    application_id: uuid.UUID
    employer_id: uuid.UUID
    expert_id: uuid.UUID
    stage: Stage
    reason: str
    rejected_at: datetime

    def subject(self) -> str:
        return f"applications/{self.application_id}"


class FormalReviewPassed(Event):
    """The bureau's formal review (形式审查, R-FORMAL) passed: the case goes on a committee agenda.

    Carries what the committee and, through its decision, every subscriber need; never the
    passport number (``possible_duplicate`` says whether another live application has the same one).
    """

    event_type: ClassVar[str] = "FormalReviewPassed"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "intake"

    application_id: uuid.UUID
    expert: ExpertSummary
    employer: EmployerSummary
    catalogue_entry_id: uuid.UUID
    focus_area: str
    field: str
    track: Track
    position: str
    achievements: str
    contract: ContractTerms
    intent_date: date
    recommendations: int
    possible_duplicate: bool = False
    passed_at: datetime
    passed_by: str

    def subject(self) -> str:
        return f"applications/{self.application_id}"
