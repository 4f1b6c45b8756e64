"""Table tests of the money of Articles 11-13 (R-SUB-*), on the 2014 parameters exactly as the migration seeds them."""

from __future__ import annotations

import ast
import importlib.util
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from services.subsidy.entitlements import domain
from services.subsidy.entitlements.domain import HaijuInputs, PolicyParameters, RecurringInputs, ShortTermInputs

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "services/subsidy/migrations/versions/2026-11-27_0002_policy_versions.py"


def _seed_module():
    spec = importlib.util.spec_from_file_location("subsidy_seed_0002", SEED)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SEED_MODULE = _seed_module()
P2014 = PolicyParameters.model_validate(SEED_MODULE.MEASURES_2014)
VERSION = SEED_MODULE.MEASURES_2014_ID


def haiju(**overrides) -> HaijuInputs:
    values = dict(salary_paid=D("850000.00"), medical_premium_paid=D("12000.00"),
                  thousand_talents_salary_subsidy=False, salary_funded_by_municipal_finance=False,
                  contract_fulfilled=True)
    values.update({k: D(v) if isinstance(v, str) else v for k, v in overrides.items()})
    return HaijuInputs(**values)


def recurring(**overrides) -> RecurringInputs:
    values = dict(remuneration=D("100000.00"), days_in_beijing=45, performance="good", consecutive_year=1)
    values.update({k: D(v) if isinstance(v, str) and k != "performance" else v for k, v in overrides.items()})
    return RecurringInputs(**values)


def short(**overrides) -> ShortTermInputs:
    values = dict(days_in_beijing=20, international_travel_cost=D("15000.00"), living_cost=D("8000.00"),
                  agreed_salary=D("50000.00"), medical_premium_paid=D("3000.00"))
    values.update({k: D(v) if isinstance(v, str) else v for k, v in overrides.items()})
    return ShortTermInputs(**values)


def items(inputs, parameters=P2014) -> dict[str, domain.Item]:
    result = domain.quote(parameters, inputs, policy_version=VERSION)
    return {item.code: item for item in result.items}


def amounts(inputs, parameters=P2014) -> dict[str, D]:
    return {code: item.amount for code, item in items(inputs, parameters).items()}


def with_parameters(**sections) -> PolicyParameters:
    """The 2014 parameters with some values changed, e.g. ``short_term={"travel_cap": "8000"}``."""
    data = {k: (dict(v) if isinstance(v, dict) else v) for k, v in SEED_MODULE.MEASURES_2014.items()}
    for section, changes in sections.items():
        data[section].update(changes)
    return PolicyParameters.model_validate(data)


# -- the seeded policy is the text ----------------------------------------------------------

def test_seeded_2014_version_carries_the_figures_of_articles_11_to_13():
    assert VERSION == "2014-03-01"
    h, r, s = P2014.haiju_long_term, P2014.key_industry_recurring, P2014.short_term
    assert (h.salary_rate, h.salary_yearly_cap, h.medical_yearly_cap) == (D("0.20"), D("200000"), D("30000"))
    assert (r.rate, r.yearly_cap, r.min_days_in_beijing, r.max_consecutive_years) == (D("0.60"), D("100000"), 30, 3)
    assert {g: f for g, f in r.grade_factors.items()} == {
        "excellent": D(1), "good": D(1), "qualified": D(1), "unqualified": D(0)}
    assert (s.salary_rate, s.yearly_cap, s.travel_cap, s.living_cap_per_day) == (D("0.60"), D("60000"), None, None)
    assert s.reduction_order == ("medical_insurance_subsidy", "salary_subsidy", "living", "travel")
    assert (P2014.rounding.places, P2014.rounding.mode) == (2, "half_up")
    assert P2014.funding_year.kind == "calendar"


# -- Art. 11(1) R-SUB-SALARY -----------------------------------------------------------------

def test_R_SUB_SALARY_is_20_percent_of_salary_paid_and_explains_itself():
    salary = items(haiju(salary_paid="850000.00"))["salary_subsidy"]

    assert salary.amount == D("170000.00")
    assert salary.article == "Art. 11(1)"
    assert salary.explanation == (
        "Art. 11(1) R-SUB-SALARY: 20% of 850,000.00 = 170,000.00, under the 200,000.00 cap")


