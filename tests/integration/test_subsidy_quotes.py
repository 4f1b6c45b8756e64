"""POST /subsidy/v1/quotes over HTTP, on the real migrations, embedded and on PostgreSQL + RabbitMQ."""

from __future__ import annotations

import re
from decimal import Decimal

from tests.support.tokens import auth

EMPLOYER_ID = "6f1c1d38-5f7e-4a43-9a4c-1b6a7f0e2d11"  # an employer acts for its employer id (shared.auth)

QUOTES = "/subsidy/v1/quotes"
PROBLEM = "application/problem+json"
TWO_PLACES = re.compile(r"^[0-9]+\.[0-9]{2}$")


def haiju(**overrides) -> dict:
    return {
        "track": "haiju_long_term", "period_end": "2024-12-31", "salary_paid": "850000.00",
        "medical_premium_paid": "12000", "thousand_talents_salary_subsidy": False,
        "salary_funded_by_municipal_finance": False, "contract_fulfilled": True, **overrides,
    }


def recurring(**overrides) -> dict:
    return {
        "track": "key_industry_recurring", "period_end": "2024-12-31", "remuneration": "100000.00",
        "days_in_beijing": 45, "performance": "good", "consecutive_year": 1, **overrides,
    }


def short(**overrides) -> dict:
    return {
        "track": "short_term", "period_end": "2024-12-31", "days_in_beijing": 20,
        "international_travel_cost": "15000.00", "living_cost": "10000.00", "agreed_salary": "50000.00",
        "medical_premium_paid": "8000.00", **overrides,
    }


def without(body: dict, field: str) -> dict:
    return {k: v for k, v in body.items() if k != field}


async def post(platform, body, headers=None):
    async with platform.client("subsidy", auth("employer", EMPLOYER_ID) if headers is None else headers) as c:
        return await c.post(QUOTES, json=body)


async def test_haiju_quote_has_the_contract_shape_with_two_place_strings(platform):
    await platform.start()

    response = await post(platform, haiju(already_granted_this_year="50000"))

    assert response.status_code == 200, response.text
    assert response.json() == {
        "policy_version": "2014-03-01",
        "track": "haiju_long_term",
        "total": "162000.00",
        "items": [
            {"code": "salary_subsidy", "article": "Art. 11(1)", "amount": "150000.00",
             "explanation": "Art. 11(1) R-SUB-SALARY: 20% of 850,000.00 = 170,000.00, capped at 150,000.00 by "
                            "the 200,000.00 cap less 50,000.00 already granted this year (R-YEAR-CAP), "
                            "150,000.00 left"},
            {"code": "medical_insurance_subsidy", "article": "Art. 11(2)", "amount": "12000.00",
             "explanation": "Art. 11(2) R-SUB-MEDICAL: min(premium paid 12,000.00, the 30,000.00 cap) = 12,000.00"},
        ],
    }


async def test_every_track_lists_its_items_with_two_place_amounts_and_zero_items_explained(platform):
    await platform.start()
    cases = {
        "haiju_long_term": (haiju(thousand_talents_salary_subsidy=True),
                            ["salary_subsidy", "medical_insurance_subsidy"], "R-SUB-SALARY"),
        "key_industry_recurring": (recurring(days_in_beijing=29), ["recurring_funding"], "R-SUB-RECURRING"),
        "short_term": (short(), ["travel", "living", "salary_subsidy", "medical_insurance_subsidy"], "R-SUB-SHORT"),
    }
    for track, (body, codes, rule) in cases.items():
        response = await post(platform, body)
        assert response.status_code == 200, response.text
        quote = response.json()
        assert set(quote) == {"policy_version", "track", "total", "items"}
        assert quote["track"] == track and quote["policy_version"] == "2014-03-01"
        assert [item["code"] for item in quote["items"]] == codes
        for item in quote["items"]:
            assert set(item) == {"code", "article", "amount", "explanation"}
            assert TWO_PLACES.match(item["amount"]), item
            assert item["article"] in item["explanation"]
        assert TWO_PLACES.match(quote["total"])
        assert sum(Decimal(i["amount"]) for i in quote["items"]) == Decimal(quote["total"])
        assert rule in quote["items"][0]["explanation"]
        assert quote["items"][0]["amount"] == "0.00" or track == "short_term"


