"""Subsidy visible to those it concerns, on both run modes: the employer goes from its approved application to
its entitlement and claims on it through the API alone; the expert reads their own entitlements, claims,
disbursements and ledger; another employer or expert sees none of it (404, empty lists); EntitlementOpened
is on the expert's timeline; a revoked entitlement has nothing to disburse (R-SUPERVISE)."""

from __future__ import annotations

import uuid
from datetime import date
from types import SimpleNamespace

from tests.support import selection
from tests.support.events import publish
from tests.support.finance import finance_simulator
from tests.support.platform import eventually
from tests.support.review import (
    OFFICER as REVIEW_OFFICER, Sitting, case_arrived, decide, deliberate, route_quotes_in_process, seat_committee,
)
from tests.support.subsidy import (
    FAST_SENDER, OFFICER, _status_is, approval, breach, claim, employer_of, entitlement_status, haiju_claim,
    open_entitlement, outbox_events,
)
from tests.support.timeline import read_timeline
from tests.support.tokens import auth


def expert_auth(expert_id) -> dict:
    """The expert's own token: its subject is the expert id (as directory and review read it)."""
    return auth("expert", subject=str(expert_id))


def strangers() -> dict[str, dict]:
    return {"another employer": auth("employer", str(uuid.uuid4())),
            "another expert": expert_auth(uuid.uuid4())}


async def get(platform, headers, path, **params):
    async with platform.client("subsidy", headers) as client:
        return await client.get(f"/subsidy/v1{path}", params=params)


