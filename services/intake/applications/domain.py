"""Rules of applications that need no I/O: their states, who may act on one, where it is routed, the refusals."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from shared import clock
from shared.auth import Principal, Role, competent_department, district_bureau
from shared.errors import Conflict, Forbidden, PreconditionFailed, Unprocessable


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
    return (principal.is_officer or principal.acts_for(Role.employer, application.employer_id)
            or principal.acts_for(Role.preliminary_reviewer, application.preliminary_reviewer))


def sees_passport(principal: Principal, application) -> bool:
    """The owning employer, the preliminary reviewer it was submitted to, and bureau officers (not an
    administrator as such)."""
    return (principal.has_any(Role.bureau_officer) or principal.acts_for(Role.employer, application.employer_id)
            or principal.acts_for(Role.preliminary_reviewer, application.preliminary_reviewer))


def is_reviewer(principal: Principal, application) -> bool:
    """Reviewers are told of possible duplicates (R-APPLY); employers are not."""
    return principal.is_officer or principal.acts_for(Role.preliminary_reviewer, application.preliminary_reviewer)


def owner_only(principal: Principal, application) -> None:
    if not principal.acts_for(Role.employer, application.employer_id):
        raise Forbidden("only the employer that drafted the application may do this")


def employer_id_of(principal: Principal) -> uuid.UUID:
    """The employer an employer's token acts for (its organisation is the employer id)."""
    try:
        return uuid.UUID(principal.organisation or "")
    except ValueError:
        raise Forbidden("the token's organisation is not an employer id") from None


class PreconditionRequired(PreconditionFailed):
    """RFC 6585: an edit must say which version it was made on (If-Match)."""

    status, slug, title = 428, "precondition-required", "Precondition required"


def unprocessable(field: str, message: str) -> Unprocessable:
    """A 422 naming the field, in the shape request validation uses (``errors[].field``)."""
    return Unprocessable(message, field=field, errors=[{"field": field, "message": message, "type": "rule"}])


def conflict(action: str, state: str) -> Conflict:
    return Conflict(f"cannot {action}: the application is {state}", current_state=state)


def unknown_employer(employer_id: uuid.UUID) -> Forbidden:
    return Forbidden(f"employer {employer_id} is not in the registry (or has not reached intake yet)")


def unknown_entry(entry_id: uuid.UUID) -> Unprocessable:
    return unprocessable("catalogue_entry_id", f"no catalogue entry {entry_id} (R-CATALOGUE)")
