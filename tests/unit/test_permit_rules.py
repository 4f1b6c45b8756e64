"""R-PERMIT (Art. 10(3)) at its boundaries: validity in [2, 5] calendar years, contracts, dependants."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.permits.applications.domain import (
    POLICY_2014,
    EntryVisa,
    PermitPolicy,
    Relation,
    dependant_term,
    principal_term,
)
from services.permits.domain import add_years
from shared.errors import Unprocessable

pytestmark = pytest.mark.unit

DAY = timedelta(days=1)
START = date(2025, 3, 1)
LONG_CONTRACT_END = date(2031, 3, 1)  # six years: never the binding limit unless a test says so


def principal(**overrides):
    arguments = dict(
        contract_start=START, contract_end=LONG_CONTRACT_END, valid_from=START,
        valid_until=date(2028, 3, 1), entry_visa=EntryVisa.z,
    )
    arguments.update(overrides)
    return principal_term(**arguments)


def dependant(**overrides):
    arguments = dict(
        relation=Relation.spouse, application_date=START, valid_from=START,
        valid_until=date(2028, 3, 1), principal_valid_until=date(2028, 3, 1),
    )
    arguments.update(overrides)
    return dependant_term(**arguments)


def refused(call, **overrides) -> dict:
    """The refusal's problem extensions; fails the test if the rules accept."""
    with pytest.raises(Unprocessable) as caught:
        call(**overrides)
    assert caught.value.extensions["rule"] == "R-PERMIT"
    assert caught.value.status == 422
    return {"field": caught.value.extensions["field"], "detail": caught.value.detail}


# -- calendar years -----------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "years", "expected"), [
    (date(2025, 3, 1), 2, date(2027, 3, 1)),
    (date(2024, 2, 29), 2, date(2026, 2, 28)),  # no 29 February in 2026
    (date(2024, 2, 29), 4, date(2028, 2, 29)),
    (date(2023, 2, 28), 1, date(2024, 2, 28)),
    (date(2025, 12, 31), 5, date(2030, 12, 31)),
])
def test_r_permit_years_are_calendar_years_with_feb_29_becoming_feb_28(day, years, expected):
    assert add_years(day, years) == expected


# -- validity in [2, 5] years -------------------------------------------------------------------

def test_r_permit_validity_of_exactly_2_years_is_accepted():
    term = principal(valid_until=date(2027, 3, 1))

    assert (term.valid_from, term.valid_until) == (START, date(2027, 3, 1))


def test_r_permit_validity_of_exactly_5_years_is_accepted():
    assert principal(valid_until=date(2030, 3, 1)).valid_until == date(2030, 3, 1)


def test_r_permit_validity_of_2_years_minus_one_day_is_refused():
    refusal = refused(principal, valid_until=date(2027, 3, 1) - DAY)

    assert refusal["field"] == "valid_until"
    assert "R-PERMIT" in refusal["detail"] and "2027-03-01" in refusal["detail"]


def test_r_permit_validity_of_5_years_plus_one_day_is_refused():
    refusal = refused(principal, valid_until=date(2030, 3, 1) + DAY)

    assert refusal["field"] == "valid_until"
    assert "2030-03-01" in refusal["detail"]


def test_r_permit_validity_from_feb_29_may_end_on_feb_28_two_years_later():
    leap = date(2024, 2, 29)

    term = principal(contract_start=leap, valid_from=leap, contract_end=date(2030, 1, 1),
                     valid_until=date(2026, 2, 28))

    assert term.valid_until == date(2026, 2, 28)
    assert refused(principal, contract_start=leap, valid_from=leap, contract_end=date(2030, 1, 1),
                   valid_until=date(2026, 2, 27))["field"] == "valid_until"


# -- the contract -------------------------------------------------------------------------------

def test_r_permit_contract_of_23_months_does_not_qualify():
    refusal = refused(principal, contract_end=date(2027, 2, 1), valid_until=date(2027, 2, 1))

    assert refusal["field"] == "contract_end"
    assert "shorter than 2 years" in refusal["detail"]


def test_r_permit_contract_of_2_years_minus_one_day_does_not_qualify():
    assert refused(principal, contract_end=date(2027, 2, 28), valid_until=date(2027, 3, 1))["field"] == "contract_end"


def test_r_permit_contract_of_exactly_2_years_qualifies_with_a_2_year_permit():
    term = principal(contract_end=date(2027, 3, 1), valid_until=date(2027, 3, 1))

    assert term.valid_until == date(2027, 3, 1)


def test_r_permit_validity_never_runs_past_the_contract_end():
    contract_end = date(2029, 6, 30)

    assert principal(contract_end=contract_end, valid_until=contract_end).valid_until == contract_end
    refusal = refused(principal, contract_end=contract_end, valid_until=contract_end + DAY)
    assert refusal["field"] == "valid_until"
    assert "contract" in refusal["detail"]


def test_r_permit_contract_ending_before_it_starts_is_refused():
    assert refused(principal, contract_end=START - DAY)["field"] == "contract_end"