async def items(platform, headers, path, **params) -> list[dict]:
    response = await get(platform, headers, path, **params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def approved_through_the_committee(platform) -> tuple[dict, dict]:
    """An employer's application through intake's reviews and a committee sitting: (employer, application)
    as the employer drafted it (R-APPLY, R-FORMAL, R-COMMITTEE)."""
    employer = await selection.registered_employer(platform)
    entry = await selection.published_entry(platform)
    application = await selection.awaiting_committee(platform, employer, entry)
    await eventually(lambda: case_arrived(platform, application["id"]), message="case received by review")
    async with platform.client("review") as client:
        committee = await seat_committee(client, extra=(("expert2", "expert"),))
        sitting = await client.post("/review/v1/sittings", headers=REVIEW_OFFICER, json={
            "held_on": "2024-12-10", "member_ids": list(committee.ids.values()),
            "application_ids": [application["id"]]})
        assert sitting.status_code == 201, sitting.text
        present = await client.post(f"/review/v1/sittings/{sitting.json()['id']}/attendance", headers=REVIEW_OFFICER,
                                    json={"present_member_ids": list(committee.ids.values())})
        assert present.status_code == 200, present.text
    s = Sitting(platform, SimpleNamespace(application_id=application["id"]), committee, sitting.json()["id"])
    await deliberate(s)
    decision = await decide(s)
    assert decision.status_code == 201 and decision.json()["outcome"] == "approved", decision.text
    return employer, application


async def test_the_employer_finds_its_entitlement_from_its_approved_application_and_claims_on_it(platform):
    await platform.start()
    route_quotes_in_process(platform)
    employer, application = await approved_through_the_committee(platform)
    me = selection.employer_auth(employer)

    # Only what the API gives the employer: its application (from its own draft), the decision on it, and
    # the entitlement found by that application.
    async def approved():
        async with platform.client("intake", me) as client:
            shown = (await client.get(f"/intake/v1/applications/{application['id']}")).json()
        return shown if shown["state"] == "approved" else None

    shown = await eventually(approved, message="intake shows the employer the approval")
    [entitlement] = await eventually(lambda: items(platform, me, "/entitlements", application_id=shown["id"]),
                                     message="the employer finds its entitlement by application")
    assert (entitlement["application_id"], entitlement["employer_id"]) == (application["id"], employer["id"])
    assert entitlement["decision_id"] == shown["decision"]["decision_id"]
    assert (entitlement["status"], entitlement["track"], entitlement["to_disburse"]) == (
        "open", "haiju_long_term", "0.00")
    # The decision the employer reads names the same entitlement (intake keeps subsidy's EntitlementOpened).
    async def named():
        async with platform.client("intake", me) as client:
            return (await client.get(f"/intake/v1/applications/{application['id']}")).json()["entitlements"]
    [ref] = await eventually(named, message="the decision names its entitlement")
    assert (ref["entitlement_id"], ref["track"]) == (entitlement["id"], "haiju_long_term")
    body = haiju_claim(period_end="2025-12-31", evidence_reference="payroll-2025")
    async with platform.client("subsidy", me) as client:
        claimed = await client.post(f"/subsidy/v1/entitlements/{entitlement['id']}/claims", json=body)
        again = await client.get(claimed.headers["location"])
        read = (await client.get(f"/subsidy/v1/entitlements/{entitlement['id']}")).json()

    # R-SUB-SALARY: 20 % of 600,000.00 paid; R-SUB-MEDICAL: the 18,000.00 premium, under its 30,000.00 cap.
    assert claimed.status_code == 201, claimed.text
    assert (claimed.json()["total"], claimed.json()["funding_year"]) == ("138000.00", 2025)
    assert again.json() == claimed.json()
    assert (read["granted"], read["disbursed"], read["to_disburse"]) == ("138000.00", "0.00", "138000.00")
    assert [c["id"] for c in await items(platform, me, "/claims", entitlement_id=entitlement["id"])] == [
        claimed.json()["id"]]
    ledger = (await get(platform, me, f"/experts/{entitlement['expert_id']}/ledger")).json()
    assert {e["reference"] for e in ledger["entries"]} == {f"claim:{claimed.json()['id']}"}
    # The same application is nobody else's to find.
    for who, headers in strangers().items():
        assert await items(platform, headers, "/entitlements", application_id=application["id"]) == [], who


async def test_the_expert_reads_their_own_subsidy_and_other_parties_see_none_of_it(platform):
    await platform.start(settings={"subsidy": FAST_SENDER})
    expert_id = uuid.uuid4()
    first = await open_entitlement(platform, expert_id=expert_id)
    second = await open_entitlement(platform, expert_id=expert_id)  # the same expert with another employer
    assert first["employer_id"] != second["employer_id"]
    first_claim = await claim(platform, first, haiju_claim())
    second_claim = await claim(platform, second, haiju_claim(period_end="2025-12-31"))
    assert (first_claim.status_code, second_claim.status_code) == (201, 201), second_claim.text
    async with finance_simulator(platform, latency_seconds=0, settle_delay_seconds=0.01):
        async with platform.client("subsidy", OFFICER) as client:
            issued = await client.post(f"/subsidy/v1/entitlements/{first['id']}/disbursements",
                                       json={"funding_year": 2024, "amount": "36600.00"})
        assert issued.status_code == 201, issued.text
        disbursement = issued.json()
        await eventually(lambda: _status_is(platform, disbursement["id"], "settled"), message="payment settled")

    expert, employer = expert_auth(expert_id), employer_of(first)
    # The expert: both entitlements, both claims, the payment and the whole ledger.
    assert {e["id"] for e in await items(platform, expert, "/entitlements")} == {first["id"], second["id"]}
    assert (await get(platform, expert, f"/entitlements/{second['id']}")).status_code == 200
    assert {c["id"] for c in await items(platform, expert, "/claims")} == {first_claim.json()["id"],
                                                                          second_claim.json()["id"]}
    assert (await get(platform, expert, f"/claims/{second_claim.json()['id']}")).status_code == 200
    assert [d["id"] for d in await items(platform, expert, "/disbursements")] == [disbursement["id"]]
    assert (await get(platform, expert, f"/disbursements/{disbursement['id']}")).json()["status"] == "settled"
    own = (await get(platform, expert, f"/experts/{expert_id}/ledger")).json()
    assert [(b["funding_year"], b["granted"], b["disbursed"], b["to_disburse"]) for b in own["balances"]] == [
        (2024, "138000.00", "36600.00", "101400.00"), (2025, "138000.00", "0.00", "138000.00")]
    # The first employer: its own entitlement's records only, not the other employer's with the same expert.
    assert [e["id"] for e in await items(platform, employer, "/entitlements", expert_id=str(expert_id))] == [
        first["id"]]
    assert (await get(platform, employer, f"/entitlements/{second['id']}")).status_code == 404
    assert (await get(platform, employer, f"/claims/{second_claim.json()['id']}")).status_code == 404
    assert [c["id"] for c in await items(platform, employer, "/claims")] == [first_claim.json()["id"]]
    assert [d["id"] for d in await items(platform, employer, "/disbursements")] == [disbursement["id"]]
    books = (await get(platform, employer, f"/experts/{expert_id}/ledger")).json()
    assert {e["entitlement_id"] for e in books["entries"]} == {first["id"]}
    assert [b["funding_year"] for b in books["balances"]] == [2024]
    # Another employer or expert: nothing listed, nothing found.
    for who, headers in strangers().items():
        for path in ("/entitlements", "/claims", "/disbursements", "/recoveries"):
            assert await items(platform, headers, path) == [], (who, path)
            assert await items(platform, headers, path, expert_id=str(expert_id)) == [], (who, path)
        for path in (f"/entitlements/{first['id']}", f"/claims/{first_claim.json()['id']}",
                     f"/disbursements/{disbursement['id']}", f"/experts/{expert_id}/ledger"):
            response = await get(platform, headers, path)
            assert response.status_code == 404, (who, path, response.text)
    # Officers read everything, as before.
    assert len(await items(platform, OFFICER, "/entitlements", expert_id=str(expert_id))) == 2
    assert len((await get(platform, OFFICER, f"/experts/{expert_id}/ledger")).json()["balances"]) == 2


async def test_entitlement_opened_is_emitted_once_and_appears_on_the_experts_timeline(platform):
    await platform.start()
    event = approval()
    await publish(platform, event)
    await publish(platform, event)  # the same approval announced again opens nothing more

    async def on_timeline():
        async with platform.client("directory") as client:
            entries = await read_timeline(client, event.expert.expert_id)
        return [e for e in entries if e["type"] == "EntitlementOpened"]

    [entry] = await eventually(on_timeline, message="EntitlementOpened on the expert's timeline")
    [entitlement] = await items(platform, OFFICER, "/entitlements", application_id=str(event.application_id))
    assert entry["service"] == "subsidy"
    assert entry["application_id"] == str(event.application_id)
    assert entry["summary"]["entitlement_id"] == entitlement["id"]
    assert (entry["summary"]["employer_id"], entry["summary"]["track"]) == (
        str(event.employer.employer_id), "haiju_long_term")
    await eventually(lambda: _inbox_count(platform, 2), message="both announcements consumed")
    assert [e["entitlement_id"] for e in await outbox_events(platform, "EntitlementOpened")] == [entitlement["id"]]


async def _inbox_count(platform, n) -> bool:
    inbox = platform.runtime("subsidy").tables.inbox
    return await platform.count("subsidy", inbox, inbox.c.event_type == "ApplicationApproved") >= n


async def test_R_SUPERVISE_a_revoked_entitlement_has_nothing_to_disburse(platform):
    await platform.start()
    entitlement = await open_entitlement(platform)
    assert (await claim(platform, entitlement, haiju_claim())).status_code == 201  # 138,000.00 for 2024
    path, ledger = f"/entitlements/{entitlement['id']}", f"/experts/{entitlement['expert_id']}/ledger"
    before = (await get(platform, OFFICER, path)).json()
    before_balance = (await get(platform, OFFICER, ledger)).json()["balances"]

    await publish(platform, breach(entitlement, breach_date=date(2024, 10, 1)))
    await eventually(lambda: _revoked(platform, entitlement), message="entitlement revoked")

    after = (await get(platform, employer_of(entitlement), path)).json()
    after_balance = (await get(platform, OFFICER, ledger)).json()["balances"]
    assert (before["status"], before["to_disburse"]) == ("open", "138000.00")
    assert before_balance[0]["to_disburse"] == "138000.00"
    assert (after["status"], after["granted"], after["to_disburse"]) == ("revoked", "138000.00", "0.00")
    assert (after_balance[0]["granted"], after_balance[0]["to_disburse"]) == ("138000.00", "0.00")


async def _revoked(platform, entitlement) -> bool:
    return await entitlement_status(platform, entitlement) == "revoked"