@pytest.mark.parametrize(("salary_paid", "subsidy"), [
    ("999999.95", "199999.99"),
    ("1000000.00", "200000.00"),   # exactly at the cap
    ("1000000.05", "200000.00"),   # 200,000.01 before the cap
    ("5000000.00", "200000.00"),
])
def test_R_SUB_SALARY_cap_of_200000_binds_from_a_salary_of_1000000(salary_paid, subsidy):
    assert amounts(haiju(salary_paid=salary_paid))["salary_subsidy"] == D(subsidy)


def test_R_SUB_SALARY_cap_binding_is_explained():
    assert items(haiju(salary_paid="1000000.00"))["salary_subsidy"].explanation.endswith(
        "= 200,000.00, exactly at the 200,000.00 cap")
    assert items(haiju(salary_paid="1000000.05"))["salary_subsidy"].explanation.endswith(
        "= 200,000.01, capped at 200,000.00 by the 200,000.00 cap")


@pytest.mark.parametrize(("flag", "reason"), [
    ("thousand_talents_salary_subsidy", "Thousand Foreign Experts Plan"),
    ("salary_funded_by_municipal_finance", "guaranteed by municipal finance"),
])
def test_R_SUB_SALARY_exclusions_zero_the_salary_item_only(flag, reason):
    result = items(haiju(salary_paid="850000.00", medical_premium_paid="12000.00", **{flag: True}))

    assert result["salary_subsidy"].amount == D("0.00")
    assert "R-SUB-SALARY" in result["salary_subsidy"].explanation
    assert reason in result["salary_subsidy"].explanation
    assert result["medical_insurance_subsidy"].amount == D("12000.00")  # R-SUB-MEDICAL: "此待遇" is salary only


def test_R_SUB_SALARY_and_R_SUB_MEDICAL_need_the_contract_strictly_performed():
    result = items(haiju(contract_fulfilled=False))

    assert [i.amount for i in result.values()] == [D("0.00"), D("0.00")]
    assert "R-SUB-SALARY" in result["salary_subsidy"].explanation
    assert "R-SUB-MEDICAL" in result["medical_insurance_subsidy"].explanation
    assert all("not strictly performed" in i.explanation for i in result.values())


def test_R_SUB_SALARY_both_exclusions_are_named():
    explanation = items(haiju(thousand_talents_salary_subsidy=True,
                              salary_funded_by_municipal_finance=True))["salary_subsidy"].explanation
    assert "Thousand Foreign Experts Plan" in explanation and "municipal finance" in explanation


# -- Art. 11(2) R-SUB-MEDICAL -----------------------------------------------------------------

@pytest.mark.parametrize(("premium", "subsidy"), [
    ("0.00", "0.00"), ("12000.00", "12000.00"), ("30000.00", "30000.00"),
    ("30000.01", "30000.00"), ("45000.00", "30000.00"),
])
def test_R_SUB_MEDICAL_is_min_of_premium_paid_and_30000(premium, subsidy):
    medical = items(haiju(medical_premium_paid=premium))["medical_insurance_subsidy"]

    assert medical.amount == D(subsidy)
    assert medical.article == "Art. 11(2)"
    assert medical.explanation.startswith("Art. 11(2) R-SUB-MEDICAL: min(premium paid")


def test_R_SUB_MEDICAL_cap_is_its_own_and_already_granted_counts_against_salary_only():
    result = amounts(haiju(salary_paid="850000.00", medical_premium_paid="45000.00",
                           already_granted_this_year="200000.00"))

    assert result == {"salary_subsidy": D("0.00"), "medical_insurance_subsidy": D("30000.00")}


# -- R-CAP-EXCEPTION --------------------------------------------------------------------------

def test_R_CAP_EXCEPTION_approved_cap_replaces_the_200000_cap():
    salary = items(haiju(salary_paid="2000000.00", cap_exception_amount="300000.00"))["salary_subsidy"]

    assert salary.amount == D("300000.00")
    assert "R-CAP-EXCEPTION" in salary.explanation and "in place of 200,000.00" in salary.explanation


