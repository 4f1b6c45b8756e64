"""Request and response models of the permits service."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from pydantic import Field

from services.permits.domain import (
    ApplicationStatus,
    CaseStatus,
    EntryVisa,
    PermitKind,
    PlacementStatus,
    Relation,
    SchoolType,
    SlaState,
)
from shared.schemas import Input, Output, UtcDateTime

# -- green-channel cases (R-GREEN) ---------------------------------------------------------------

class CaseRead(Output):
    """A green-channel case (绿色通道) and where it stands against its service-level target."""

    id: uuid.UUID
    application_id: uuid.UUID
    expert_id: uuid.UUID
    employer_id: uuid.UUID
    track: str
    contract_start: date
    contract_end: date
    status: CaseStatus
    opened_at: UtcDateTime
    sla_working_days: int
    due_by: date
    documents_issued_at: UtcDateTime | None
    sla_state: SlaState
    revoked_at: UtcDateTime | None
    revoked_by_breach_id: uuid.UUID | None


class CaseSla(Output):
    case_id: uuid.UUID
    expert_id: uuid.UUID
    opened_at: UtcDateTime
    due_by: date
    documents_issued_on: date | None
    sla_state: SlaState
    working_days_taken: int | None
    """Working days from opening to issue, for issued cases."""


class SlaReport(Output):
    """R-GREEN: every open (not revoked) case against its target, as of a Beijing calendar day."""

    as_of: date
    on_time: int
    late: int
    open: int
    overdue: int
    cases: list[CaseSla]


# -- permit applications (R-PERMIT) --------------------------------------------------------------

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


class RemindersSent(Output):
    today: date
    sent: list[dict]


# -- school placement (R-SCHOOL) -----------------------------------------------------------------

class SchoolPlacementCreate(Input):
    child_name: Annotated[str, Field(min_length=1, max_length=200)]
    date_of_birth: date
    preferred_school_type: SchoolType
    preferred_district: Annotated[str | None, Field(max_length=40)] = None
    grade: Annotated[str | None, Field(max_length=40)] = None
    note: Annotated[str | None, Field(max_length=1000)] = None


class SchoolPlacementStep(Input):
    note: Annotated[str | None, Field(max_length=1000)] = None


class SchoolPlaced(Input):
    school_name: Annotated[str, Field(min_length=1, max_length=300)]
    school_type: SchoolType
    note: Annotated[str | None, Field(max_length=1000)] = None


class SchoolPlacementRead(Output):
    id: uuid.UUID
    case_id: uuid.UUID
    child_name: str
    date_of_birth: date
    preferred_school_type: SchoolType
    preferred_district: str | None
    grade: str | None
    status: PlacementStatus
    school_name: str | None
    school_type: SchoolType | None
    note: str | None
    requested_at: UtcDateTime
    requested_by: str
    updated_at: UtcDateTime
