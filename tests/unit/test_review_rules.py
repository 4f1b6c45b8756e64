"""The committee's pure rules: majority of the non-recused (R-COMMITTEE), seats, and the plan's quote request."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.review.committee import domain
from shared.events.common import ContractTerms, Track

pytestmark = pytest.mark.unit

CONTRACT = ContractTerms(start=date(2024, 6, 1), end=date(2027, 5, 31), annual_salary=Decimal("850000.00"))


@pytest.mark.parametrize("eligible,votes_for,approved", [
    (5, 3, True), (5, 2, False), (4, 2, False), (4, 3, True), (1, 1, True), (0, 0, False),
])
def test_r_committee_approval_needs_more_than_half_of_the_non_recused(eligible, votes_for, approved):
    tally = domain.Tally(eligible=eligible, votes_for=votes_for, votes_against=eligible - votes_for, recused=1)
    assert tally.approved is approved


def test_r_committee_every_seat_type_must_be_present():
    assert domain.missing_seats({"expert", "organization", "development_reform", "science_technology"}) == ["industry"]
    assert domain.missing_seats({s.value for s in domain.SeatType}) == []


def test_plan_quotes_the_first_contract_year_from_the_annual_salary():
    body = domain.quote_request(Track.haiju_long_term, CONTRACT, cap_exception_amount=Decimal("300000"))
    assert body["period_end"] == "2025-05-31"
    assert body["salary_paid"] == "850000.00"
    assert body["cap_exception_amount"] == "300000"
    recurring = domain.quote_request(Track.key_industry_recurring, CONTRACT)
    assert (recurring["remuneration"], recurring["days_in_beijing"], recurring["performance"]) == \
        ("850000.00", 365, "qualified")
    short = domain.quote_request(Track.short_term, ContractTerms(start=date(2024, 6, 1), end=date(2024, 8, 29),
                                                                 annual_salary=Decimal("90000")))
    assert (short["days_in_beijing"], short["period_end"]) == (90, "2024-08-29")


def test_first_contract_year_of_a_leap_day_start_ends_the_day_before_the_anniversary():
    contract = ContractTerms(start=date(2024, 2, 29), end=date(2030, 1, 1), annual_salary=Decimal("1"))
    assert domain.first_contract_year_end(contract) == date(2025, 2, 27)
