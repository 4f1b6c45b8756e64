"""Rules of intake that need no I/O: the application's states, who may act on it, where it is routed."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from shared import clock
from shared.auth import Principal, Role, competent_department, district_bureau


class State(StrEnum):
    """An application's life (R-APPLY, R-FORMAL, R-COMMITTEE)."""

    draft = "draft"
    preliminary_review = "preliminary_review"
    returned = "returned"
    formal_review = "formal_review"
    awaiting_committee = "awaiting_committee"
    rejected = "rejected"
    approved = "approved"
    declined = "declined"


EDITABLE = frozenset({State.draft, State.returned})
"""R-APPLY: the employer edits only before submission, or after a return for correction."""

CLOSED = frozenset({State.rejected, State.declined})
"""Not live: a second application with the same passport number is no longer a duplicate of these."""


class Outcome(StrEnum):
    pass_ = "pass"
    return_ = "return"
    reject = "reject"


AFTER_PRELIMINARY = {Outcome.pass_: State.formal_review, Outcome.return_: State.returned,
                     Outcome.reject: State.rejected}
AFTER_FORMAL = {Outcome.pass_: State.awaiting_committee, Outcome.return_: State.returned,
                Outcome.reject: State.rejected}

FORMAL_CHECKLIST = (
    "application_form",
    "passport_copy",
    "contract_terms",
    "peer_recommendation",
    "intent_record",
    "catalogue_entry",
)
"""R-FORMAL (形式审查): what the bureau checks for completeness and form before a pass."""


def preliminary_reviewer_of(*, district: str, competent_department_name: str | None) -> str:
    """R-APPLY: the employer's competent department (主管部门) where it has one, else its district HR bureau."""
    if competent_department_name:
        return competent_department(competent_department_name)
    return district_bureau(district)


def today_in_beijing(now: datetime | None = None) -> date:
    """Submission dates are Beijing business dates (the platform's one clock)."""
    return clock.beijing_today() if now is None else clock.beijing_date(now)


def catalogue_entry_problem(entry, on: date) -> str | None:
    """R-CATALOGUE: why ``entry`` (intake's replica row, or None) cannot be cited on ``on``; None if it can."""
    if entry is None or entry.published_at is None:
        if entry is not None and entry.withdrawn_at is not None:
            return "the catalogue entry was withdrawn (R-CATALOGUE)"
        return "no published catalogue entry with this id (R-CATALOGUE)"
    if entry.withdrawn_at is not None:
        return f"the catalogue entry was withdrawn: {entry.withdrawal_reason} (R-CATALOGUE)"
    if on < entry.valid_from:
        return f"the catalogue entry is valid from {entry.valid_from}, not yet on {on} (R-CATALOGUE)"
    if on > entry.valid_until:
        return f"the catalogue entry expired on {entry.valid_until} (R-CATALOGUE)"
    return None


def can_read(principal: Principal, application) -> bool:
    """An employer its own; a preliminary reviewer what was submitted to it; officers all."""
    if principal.has_any(Role.bureau_officer, Role.admin):
        return True
    if principal.has_any(Role.employer) and principal.organisation == str(application.employer_id):
        return True
    return bool(
        principal.has_any(Role.preliminary_reviewer)
        and application.preliminary_reviewer is not None
        and principal.organisation == application.preliminary_reviewer
    )


def sees_passport(principal: Principal, application) -> bool:
    """The owning employer, the preliminary reviewer it was submitted to, and bureau officers."""
    if principal.has_any(Role.bureau_officer):
        return True
    if principal.has_any(Role.employer) and principal.organisation == str(application.employer_id):
        return True
    return bool(principal.has_any(Role.preliminary_reviewer) and application.preliminary_reviewer is not None
                and principal.organisation == application.preliminary_reviewer)


def is_reviewer(principal: Principal, application) -> bool:
    """Reviewers are told of possible duplicates (R-APPLY); employers are not."""
    return principal.has_any(Role.bureau_officer, Role.admin) or (
        principal.has_any(Role.preliminary_reviewer) and principal.organisation == application.preliminary_reviewer
    )
