"""Rules of green-channel cases that need no I/O (R-GREEN, Art. 10(2)): where a case stands against its
service-level target, who may see it, and what a revoked case refuses (R-SUPERVISE)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from services.permits.domain import CaseStatus
from shared.auth import Principal, Role
from shared.errors import Conflict


class SlaState(StrEnum):
    """Where a case stands against its service-level target (R-GREEN)."""

    on_time = "on_time"
    """The expert's work documents were issued on or before the due date."""
    late = "late"
    """Issued, after the due date."""
    open = "open"
    """Not issued yet, and the due date has not passed."""
    overdue = "overdue"
    """Not issued yet, and the due date has passed."""


def sla_state(*, due_by: date, documents_issued_on: date | None, today: date) -> SlaState:
    """R-GREEN: on time, late, open or overdue, judged on Beijing calendar days."""
    if documents_issued_on is not None:
        return SlaState.on_time if documents_issued_on <= due_by else SlaState.late
    return SlaState.open if today <= due_by else SlaState.overdue


def may_see_case(principal: Principal, case) -> bool:
    """Officers, and the case's employer acting for itself."""
    return principal.is_officer or principal.acts_for(Role.employer, case.employer_id)


def refuse_in_revoked_case(case) -> None:
    """R-SUPERVISE: nothing more is filed or requested in a case revoked after a contract breach."""
    if case.status == CaseStatus.revoked.value:
        raise Conflict("the case was revoked after a contract breach (R-SUPERVISE)", current_state=case.status)
