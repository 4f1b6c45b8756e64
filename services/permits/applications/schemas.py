"""Request and response models of permit applications (R-PERMIT)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from pydantic import Field

from services.permits.applications.domain import EntryVisa, PermitKind, Relation
from services.permits.domain import ApplicationStatus
from shared.schemas import Input, Output, UtcDateTime


class DependantIn(Input):
    relation: Relation
    name: Annotated[str, Field(min_length=1, max_length=200)]
    date_of_birth: date | None = None
    """Required for a child (under 18 on the application date)."""


class PermitApplicationCreate(Input):
    """A permit application in a case: the expert's (``entry_visa`` required) or a dependant's (``dependant``)."""

    kind: PermitKind
    valid_from: date
    valid_until: date
    """The expiry date asked for: 2 to 5 years after ``valid_from`` (R-PERMIT)."""
    application_date: date | None = None
    """Defaults to today (Beijing); never in the future."""
    entry_visa: EntryVisa | None = None
    """The visa the expert entered on; any type is accepted (non-Z included, R-PERMIT)."""
    dependant: DependantIn | None = None


class PermitRenewalCreate(Input):
    valid_from: date
    valid_until: date
    application_date: date | None = None


class PermitIssue(Input):
    """What the issuing authority issued; the dates default to those applied for."""

    permit_number: Annotated[str, Field(min_length=1, max_length=100)]
    valid_from: date | None = None
    valid_until: date | None = None


class PermitRefusal(Input):
    reason: Annotated[str, Field(min_length=1, max_length=1000)]


class PermitApplicationRead(Output):
    id: uuid.UUID
    case_id: uuid.UUID
    kind: PermitKind
    holder: str
    dependant_id: uuid.UUID | None
    dependant_name: str | None
    date_of_birth: date | None
    entry_visa: str | None
    application_date: date
    valid_from: date
    valid_until: date
    turns_adult_on: date | None
    turns_adult_within_validity: bool
    """R-PERMIT flag: a child who turns 18 before this permit expires."""
    renews_id: uuid.UUID | None
    status: ApplicationStatus
    permit_number: str | None
    refusal_reason: str | None
    created_at: UtcDateTime
    created_by: str
    submitted_at: UtcDateTime | None
    issued_at: UtcDateTime | None
    refused_at: UtcDateTime | None
    withdrawn_at: UtcDateTime | None
    version: int

    @classmethod
    def of(cls, row: Any) -> "PermitApplicationRead":
        """An application's row as read, or as a handler wrote it (a dict)."""
        return cls.model_validate(row._mapping if hasattr(row, "_mapping") else row)