def test_R_CAP_EXCEPTION_only_raises_the_salary_cap_not_the_medical_cap():
    result = amounts(haiju(salary_paid="1250000.00", medical_premium_paid="50000.00",
                           cap_exception_amount="400000.00"))

    assert result == {"salary_subsidy": D("250000.00"), "medical_insurance_subsidy": D("30000.00")}


def test_R_CAP_EXCEPTION_cap_is_also_cumulative_R_YEAR_CAP():
    result = amounts(haiju(salary_paid="2000000.00", cap_exception_amount="300000.00",
                           already_granted_this_year="250000.00"))
    assert result["salary_subsidy"] == D("50000.00")


# -- R-YEAR-CAP on Art. 11 ----------------------------------------------------------------------

def test_R_YEAR_CAP_already_granted_reduces_the_salary_cap():
    salary = items(haiju(salary_paid="850000.00", already_granted_this_year="50000.00"))["salary_subsidy"]

    assert salary.amount == D("150000.00")
    assert "less 50,000.00 already granted this year (R-YEAR-CAP)" in salary.explanation


def test_R_YEAR_CAP_salary_cap_reached_gives_zero_and_says_so():
    salary = items(haiju(already_granted_this_year="250000.00"))["salary_subsidy"]

    assert salary.amount == D("0.00")
    assert "nothing left" in salary.explanation and "R-YEAR-CAP" in salary.explanation


def test_R_YEAR_CAP_salary_subsidy_is_cumulative_across_two_quotes():
    first = amounts(haiju(salary_paid="600000.00"))["salary_subsidy"]
    second = amounts(haiju(salary_paid="600000.00", already_granted_this_year=first))["salary_subsidy"]

    assert (first, second) == (D("120000.00"), D("80000.00"))
    assert first + second == P2014.haiju_long_term.salary_yearly_cap


# -- Art. 12 R-SUB-RECURRING --------------------------------------------------------------------

@pytest.mark.parametrize(("days", "funding"), [(0, "0.00"), (29, "0.00"), (30, "60000.00"), (200, "60000.00")])
def test_R_SUB_RECURRING_needs_30_days_in_beijing(days, funding):
    item = items(recurring(remuneration="100000.00", days_in_beijing=days))["recurring_funding"]

    assert item.amount == D(funding)
    assert item.article == "Art. 12"
    if funding == "0.00":
        assert f"{days} days in Beijing is under the 30-day minimum" in item.explanation
        assert "ends the sequence" in item.explanation


@pytest.mark.parametrize(("grade", "funding"), [
    ("excellent", "60000.00"), ("good", "60000.00"), ("qualified", "60000.00"), ("unqualified", "0.00"),
])
def test_R_SUB_RECURRING_each_performance_grade(grade, funding):
    item = items(recurring(remuneration="100000.00", performance=grade))["recurring_funding"]

    assert item.amount == D(funding)
    assert "R-SUB-RECURRING" in item.explanation and grade in item.explanation


def test_R_SUB_RECURRING_unqualified_evaluation_gives_zero_and_names_the_rule():
    item = items(recurring(performance="unqualified"))["recurring_funding"]
    assert item.explanation == (
        "Art. 12 R-SUB-RECURRING: 0.00, the performance evaluation 'unqualified' gives no funding")


@pytest.mark.parametrize(("year", "funded"), [(1, True), (2, True), (3, True), (4, False), (7, False)])
def test_R_SUB_RECURRING_funds_at_most_3_consecutive_years(year, funded):
    item = items(recurring(consecutive_year=year))["recurring_funding"]

    assert (item.amount > 0) is funded
    if not funded:
        assert f"year {year} is beyond the 3 consecutive years" in item.explanation


@pytest.mark.parametrize(("remuneration", "funding"), [
    ("150000.00", "90000.00"),
    ("166666.66", "100000.00"),  # 99,999.996 rounds half-up to the cap itself
    ("166666.67", "100000.00"),  # 100,000.002: the cap binds
    ("400000.00", "100000.00"),
])
def test_R_SUB_RECURRING_is_60_percent_of_remuneration_capped_at_100000(remuneration, funding):
    assert amounts(recurring(remuneration=remuneration))["recurring_funding"] == D(funding)


