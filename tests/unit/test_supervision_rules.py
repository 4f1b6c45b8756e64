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


@pytest.mark.parametrize(("action", "state"), [
    ("confirm", "confirmed"), ("confirm", "dismissed"), ("confirm", "withdrawn"),
    ("dismiss", "confirmed"), ("withdraw", "reported"), ("withdraw", "withdrawn"),
    ("appeal", "reported"), ("appeal", "dismissed"), ("appeal", "withdrawn"),
])
def test_R_SUPERVISE_a_refused_breach_action_names_the_current_state(action, state):
    with pytest.raises(domain.TransitionRefused) as refused:
        domain.check_breach_action(action, state)

    assert refused.value.state == state
    assert state in str(refused.value)


@pytest.mark.parametrize(("action", "state"), [
    ("confirm", "reported"), ("dismiss", "reported"), ("withdraw", "confirmed"), ("appeal", "confirmed"),
])
def test_R_SUPERVISE_only_a_confirmed_breach_is_appealed_or_withdrawn(action, state):
    domain.check_breach_action(action, state)


@pytest.mark.parametrize(("breach_date", "kind"), [
    (date(2026, 11, 28), "date_in_future"), (date(2024, 5, 31), "date_outside_contract"),
])
def test_R_SUPERVISE_a_breach_is_dated_within_the_contract_and_not_in_the_future(breach_date, kind):
    with pytest.raises(domain.RuleViolation) as refused:
        domain.check_breach_date(breach_date, terms=APPROVED, today=TODAY)

    assert (refused.value.field, refused.value.kind) == ("breach_date", kind)


def test_R_SUPERVISE_a_breach_on_the_first_day_of_the_contract_or_today_is_accepted():
    domain.check_breach_date(APPROVED.start, terms=APPROVED, today=TODAY)
    domain.check_breach_date(TODAY, terms=APPROVED, today=TODAY)
