"""Request and response models of green-channel cases (R-GREEN)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from services.permits.cases.domain import SlaState, sla_state
from services.permits.domain import CaseStatus, beijing_date
from shared.events.common import Track
from shared.schemas import Output, UtcDateTime


class PermitCaseRead(Output):
    """A green-channel case (绿色通道) and where it stands against its service-level target."""

    id: uuid.UUID
    application_id: uuid.UUID
    expert_id: uuid.UUID
    employer_id: uuid.UUID
    track: Track
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

    @classmethod
    def of(cls, row: Any, today: date) -> "PermitCaseRead":
        """A case's row, with its SLA state as of ``today`` (a Beijing calendar day)."""
        issued_on = beijing_date(row.documents_issued_at) if row.documents_issued_at else None
        state = sla_state(due_by=row.due_by, documents_issued_on=issued_on, today=today)
        return cls.model_validate({**row._mapping, "sla_state": state})


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