def test_R_SUB_RECURRING_all_reasons_for_zero_are_named():
    explanation = items(recurring(days_in_beijing=10, consecutive_year=4,
                                  performance="unqualified"))["recurring_funding"].explanation
    assert "year 4" in explanation and "10 days" in explanation and "'unqualified'" in explanation


def test_R_SUB_RECURRING_grade_without_a_factor_in_the_policy_is_refused():
    parameters = with_parameters(key_industry_recurring={"grade_factors": {"good": "1"}})
    with pytest.raises(domain.UnknownGrade):
        domain.quote(parameters, recurring(performance="excellent"), policy_version="x")


def test_R_YEAR_CAP_recurring_already_granted_reduces_the_yearly_cap():
    item = items(recurring(remuneration="150000.00", already_granted_this_year="30000.00"))["recurring_funding"]

    assert item.amount == D("70000.00")
    assert "R-YEAR-CAP" in item.explanation


def test_R_YEAR_CAP_recurring_funding_is_cumulative_across_two_quotes():
    first = amounts(recurring(remuneration="100000.00"))["recurring_funding"]
    second = amounts(recurring(remuneration="100000.00", already_granted_this_year=first))["recurring_funding"]

    assert (first, second) == (D("60000.00"), D("40000.00"))


# -- Art. 13 R-SUB-SHORT ------------------------------------------------------------------------

def test_R_SUB_SHORT_funds_travel_living_60_percent_of_agreed_salary_and_medical():
    result = items(short(international_travel_cost="15000.00", living_cost="8000.00",
                         agreed_salary="50000.00", medical_premium_paid="3000.00"))

    assert list(result) == ["travel", "living", "salary_subsidy", "medical_insurance_subsidy"]
    assert {c: i.amount for c, i in result.items()} == {
        "travel": D("15000.00"), "living": D("8000.00"),
        "salary_subsidy": D("30000.00"), "medical_insurance_subsidy": D("3000.00")}
    assert {i.article for i in result.values()} == {"Art. 13"}
    assert all("R-SUB-SHORT" in i.explanation for i in result.values())
    assert "documented actual cost" in result["travel"].explanation


def test_R_SUB_SHORT_travel_and_living_at_actual_cost_under_the_2014_default():
    result = amounts(short(international_travel_cost="41000.00", living_cost="19000.00",
                           agreed_salary="0", medical_premium_paid="0"))
    assert (result["travel"], result["living"]) == (D("41000.00"), D("19000.00"))


def test_R_SUB_SHORT_national_standard_caps_apply_when_a_policy_sets_them():
    parameters = with_parameters(short_term={"travel_cap": "12000.00", "living_cap_per_day": "300.00"})
    result = items(short(days_in_beijing=20, international_travel_cost="15000.00", living_cost="8000.00"),
                   parameters)

    assert result["travel"].amount == D("12000.00")
    assert result["living"].amount == D("6000.00")  # 300 a day for 20 days
    assert "national standard" in result["travel"].explanation
    assert "300.00 a day × 20 days" in result["living"].explanation


@pytest.mark.parametrize(("case", "inputs", "expected"), [
    ("medical absorbs the excess",
     dict(international_travel_cost="15000.00", living_cost="10000.00", agreed_salary="50000.00",
          medical_premium_paid="8000.00"),
     dict(travel="15000.00", living="10000.00", salary_subsidy="30000.00", medical_insurance_subsidy="5000.00")),
    ("medical then salary",
     dict(international_travel_cost="20000.00", living_cost="10000.00", agreed_salary="60000.00",
          medical_premium_paid="5000.00"),
     dict(travel="20000.00", living="10000.00", salary_subsidy="30000.00", medical_insurance_subsidy="0.00")),
    ("medical, salary, then living",
     dict(international_travel_cost="50000.00", living_cost="20000.00", agreed_salary="20000.00",
          medical_premium_paid="5000.00"),
     dict(travel="50000.00", living="10000.00", salary_subsidy="0.00", medical_insurance_subsidy="0.00")),
    ("travel gives way last",
     dict(international_travel_cost="70000.00", living_cost="1000.00", agreed_salary="1000.00",
          medical_premium_paid="1000.00"),
     dict(travel="60000.00", living="0.00", salary_subsidy="0.00", medical_insurance_subsidy="0.00")),
])
def test_R_SUB_SHORT_60000_cap_reduces_medical_then_salary_then_living_then_travel(case, inputs, expected):
    result = items(short(**inputs))

    assert {c: i.amount for c, i in result.items()} == {c: D(v) for c, v in expected.items()}, case
    assert sum(i.amount for i in result.values()) == D("60000.00")
    uncapped = amounts(short(**inputs), with_parameters(short_term={"yearly_cap": "1000000"}))
    for code, item in result.items():
        reduced = item.amount < uncapped[code]
        assert reduced == ("reduced by" in item.explanation), (case, code)
        if reduced:
            assert "60,000.00 yearly cap" in item.explanation


