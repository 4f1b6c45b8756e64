"""Annual claims over HTTP on both run modes: assessed at once, frozen, granted in the ledger (R-SUB-*)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from shared.events.review import CapException, Track
from tests.support.subsidy import OFFICER, claim, employer_of, haiju_claim, open_entitlement, recurring_claim, short_claim
from tests.support.tokens import auth


async def evaluate(platform, entitlement, year: int, grade: str):
    async with platform.client("subsidy", OFFICER) as client:
        response = await client.post(f"/subsidy/v1/entitlements/{entitlement['id']}/evaluations",
                                     json={"funding_year": year, "grade": grade})
    assert response.status_code == 201, response.text


async def balances(platform, expert_id) -> list[dict]:
    async with platform.client("subsidy", OFFICER) as client:
        return (await client.get(f"/subsidy/v1/experts/{expert_id}/ledger")).json()["balances"]


def amounts(claim_json) -> dict[str, str]:
    return {i["code"]: i["amount"] for i in claim_json["items"]}


async def test_R_YEAR_CAP_two_haiju_claims_share_the_salary_and_medical_caps_and_are_frozen(platform):
    await platform.start()
    entitlement = await open_entitlement(platform)

    first = await claim(platform, entitlement, haiju_claim())
    second = await claim(platform, entitlement, haiju_claim(period_end="2024-12-31", evidence_reference="payroll-2"))

    assert first.status_code == 201, first.text
    assert amounts(first.json()) == {"salary_subsidy": "120000.00", "medical_insurance_subsidy": "18000.00"}
    assert amounts(second.json()) == {"salary_subsidy": "80000.00", "medical_insurance_subsidy": "12000.00"}
    frozen = second.json()
    assert frozen["policy_version"] == "2014-03-01" and frozen["funding_year"] == 2024
    assert frozen["inputs"]["already_granted_this_year"] == "120000.00"
    assert frozen["inputs"]["already_granted_medical_this_year"] == "18000.00"
    assert "R-YEAR-CAP" in frozen["items"][0]["explanation"]
    assert await balances(platform, entitlement["expert_id"]) == [
        {"funding_year": 2024, "track": "haiju_long_term", "granted": "230000.00", "disbursed": "0.00",
         "recovered": "0.00", "to_disburse": "230000.00"}]
    async with platform.client("subsidy", employer_of(entitlement)) as client:
        again = await client.get(second.headers["location"])
    assert again.json() == frozen


async def test_R_CAP_EXCEPTION_from_the_committee_decision_applies_to_claims(platform):
    await platform.start()
    entitlement = await open_entitlement(platform, cap_exception=CapException(
        amount=Decimal("300000.00"), reason="unique expertise", approved_by="sitting 7"))

    response = await claim(platform, entitlement, haiju_claim(salary_paid="2000000.00"))

    assert amounts(response.json())["salary_subsidy"] == "300000.00"
    assert "R-CAP-EXCEPTION" in response.json()["items"][0]["explanation"]


async def test_R_ONE_TRACK_a_second_track_in_the_same_funding_year_is_refused(platform):
    await platform.start()
    expert_id = uuid.uuid4()
    haiju = await open_entitlement(platform, expert_id=expert_id)
    short = await open_entitlement(platform, expert_id=expert_id, track=Track.short_term)
    assert (await claim(platform, haiju, haiju_claim())).status_code == 201

    refused = await claim(platform, short, short_claim(period_end="2024-11-30"))
    next_year = await claim(platform, short, short_claim(period_end="2025-06-30"))

    assert refused.status_code == 409, refused.text
    assert refused.json()["rule"] == "R-ONE-TRACK"
    assert next_year.status_code == 201, next_year.text
    assert [b["track"] for b in await balances(platform, expert_id)] == ["haiju_long_term", "short_term"]


async def test_R_SUB_RECURRING_claims_need_the_evaluation_and_a_failed_year_ends_the_sequence(platform):
    await platform.start()
    entitlement = await open_entitlement(platform, track=Track.key_industry_recurring)

    missing = await claim(platform, entitlement, recurring_claim())
    assert missing.status_code == 409 and missing.json()["rule"] == "R-SUB-RECURRING"

    results = {}
    for year, period_end, days, grade in [(2024, "2024-12-31", 45, "good"), (2025, "2025-12-31", 29, "excellent"),
                                          (2026, "2026-06-30", 60, "excellent")]:
        await evaluate(platform, entitlement, year, grade)
        response = await claim(platform, entitlement, recurring_claim(period_end=period_end, days_in_beijing=days))
        assert response.status_code == 201, response.text
        results[year] = response.json()
    duplicate = await claim(platform, entitlement, recurring_claim(period_end="2024-06-30"))

    assert [amounts(results[y])["recurring_funding"] for y in (2024, 2025, 2026)] == ["60000.00", "0.00", "0.00"]
    assert "the sequence ended in year 2" in results[2026]["items"][0]["explanation"]
    assert [results[y]["inputs"]["consecutive_year"] for y in (2024, 2025, 2026)] == [1, 2, 3]
    assert duplicate.status_code == 409


async def test_claims_are_for_the_entitlements_employer_and_its_track(platform):
    await platform.start()
    entitlement = await open_entitlement(platform)

    stranger = await claim(platform, entitlement, haiju_claim(), auth("employer", str(uuid.uuid4())))
    expert = await claim(platform, entitlement, haiju_claim(), auth("expert"))
    wrong_track = await claim(platform, entitlement, short_claim())
    before_contract = await claim(platform, entitlement, haiju_claim(period_end="2024-05-31"))
    missing = await claim(platform, entitlement, {k: v for k, v in haiju_claim().items() if k != "salary_paid"})
    future = await claim(platform, entitlement, haiju_claim(period_end="2999-12-31"))
    by_officer = await claim(platform, entitlement, haiju_claim(), OFFICER)

    assert (stranger.status_code, expert.status_code) == (403, 403)
    assert wrong_track.status_code == 422 and [e["field"] for e in wrong_track.json()["errors"]] == ["track"]
    assert before_contract.status_code == 422
    assert [e["field"] for e in before_contract.json()["errors"]] == ["period_end"]
    assert missing.status_code == 422 and [e["field"] for e in missing.json()["errors"]] == ["salary_paid"]
    assert future.status_code == 422 and [e["field"] for e in future.json()["errors"]] == ["period_end"]
    assert by_officer.status_code == 201, by_officer.text
    async with platform.client("subsidy", auth("employer", str(uuid.uuid4()))) as client:
        assert (await client.get(by_officer.headers["location"])).status_code == 404
