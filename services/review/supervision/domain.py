"""Rules of supervision without I/O (R-SUPERVISE, R-SUB-RECURRING): contract terms, evaluation years, breach states."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class RuleViolation(Exception):
    """Well-formed input a rule refuses; names the field it is about."""

    def __init__(self, field: str, message: str, kind: str, rule: str | None = None) -> None:
        super().__init__(message)
        self.field, self.message, self.kind, self.rule = field, message, kind, rule


class TransitionRefused(Exception):
    """An action the current state does not allow."""

    def __init__(self, action: str, state: str, allowed_from: tuple[str, ...]) -> None:
        super().__init__(f"cannot {action} a breach that is {state} (only one that is {' or '.join(allowed_from)})")
        self.action, self.state, self.allowed_from = action, state, allowed_from


@dataclass(frozen=True)
class Terms:
    start: date
    end: date
    annual_salary: Decimal


@dataclass(frozen=True)
class Difference:
    field: str
    approved: str
    signed: str


def contract_differences(approved: Terms, signed: Terms) -> list[Difference]:
    """The terms of the signed contract that differ from those the committee approved."""
    pairs = (
        ("start", approved.start.isoformat(), signed.start.isoformat()),
        ("end", approved.end.isoformat(), signed.end.isoformat()),
        ("annual_salary", f"{approved.annual_salary:.2f}", f"{signed.annual_salary:.2f}"),
    )
    return [Difference(name, a, s) for name, a, s in pairs if a != s]


def check_contract(terms: Terms, *, signed_on: date, today: date) -> None:
    if terms.end <= terms.start:
        raise RuleViolation("end", "the contract ends on or before its start", "contract_period")
    if signed_on > today:
        raise RuleViolation("signed_on", "a contract cannot be signed in the future", "date_in_future")
    if signed_on > terms.end:
        raise RuleViolation("signed_on", "the contract was signed after its own end", "signed_after_end")


def check_evaluation_year(funding_year: int, *, terms: Terms, today: date) -> None:
    """R-SUB-RECURRING: a work year is evaluated after it started, and only within the contract."""
    if funding_year > today.year:
        raise RuleViolation("funding_year", f"{funding_year} has not started yet", "year_in_future",
                            "R-SUB-RECURRING")
    if not terms.start.year <= funding_year <= terms.end.year:
        raise RuleViolation(
            "funding_year",
            f"{funding_year} is outside the contract ({terms.start.isoformat()} to {terms.end.isoformat()})",
            "year_outside_contract", "R-SUB-RECURRING",
        )


class BreachState(StrEnum):
    """违反合同约定: reported by the employer or an officer, then confirmed or dismissed by an officer;
    a confirmed breach can be withdrawn on appeal."""

    reported = "reported"
    confirmed = "confirmed"
    dismissed = "dismissed"
    withdrawn = "withdrawn"


class AppealState(StrEnum):
    open = "open"
    upheld = "upheld"
    dismissed = "dismissed"


BREACH_ACTIONS: dict[str, tuple[BreachState, ...]] = {
    "confirm": (BreachState.reported,),
    "dismiss": (BreachState.reported,),
    "withdraw": (BreachState.confirmed,),
    "appeal": (BreachState.confirmed,),
}
"""From which states each action on a breach is allowed; only a confirmed breach revokes, so only it is
appealed or withdrawn."""

AFTER_ACTION: dict[str, BreachState] = {
    "confirm": BreachState.confirmed,
    "dismiss": BreachState.dismissed,
    "withdraw": BreachState.withdrawn,
}


def check_breach_action(action: str, state: str) -> None:
    allowed = BREACH_ACTIONS[action]
    if state not in allowed:
        raise TransitionRefused(action, state, tuple(s.value for s in allowed))


def check_breach_date(breach_date: date, *, terms: Terms, today: date) -> None:
    """R-SUPERVISE: a breach happened, under the contract: not in the future, not outside the contract."""
    if breach_date > today:
        raise RuleViolation("breach_date", "a breach cannot be dated in the future", "date_in_future", "R-SUPERVISE")
    if not terms.start <= breach_date <= terms.end:
        raise RuleViolation(
            "breach_date",
            f"the breach is dated outside the contract ({terms.start.isoformat()} to {terms.end.isoformat()})",
            "date_outside_contract", "R-SUPERVISE",
        )