# -- the entry visa -----------------------------------------------------------------------------

@pytest.mark.parametrize("visa", list(EntryVisa))
def test_r_permit_any_entry_visa_type_is_accepted_directly_non_z_included(visa):
    assert principal(entry_visa=visa).valid_until == date(2028, 3, 1)
    assert principal(entry_visa=visa.value).valid_until == date(2028, 3, 1)


def test_unknown_visa_category_is_malformed_input_naming_the_field():
    with pytest.raises(Unprocessable) as caught:
        principal(entry_visa="TOURIST")

    assert caught.value.extensions["field"] == "entry_visa"


# -- dependants: who --------------------------------------------------------------------------

@pytest.mark.parametrize("relation", ["parent", "sibling", "partner", "grandchild"])
def test_r_permit_only_spouse_and_children_are_dependants(relation):
    refusal = refused(dependant, relation=relation)

    assert refusal["field"] == "relation"


def test_r_permit_spouse_gets_a_dependant_permit():
    term = dependant(relation=Relation.spouse)

    assert term.relation is Relation.spouse
    assert term.turns_adult_within_validity is False


# -- dependants: a child under 18 on the application date --------------------------------------

APPLIED = date(2025, 3, 1)
BORN_18_YEARS_BEFORE = date(2007, 3, 1)


def child(date_of_birth: date, **overrides):
    return dependant(relation=Relation.child, application_date=APPLIED, date_of_birth=date_of_birth, **overrides)


def test_r_permit_child_one_day_short_of_18_on_the_application_date_is_accepted_and_flagged():
    term = child(BORN_18_YEARS_BEFORE + DAY)  # turns 18 the day after applying

    assert term.turns_adult_on == APPLIED + DAY
    assert term.turns_adult_within_validity is True


def test_r_permit_child_turning_18_on_the_application_date_is_refused():
    refusal = refused(child, date_of_birth=BORN_18_YEARS_BEFORE)

    assert refusal["field"] == "date_of_birth"
    assert "under 18" in refusal["detail"]


def test_r_permit_child_older_than_18_is_refused():
    assert refused(child, date_of_birth=date(2000, 1, 1))["field"] == "date_of_birth"


def test_r_permit_child_who_turns_18_after_the_permit_expires_is_not_flagged():
    term = child(date(2015, 6, 1))  # turns 18 in 2033; the permit ends 2028-03-01

    assert term.turns_adult_on == date(2033, 6, 1)
    assert term.turns_adult_within_validity is False


def test_r_permit_child_turning_18_on_the_expiry_date_is_flagged():
    term = child(date(2010, 3, 1))  # turns 18 on 2028-03-01, the expiry date

    assert term.turns_adult_within_validity is True


def test_r_permit_child_born_on_feb_29_turns_18_on_feb_28_of_a_common_year():
    born = date(2008, 2, 29)

    assert refused(dependant, relation=Relation.child, application_date=date(2026, 2, 28),
                   date_of_birth=born)["field"] == "date_of_birth"
    term = dependant(relation=Relation.child, application_date=date(2026, 2, 27), date_of_birth=born,
                     valid_from=date(2026, 2, 27), valid_until=date(2028, 2, 27),
                     principal_valid_until=date(2029, 1, 1))
    assert term.turns_adult_on == date(2026, 2, 28)


def test_r_permit_child_without_date_of_birth_is_refused():
    assert refused(dependant, relation=Relation.child)["field"] == "date_of_birth"


# -- dependants: never past the principal -------------------------------------------------------

def test_r_permit_dependant_ending_with_the_principal_is_accepted():
    assert dependant(valid_until=date(2028, 3, 1), principal_valid_until=date(2028, 3, 1)).valid_until == date(2028, 3, 1)


def test_r_permit_dependant_one_day_past_the_principal_is_refused():
    refusal = refused(dependant, valid_until=date(2028, 3, 2), principal_valid_until=date(2028, 3, 1))

    assert refusal["field"] == "valid_until"
    assert "principal" in refusal["detail"]


def test_r_permit_dependant_validity_is_also_within_2_to_5_years():
    assert refused(dependant, valid_until=date(2027, 2, 28))["field"] == "valid_until"
    assert refused(dependant, valid_until=date(2030, 3, 2), principal_valid_until=date(2031, 1, 1))["field"] == "valid_until"


# -- the parameters belong to the policy version ------------------------------------------------

def test_r_permit_limits_are_parameters_of_the_policy_version():
    assert (POLICY_2014.min_validity_years, POLICY_2014.max_validity_years) == (2, 5)
    stricter = PermitPolicy(max_validity_years=3, child_age_limit_years=16)

    assert refused(principal, valid_until=date(2028, 3, 2), policy=stricter)["field"] == "valid_until"
    assert refused(child, date_of_birth=date(2009, 3, 1), policy=stricter)["field"] == "date_of_birth"
    assert child(date(2009, 3, 1)).turns_adult_on == date(2027, 3, 1)