def test_R_SUB_SHORT_reduction_order_is_a_parameter():
    parameters = with_parameters(short_term={"reduction_order": ["travel", "living", "salary_subsidy",
                                                                "medical_insurance_subsidy"]})
    result = amounts(short(international_travel_cost="15000.00", living_cost="10000.00",
                           agreed_salary="50000.00", medical_premium_paid="8000.00"), parameters)
    assert result == {"travel": D("12000.00"), "living": D("10000.00"), "salary_subsidy": D("30000.00"),
                      "medical_insurance_subsidy": D("8000.00")}


def test_R_YEAR_CAP_short_term_already_granted_reduces_the_remaining_cap():
    result = items(short(international_travel_cost="15000.00", living_cost="8000.00", agreed_salary="50000.00",
                         medical_premium_paid="3000.00", already_granted_this_year="40000.00"))

    assert {c: i.amount for c, i in result.items()} == {
        "travel": D("15000.00"), "living": D("5000.00"), "salary_subsidy": D("0.00"),
        "medical_insurance_subsidy": D("0.00")}
    assert "less 40,000.00 already granted this year (R-YEAR-CAP)" in result["medical_insurance_subsidy"].explanation


def test_R_YEAR_CAP_short_term_cap_already_used_up_gives_all_zero_items_explained():
    result = items(short(already_granted_this_year="60000.00"))

    assert [i.amount for i in result.values()] == [D("0.00")] * 4
    assert all("reduced by" in i.explanation and "R-YEAR-CAP" in i.explanation for i in result.values())


def test_R_YEAR_CAP_short_term_is_cumulative_across_two_quotes():
    engagement = dict(international_travel_cost="12000.00", living_cost="6000.00", agreed_salary="30000.00",
                      medical_premium_paid="2000.00")  # 38,000 a quote
    first = domain.quote(P2014, short(**engagement), policy_version=VERSION).total
    second = domain.quote(P2014, short(**engagement, already_granted_this_year=first), policy_version=VERSION)

    assert (first, second.total) == (D("38000.00"), D("22000.00"))
    assert {i.code: i.amount for i in second.items}["medical_insurance_subsidy"] == D("0.00")
    assert first + second.total == P2014.short_term.yearly_cap


def test_R_SUB_SHORT_zero_item_says_why():
    item = items(short(medical_premium_paid="0"))["medical_insurance_subsidy"]
    assert item.amount == D("0.00")
    assert item.explanation == "Art. 13 R-SUB-SHORT: medical insurance premium paid 0.00: nothing to fund"


# -- R-ROUNDING -------------------------------------------------------------------------------

def test_R_ROUNDING_half_up_at_each_item_not_half_even():
    result = amounts(short(international_travel_cost="0.005", living_cost="0.025", agreed_salary="0.0125",
                           medical_premium_paid="0.0049"))

    # half-even would give 0.00 and 0.02; one rounding of the total (0.0424) would give 0.04
    assert result == {"travel": D("0.01"), "living": D("0.03"), "salary_subsidy": D("0.01"),
                      "medical_insurance_subsidy": D("0.00")}


