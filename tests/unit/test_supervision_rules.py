"""Supervision rules without I/O (R-SUPERVISE, R-SUB-RECURRING): contract terms, evaluation years."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.review.supervision import domain

pytestmark = pytest.mark.unit

APPROVED = domain.Terms(start=date(2024, 6, 1), end=date(2027, 5, 31), annual_salary=Decimal("850000.00"))
TODAY = date(2026, 11, 27)


def test_R_SUPERVISE_identical_terms_differ_in_nothing_even_written_otherwise():
    signed = domain.Terms(start=date(2024, 6, 1), end=date(2027, 5, 31), annual_salary=Decimal("850000"))

    assert domain.contract_differences(APPROVED, signed) == []


def test_R_SUPERVISE_each_differing_term_is_named_with_both_values():
    signed = domain.Terms(start=date(2024, 7, 1), end=date(2027, 5, 31), annual_salary=Decimal("849999.99"))

    assert domain.contract_differences(APPROVED, signed) == [
        domain.Difference("start", "2024-06-01", "2024-07-01"),
        domain.Difference("annual_salary", "850000.00", "849999.99"),
    ]


@pytest.mark.parametrize(("terms", "signed_on", "today", "kind"), [
    (domain.Terms(date(2024, 6, 1), date(2024, 6, 1), Decimal(1)), date(2024, 5, 1), TODAY, "contract_period"),
    (APPROVED, date(2026, 11, 28), TODAY, "date_in_future"),
    (APPROVED, date(2027, 6, 1), date(2027, 12, 31), "signed_after_end"),
])
def test_a_contract_that_ends_before_it_starts_or_is_signed_later_than_possible_is_refused(terms, signed_on, today,
                                                                                            kind):
    with pytest.raises(domain.RuleViolation) as refused:
        domain.check_contract(terms, signed_on=signed_on, today=today)

    assert refused.value.kind == kind
    assert refused.value.field == ("end" if kind == "contract_period" else "signed_on")


def test_a_contract_signed_today_after_its_start_is_accepted():
    domain.check_contract(APPROVED, signed_on=TODAY, today=TODAY)


@pytest.mark.parametrize(("year", "kind"), [(2023, "year_outside_contract"), (2028, "year_in_future"),
                                            (2027, "year_in_future")])
def test_R_SUB_RECURRING_only_a_started_year_within_the_contract_is_evaluated(year, kind):
    with pytest.raises(domain.RuleViolation) as refused:
        domain.check_evaluation_year(year, terms=APPROVED, today=TODAY)

    assert (refused.value.field, refused.value.kind, refused.value.rule) == ("funding_year", kind, "R-SUB-RECURRING")


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_R_SUB_RECURRING_the_contract_years_up_to_this_one_are_evaluated(year):
    domain.check_evaluation_year(year, terms=APPROVED, today=TODAY)
