"""The reads the console's subsidy screens need, on both run modes: a claim names its expert and employer and
shows where the payment of its funding year stands, from granted to paid (or stopped by a revocation,
R-SUPERVISE); disbursements name their parties and narrow by funding year; entitlements narrow by status and
track; the annual runs and the reconciliations are listed latest first, for officers only."""

from __future__ import annotations

from datetime import date

from shared import clock
from shared.events.review import Track
from tests.support.events import publish
from tests.support.finance import finance_simulator
from tests.support.platform import eventually
from tests.support.subsidy import (
    FAST_SENDER, OFFICER, breach, claim, employer_of, entitlement_status, granted_entitlement, haiju_claim,
    open_entitlement, short_claim,
)


async def get(platform, headers, path, **params):
    async with platform.client("subsidy", headers) as client:
        return await client.get(f"/subsidy/v1{path}", params=params)


async def items(platform, headers, path, **params) -> list[dict]:
    response = await get(platform, headers, path, **params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def pay(platform, entitlement, amount: str, year: int = 2024) -> dict:
    async with platform.client("subsidy", OFFICER) as client:
        response = await client.post(f"/subsidy/v1/entitlements/{entitlement['id']}/disbursements",
                                     json={"funding_year": year, "amount": amount})
    assert response.status_code == 201, response.text
    return response.json()


async def claim_payment(platform, entitlement) -> dict:
    [only] = await items(platform, employer_of(entitlement), "/claims", entitlement_id=entitlement["id"])
    return only["payment"]


async def test_a_claim_shows_its_parties_and_its_year_paid_step_by_step(platform):
    await platform.start(settings={"subsidy": FAST_SENDER})
    entitlement = await open_entitlement(platform)
    filed = await claim(platform, entitlement, haiju_claim())
    assert filed.status_code == 201, filed.text
    assert (filed.json()["expert_name"], filed.json()["employer_name"]) == ("Ada Example", "Haidian Photonics")
    assert filed.json()["payment"] == {"status": "awaiting_disbursement", "granted": "138000.00", "paid": "0.00",
                                       "in_payment": "0.00", "to_disburse": "138000.00"}

    async with finance_simulator(platform, latency_seconds=0, settle_delay_seconds=0.01):
        await pay(platform, entitlement, "38000.00")

        async def partly_paid():
            payment = await claim_payment(platform, entitlement)
            return payment if payment["status"] == "partly_paid" else None
        assert await eventually(partly_paid, message="first payment settled") == {
            "status": "partly_paid", "granted": "138000.00", "paid": "38000.00", "in_payment": "0.00",
            "to_disburse": "100000.00"}

        await pay(platform, entitlement, "100000.00")

        async def paid():
            payment = await claim_payment(platform, entitlement)
            return payment if payment["status"] == "paid" else None
        assert (await eventually(paid, message="all of 2024 paid"))["paid"] == "138000.00"
    again = (await get(platform, employer_of(entitlement), f"/claims/{filed.json()['id']}")).json()
    assert again["payment"]["status"] == "paid" and again["payment"]["to_disburse"] == "0.00"


async def test_an_instruction_not_yet_paid_is_in_payment(platform):
    # No finance simulator: the instruction stays pending.
    await platform.start(settings={"subsidy": {**FAST_SENDER, "disbursement_poll_seconds": 600}})
    entitlement = await granted_entitlement(platform)
    await pay(platform, entitlement, "1000.00")
    assert await claim_payment(platform, entitlement) == {
        "status": "in_payment", "granted": "138000.00", "paid": "0.00", "in_payment": "1000.00",
        "to_disburse": "137000.00"}


async def test_R_SUPERVISE_a_claim_of_a_revoked_entitlement_is_stopped_and_a_zero_claim_has_nothing_granted(
        platform):
    await platform.start()
    entitlement = await granted_entitlement(platform)
    await publish(platform, breach(entitlement, breach_date=date(2024, 10, 1)))

    async def revoked():
        return await entitlement_status(platform, entitlement) == "revoked"
    await eventually(revoked, message="entitlement revoked")
    payment = await claim_payment(platform, entitlement)
    assert (payment["status"], payment["granted"], payment["to_disburse"]) == ("stopped", "138000.00", "0.00")

    nothing = await open_entitlement(platform)
    response = await claim(platform, nothing, haiju_claim(salary_paid="0.00", medical_premium_paid="0.00"))
    assert response.status_code == 201, response.text
    assert response.json()["payment"]["status"] == "nothing_granted"


async def test_disbursements_name_their_parties_and_narrow_by_funding_year(platform):
    await platform.start(settings={"subsidy": {**FAST_SENDER, "disbursement_poll_seconds": 600}})
    entitlement = await open_entitlement(platform)
    assert (await claim(platform, entitlement, haiju_claim())).status_code == 201
    assert (await claim(platform, entitlement, haiju_claim(period_end="2025-06-30"))).status_code == 201
    of_2024 = await pay(platform, entitlement, "10.00", 2024)
    of_2025 = await pay(platform, entitlement, "20.00", 2025)
    assert (of_2024["expert_name"], of_2024["employer_name"]) == ("Ada Example", "Haidian Photonics")

    employer = employer_of(entitlement)
    assert [d["id"] for d in await items(platform, employer, "/disbursements", funding_year=2025)] == [of_2025["id"]]
    assert [d["id"] for d in await items(platform, employer, "/disbursements")] == [of_2024["id"], of_2025["id"]]
    one = (await get(platform, employer, f"/disbursements/{of_2024['id']}")).json()
    assert one["employer_name"] == "Haidian Photonics"
    assert (await get(platform, OFFICER, "/disbursements", funding_year=1800)).status_code == 422


async def test_entitlements_narrow_by_status_and_track(platform):
    await platform.start()
    long_term = await granted_entitlement(platform)
    short = await open_entitlement(platform, track=Track.short_term)
    assert (await claim(platform, short, short_claim())).status_code == 201
    await publish(platform, breach(long_term))

    async def revoked():
        return await entitlement_status(platform, long_term) == "revoked"
    await eventually(revoked, message="entitlement revoked")

    assert [e["id"] for e in await items(platform, OFFICER, "/entitlements", status="revoked")] == [long_term["id"]]
    assert [e["id"] for e in await items(platform, OFFICER, "/entitlements", track="short_term")] == [short["id"]]
    assert await items(platform, OFFICER, "/entitlements", status="open", track="haiju_long_term") == []
    for bad in ({"status": "closed"}, {"track": "art_14"}):
        response = await get(platform, OFFICER, "/entitlements", **bad)
        assert response.status_code == 422 and response.json()["errors"][0]["field"] in bad, response.text


async def test_annual_runs_listed_latest_first_with_their_progress_for_officers_only(platform):
    await platform.start(settings={"subsidy": FAST_SENDER})
    entitlement = await granted_entitlement(platform)
    async with finance_simulator(platform, latency_seconds=0, settle_delay_seconds=0.01):
        async with platform.client("subsidy", OFFICER) as client:
            first = (await client.post("/subsidy/v1/annual-runs", json={"funding_year": 2024})).json()

        async def complete():
            [run] = await items(platform, OFFICER, "/annual-runs", funding_year=2024)
            return run if run["complete"] else None
        done = await eventually(complete, timeout=30, message="the run paid")
        assert (done["id"], done["entitlements_total"], done["disbursements"]["settled"]) == (first["id"], 1, 1)
        async with platform.client("subsidy", OFFICER) as client:
            second = (await client.post("/subsidy/v1/annual-runs", json={"funding_year": 2025})).json()

    listed = await items(platform, OFFICER, "/annual-runs")
    assert [r["id"] for r in listed] == [second["id"], first["id"]]
    assert listed[1]["amount_issued"] == "138000.00"
    page = await get(platform, OFFICER, "/annual-runs", limit=1)
    assert [r["id"] for r in page.json()["items"]] == [second["id"]] and page.json()["next_cursor"]
    after = await items(platform, OFFICER, "/annual-runs", limit=1, cursor=page.json()["next_cursor"])
    assert [r["id"] for r in after] == [first["id"]]
    assert (await get(platform, employer_of(entitlement), "/annual-runs")).status_code == 403


async def test_reconciliations_listed_latest_first_by_day_for_officers_only(platform):
    await platform.start()
    today = clock.beijing_today().isoformat()
    recorded = []
    async with finance_simulator(platform, latency_seconds=0):
        async with platform.client("subsidy", OFFICER) as client:
            for day in ("2024-01-02", today):
                response = await client.post("/subsidy/v1/reconciliations", json={"date": day})
                assert response.status_code == 201, response.text
                recorded.append(response.json())

    assert [r["id"] for r in await items(platform, OFFICER, "/reconciliations")] == [r["id"] for r in recorded[::-1]]
    [that_day] = await items(platform, OFFICER, "/reconciliations", date="2024-01-02")
    assert that_day == recorded[0]
    assert (await get(platform, employer_of({"employer_id": recorded[0]["id"]}), "/reconciliations")).status_code \
        == 403