@pytest.mark.parametrize(("inputs", "code", "expected"), [
    (haiju(salary_paid="0.025"), "salary_subsidy", "0.01"),              # 20% = 0.005
    (haiju(salary_paid="12.3425"), "salary_subsidy", "2.47"),            # 20% = 2.4685
    (haiju(medical_premium_paid="100.005"), "medical_insurance_subsidy", "100.01"),
    (recurring(remuneration="1.675"), "recurring_funding", "1.01"),      # 60% = 1.005
])
def test_R_ROUNDING_half_up_to_2_places_on_every_track(inputs, code, expected):
    amount = amounts(inputs)[code]
    assert amount == D(expected)
    assert amount.as_tuple().exponent == -2


def test_R_ROUNDING_every_amount_has_exactly_2_places():
    for inputs in (haiju(), haiju(contract_fulfilled=False), recurring(), recurring(days_in_beijing=0), short()):
        result = domain.quote(P2014, inputs, policy_version=VERSION)
        assert all(i.amount.as_tuple().exponent == -2 for i in result.items)


# -- parameters, not literals -----------------------------------------------------------------

def test_every_figure_comes_from_the_policy_parameters():
    parameters = with_parameters(
        haiju_long_term={"salary_rate": "0.25", "salary_yearly_cap": "150000", "medical_yearly_cap": "20000"},
        key_industry_recurring={"rate": "0.50", "yearly_cap": "80000", "min_days_in_beijing": 20,
                                "max_consecutive_years": 5},
        short_term={"salary_rate": "0.50", "yearly_cap": "50000"},
    )

    assert amounts(haiju(salary_paid="400000", medical_premium_paid="25000"), parameters) == {
        "salary_subsidy": D("100000.00"), "medical_insurance_subsidy": D("20000.00")}
    assert amounts(haiju(salary_paid="1000000"), parameters)["salary_subsidy"] == D("150000.00")
    assert amounts(recurring(remuneration="100000", days_in_beijing=20, consecutive_year=5),
                   parameters)["recurring_funding"] == D("50000.00")
    assert amounts(recurring(remuneration="200000"), parameters)["recurring_funding"] == D("80000.00")
    assert sum(amounts(short(agreed_salary="80000"), parameters).values()) == D("50000.00")


ALLOWED_NUMBERS = {0, 1, 2, 100, 12, 31}
"""Numbers domain.py may write: zero, one, the formatting of amounts (2 places) and percentages, and
the bounds of a month and a day in the funding-year parameters."""


def test_domain_code_holds_no_rate_cap_or_threshold_literal():
    tree = ast.parse((ROOT / "services/subsidy/entitlements/domain.py").read_text())
    numbers = {node.value for node in ast.walk(tree)
               if isinstance(node, ast.Constant) and type(node.value) in (int, float)}
    decimal_strings = {node.args[0].value for node in ast.walk(tree)
                       if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Decimal"
                       and node.args and isinstance(node.args[0], ast.Constant)}

    assert numbers - ALLOWED_NUMBERS == set()
    assert decimal_strings <= {0, 1, "0", "0.01"}


def test_R_YEAR_CAP_funding_year_is_the_calendar_year_by_default():
    assert P2014.funding_year.of(date(2024, 1, 1)) == 2024
    assert P2014.funding_year.of(date(2024, 12, 31)) == 2024
    april = with_parameters(funding_year={"starts_month": 4, "starts_day": 1}).funding_year
    assert (april.of(date(2024, 3, 31)), april.of(date(2024, 4, 1))) == (2023, 2024)


def test_R_YEAR_CAP_medical_cap_is_cumulative_across_claims():
    first = amounts(haiju(medical_premium_paid="18000.00"))["medical_insurance_subsidy"]
    second = items(haiju(medical_premium_paid="18000.00", already_granted_medical_this_year=first))
    medical = second["medical_insurance_subsidy"]

    assert (first, medical.amount) == (D("18000.00"), D("12000.00"))
    assert "R-SUB-MEDICAL" in medical.explanation and "R-YEAR-CAP" in medical.explanation


def test_R_SUB_RECURRING_a_failed_year_ends_the_sequence():
    item = items(recurring(consecutive_year=3, days_in_beijing=60, sequence_ended_in_year=2))["recurring_funding"]

    assert item.amount == D("0.00")
    assert "the sequence ended in year 2" in item.explanation