async def test_short_term_cap_reduces_medical_first_over_http(platform):
    await platform.start()

    quote = (await post(platform, short())).json()

    assert quote["total"] == "60000.00"
    assert {i["code"]: i["amount"] for i in quote["items"]} == {
        "travel": "15000.00", "living": "10000.00", "salary_subsidy": "30000.00",
        "medical_insurance_subsidy": "5000.00"}


async def test_R_YEAR_CAP_two_quotes_chained_by_already_granted_stay_within_the_cap(platform):
    await platform.start()

    first = (await post(platform, recurring(remuneration="100000"))).json()
    second = (await post(platform, recurring(remuneration="100000",
                                             already_granted_this_year=first["total"]))).json()

    assert (first["total"], second["total"]) == ("60000.00", "40000.00")


async def test_quote_is_for_any_authenticated_caller_stores_nothing_and_refuses_anonymous(platform):
    await platform.start()
    for role in ("employer", "expert", "committee_member", "bureau_officer"):
        # An employer acts for its employer id (shared.auth): its token names one.
        response = await post(platform, haiju(), auth(role, EMPLOYER_ID if role == "employer" else None))
        assert response.status_code == 200, (role, response.text)

    response = await post(platform, haiju(), {})

    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    subsidy = platform.runtime("subsidy")
    assert await platform.count("subsidy", subsidy.tables.outbox) == 0
    assert await platform.count("subsidy", subsidy.tables.audit_log) == 0


REFUSED = {
    "negative amount": (haiju(salary_paid="-1.00"), "salary_paid"),
    "negative already granted": (short(already_granted_this_year="-5"), "already_granted_this_year"),
    "malformed amount": (haiju(medical_premium_paid="12,000"), "medical_premium_paid"),
    "amount with an exponent": (recurring(remuneration="1e5"), "remuneration"),
    "amount below a fen": (short(living_cost="10.005"), "living_cost"),
    "JSON float amount": (short(agreed_salary=50000.5), "agreed_salary"),
    "not a number": (haiju(salary_paid="NaN"), "salary_paid"),
    "boolean amount": (haiju(salary_paid=True), "salary_paid"),
    "malformed cap exception": (haiju(cap_exception_amount="lots"), "cap_exception_amount"),
    "missing field of the track": (without(haiju(), "contract_fulfilled"), "contract_fulfilled"),
    "missing field of another track": (without(short(), "agreed_salary"), "agreed_salary"),
    "missing period_end": (without(recurring(), "period_end"), "period_end"),
    "unknown track": (haiju(track="thousand_talents"), "track"),
    "no track": (without(haiju(), "track"), "track"),
    "field of another track": (recurring(cap_exception_amount="300000"), "cap_exception_amount"),
    "unknown grade": (recurring(performance="outstanding"), "performance"),
    "consecutive year 0": (recurring(consecutive_year=0), "consecutive_year"),
    "days as a string": (short(days_in_beijing="20"), "days_in_beijing"),
    "R-EFFECTIVE period before 2014-03-01": (haiju(period_end="2014-02-28"), "period_end"),
    "R-EFFECTIVE period long before": (short(period_end="2013-12-29"), "period_end"),
}


async def test_each_bad_request_is_a_422_problem_naming_the_field(platform):
    await platform.start()
    for case, (body, field) in REFUSED.items():
        response = await post(platform, body)

        assert response.status_code == 422, (case, response.text)
        assert response.headers["content-type"] == PROBLEM, case
        problem = response.json()
        assert problem["status"] == 422 and problem["title"], case
        assert [e["field"] for e in problem["errors"]] == [field], (case, problem)


async def test_R_EFFECTIVE_policy_starts_on_2014_03_01_and_a_period_before_is_refused(platform):
    await platform.start()

    before = await post(platform, haiju(period_end="2014-02-28"))
    first_day = await post(platform, haiju(period_end="2014-03-01"))

    assert before.status_code == 422
    assert before.json()["rule"] == "R-EFFECTIVE"
    assert "no policy in force on 2014-02-28" in before.json()["detail"]
    assert first_day.status_code == 200, first_day.text
    assert first_day.json()["policy_version"] == "2014-03-01"
