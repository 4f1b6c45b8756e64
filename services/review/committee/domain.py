"""The committee's rules (R-COMMITTEE, R-ELIG, R-WAGE-TOTAL) and the funding-plan assumptions; no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from shared.events.common import ContractTerms, Track


class SeatType(StrEnum):
    """The five seats of the review committee (评审委员会, R-COMMITTEE)."""

    expert = "expert"
    organization = "organization"
    development_reform = "development_reform"
    science_technology = "science_technology"
    industry = "industry"


class CaseState(StrEnum):
    """A case from FormalReviewPassed: awaiting a sitting, on a sitting's agenda, then decided."""

    awaiting_sitting = "awaiting_sitting"
    on_agenda = "on_agenda"
    approved = "approved"
    declined = "declined"


class Outcome(StrEnum):
    """What the committee decided on a case (a decision's ``outcome``)."""

    approved = "approved"
    declined = "declined"


CRITERIA = ("achievements", "renown", "recognition", "need")
"""R-ELIG (Art. 4): outstanding achievements, high renown, general recognition, urgent need."""

WAGE_BILL_NOTE = (
    "R-WAGE-TOTAL (Art. 10(1)): the employer is a municipal state-owned unit; the expert's pay may be "
    "listed outside the unit's annual total wage bill."
)


def missing_seats(present_seats: set[str]) -> list[str]:
    """The seat types not present; R-COMMITTEE: a sitting decides only with all five present."""
    return [seat.value for seat in SeatType if seat.value not in present_seats]


@dataclass(frozen=True)
class Tally:
    eligible: int
    """Present members who did not declare a conflict: the base of the majority."""
    votes_for: int
    votes_against: int
    recused: int

    @property
    def approved(self) -> bool:
        # R-COMMITTEE: approval needs a majority of the non-recused members (more than half).
        return self.eligible > 0 and self.votes_for * 2 > self.eligible


def average_scores(scores: list[dict[str, int]]) -> dict[str, Decimal]:
    if not scores:
        return {}
    return {c: (Decimal(sum(s[c] for s in scores)) / len(scores)).quantize(Decimal("0.01")) for c in CRITERIA}


def decline_reasons(tally: Tally, averages: dict[str, Decimal]) -> list[str]:
    """What goes back to the employer when the committee does not select the candidate."""
    reasons = [
        f"the committee did not reach a majority of its {tally.eligible} non-recused members "
        f"({tally.votes_for} for, {tally.votes_against} against) (R-COMMITTEE)"
    ]
    if averages:
        weakest = min(CRITERIA, key=lambda c: averages[c])
        reasons.append(f"weakest R-ELIG criterion: {weakest} (average score {averages[weakest]} of 10)")
    return reasons


def first_contract_year_end(contract: ContractTerms) -> date:
    """The end of the first contract year, which picks the policy version the quote uses (R-EFFECTIVE)."""
    start = contract.start
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        anniversary = start.replace(year=start.year + 1, day=28)
    return min(contract.end, anniversary - timedelta(days=1))


def quote_request(track: Track, contract: ContractTerms, *, cap_exception_amount: Decimal | None = None,
                  medical_premium: Decimal = Decimal("0")) -> dict[str, Any]:
    """The subsidy quote for an estimated year of the approved contract (资助方案, R-COMMITTEE).

    Assumptions, since nothing has been paid yet when the committee decides: the year quoted is the
    first contract year; the salary paid (Art. 11), the remuneration (Art. 12) and the agreed salary
    (Art. 13) are the contract's annual salary; the medical premium is a parameter (0 unless
    configured); Art. 11 assumes no Thousand Talents subsidy, pay not funded by municipal finance and
    the contract performed; Art. 12 assumes 365 days in Beijing, a "qualified" evaluation and the first
    consecutive year; Art. 13 assumes the whole contract period in Beijing (at most 366 days) and no
    travel or living costs yet known. The actual amounts are assessed on the annual claims.
    """
    body: dict[str, Any] = {"track": track.value, "period_end": first_contract_year_end(contract).isoformat()}
    salary = str(contract.annual_salary)
    if track is Track.haiju_long_term:
        body |= {
            "salary_paid": salary,
            "medical_premium_paid": str(medical_premium),
            "thousand_talents_salary_subsidy": False,
            "salary_funded_by_municipal_finance": False,
            "contract_fulfilled": True,
        }
        if cap_exception_amount is not None:
            body["cap_exception_amount"] = str(cap_exception_amount)
    elif track is Track.key_industry_recurring:
        body |= {"remuneration": salary, "days_in_beijing": 365, "performance": "qualified", "consecutive_year": 1}
    else:
        days = min((contract.end - contract.start).days + 1, 366)
        body |= {
            "days_in_beijing": days,
            "international_travel_cost": "0",
            "living_cost": "0",
            "agreed_salary": salary,
            "medical_premium_paid": str(medical_premium),
        }
    return body
