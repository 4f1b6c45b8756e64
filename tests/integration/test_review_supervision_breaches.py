"""Contract breaches on both run modes (R-SUPERVISE, Art. 16): reported, confirmed by an officer
(ContractBreached), contested and withdrawn on appeal (ContractBreachWithdrawn); who may do and see what."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import sqlalchemy as sa

from services.review.supervision.models import breach_appeals, contract_breaches
from tests.support.supervision import (
    OFFICER, OTHER_OFFICER, breach, confirm_breach, employer_of, expert_of, get, outbox_events, post, report_breach,
    select, withdraw_breach,
)
from tests.support.tokens import auth

PROBLEM = "application/problem+json"


async def audit_trail(platform) -> list[tuple[str, str | None, str | None]]:
    runtime = platform.runtime("review")
    log = runtime.tables.audit_log
    async with runtime.db.session() as session:
        return [tuple(r) for r in (await session.execute(
            sa.select(log.c.action, log.c.actor, log.c.object_id).order_by(log.c.id))).all()]


async def test_R_SUPERVISE_employer_reports_an_officer_confirms_and_ContractBreached_is_emitted(platform):
    await platform.start()
    event = await select(platform)

    reported = await report_breach(platform, event, attributable_to="expert", breach_date="2025-03-01")
    before = await outbox_events(platform, "ContractBreached")
    confirmed = await confirm_breach(platform, reported["id"], OTHER_OFFICER)

    assert reported["state"] == "reported" and reported["reporter_role"] == "employer"
    assert before == [], "a reported breach revokes nothing until an officer confirms it"
    assert confirmed["state"] == "confirmed" and confirmed["confirmed_by"] == "officer-wang"
    [emitted] = await outbox_events(platform, "ContractBreached")
    assert emitted == {
        "breach_id": reported["id"], "expert_id": str(event.expert.expert_id),
        "employer_id": str(event.employer.employer_id), "application_id": str(event.application_id),
        "breach_date": "2025-03-01", "attributable_to": "expert", "reported_by": "hr-manager",
        "confirmed_by": "officer-wang", "facts": "left Beijing and stopped working in March",
    }
    trail = await audit_trail(platform)
    assert ("report_breach", "hr-manager", reported["id"]) in trail
    assert ("confirm_breach", "officer-wang", reported["id"]) in trail


async def test_R_SUPERVISE_an_employer_attributable_breach_is_announced_with_its_attribution(platform):
    await platform.start()
    event = await select(platform, announce=False)

    reported = await report_breach(platform, event, attributable_to="employer", headers=OFFICER,
                                   facts="salary unpaid since January")
    # The simple rule: any officer confirms, the reporting officer included.
    await confirm_breach(platform, reported["id"], OFFICER)

    assert reported["reporter_role"] == "bureau_officer"
    [emitted] = await outbox_events(platform, "ContractBreached")
    assert (emitted["attributable_to"], emitted["reported_by"], emitted["confirmed_by"]) == (
        "employer", "officer-li", "officer-li")


async def test_R_SUPERVISE_appeal_and_withdrawal_reverse_the_breach_and_ContractBreachWithdrawn_is_emitted(platform):
    await platform.start()
    event = await select(platform)
    confirmed = await breach(platform, event)

    by_expert = await post(platform, f"/breaches/{confirmed['id']}/appeal", {"grounds": "I was on sick leave"},
                           expert_of(event))
    by_employer = await post(platform, f"/breaches/{confirmed['id']}/appeal", {"grounds": "we agreed the leave"},
                             employer_of(event))
    queue = await get(platform, "/appeals", OFFICER, state="open")
    withdrawn = await withdraw_breach(platform, confirmed["id"], reason="the absence was authorised sick leave")

    assert by_expert.status_code == 201 and by_expert.json()["appellant_role"] == "expert", by_expert.text
    assert by_employer.status_code == 201 and by_employer.json()["appellant_role"] == "employer"
    assert [a["id"] for a in queue.json()["items"]] == [by_expert.json()["id"], by_employer.json()["id"]]
    assert withdrawn["state"] == "withdrawn" and withdrawn["closed_by"] == "officer-li"
    assert [(a["state"], a["decided_by"]) for a in withdrawn["appeals"]] == [("upheld", "officer-li")] * 2
    [emitted] = await outbox_events(platform, "ContractBreachWithdrawn")
    assert emitted["breach_id"] == confirmed["id"]
    assert emitted["expert_id"] == str(event.expert.expert_id)
    assert emitted["application_id"] == str(event.application_id)
    assert (emitted["withdrawn_by"], emitted["reason"]) == ("officer-li", "the absence was authorised sick leave")
    assert (await get(platform, "/appeals", OFFICER, state="open")).json()["items"] == []
    seen_by_expert = await get(platform, f"/breaches/{confirmed['id']}", expert_of(event))
    assert seen_by_expert.json()["state"] == "withdrawn"


async def test_R_SUPERVISE_a_dismissed_appeal_leaves_the_breach_confirmed(platform):
    await platform.start()
    event = await select(platform, announce=False)
    confirmed = await breach(platform, event)
    appeal = (await post(platform, f"/breaches/{confirmed['id']}/appeal", {"grounds": "unfair"},
                         expert_of(event))).json()

    dismissed = await post(platform, f"/appeals/{appeal['id']}/dismiss", {"reason": "no evidence"}, OFFICER)
    again = await post(platform, f"/appeals/{appeal['id']}/dismiss", {"reason": "still none"}, OFFICER)
    new_appeal = await post(platform, f"/breaches/{confirmed['id']}/appeal", {"grounds": "new evidence"},
                            expert_of(event))

    assert dismissed.status_code == 200 and dismissed.json()["state"] == "dismissed", dismissed.text
    assert again.status_code == 409 and again.json()["state"] == "dismissed"
    assert new_appeal.status_code == 201, "a dismissed appeal does not bar a new one"
    shown = (await get(platform, f"/breaches/{confirmed['id']}", OFFICER)).json()
    assert shown["state"] == "confirmed"
    assert [a["state"] for a in shown["appeals"]] == ["dismissed", "open"]
    assert await outbox_events(platform, "ContractBreachWithdrawn") == []


async def test_refused_transitions_are_409s_naming_the_current_state_and_emit_nothing(platform):
    await platform.start()
    event = await select(platform, announce=False)
    reported = await report_breach(platform, event)
    breach_id = reported["id"]

    async def attempt(action: str, body: dict, headers: dict = OFFICER) -> tuple[int, str | None]:
        response = await post(platform, f"/breaches/{breach_id}/{action}", body, headers)
        if response.status_code == 409:
            assert response.headers["content-type"] == PROBLEM
            assert response.json()["state"] in response.json()["detail"]
        return response.status_code, response.json().get("state")

    assert await attempt("withdraw", {"reason": "x"}) == (409, "reported")
    assert await attempt("appeal", {"grounds": "x"}, expert_of(event)) == (409, "reported")
    await confirm_breach(platform, breach_id)
    assert await attempt("confirm", {}) == (409, "confirmed")
    assert await attempt("dismiss", {"reason": "x"}) == (409, "confirmed")
    assert (await attempt("appeal", {"grounds": "first"}, expert_of(event)))[0] == 201
    assert await attempt("appeal", {"grounds": "second"}, expert_of(event)) == (409, "open")
    await withdraw_breach(platform, breach_id)
    assert await attempt("withdraw", {"reason": "again"}) == (409, "withdrawn")
    assert await attempt("confirm", {}) == (409, "withdrawn")
    assert await attempt("appeal", {"grounds": "x"}, employer_of(event)) == (409, "withdrawn")
    assert len(await outbox_events(platform, "ContractBreached")) == 1
    assert len(await outbox_events(platform, "ContractBreachWithdrawn")) == 1


async def test_concurrent_confirmations_announce_the_breach_once(platform):
    await platform.start()
    event = await select(platform, announce=False)
    reported = await report_breach(platform, event)

    responses = await asyncio.gather(*(post(platform, f"/breaches/{reported['id']}/confirm", {}, OFFICER)
                                       for _ in range(4)))

    assert sorted(r.status_code for r in responses) == [200, 409, 409, 409], [r.text for r in responses]
    assert {r.json()["state"] for r in responses} == {"confirmed"}
    assert len(await outbox_events(platform, "ContractBreached")) == 1


async def test_R_SUPERVISE_a_report_dismissed_as_unfounded_announces_nothing(platform):
    await platform.start()
    event = await select(platform, announce=False)
    reported = await report_breach(platform, event)

    dismissed = await post(platform, f"/breaches/{reported['id']}/dismiss", {"reason": "the expert was on leave"},
                           OFFICER)
    confirm = await post(platform, f"/breaches/{reported['id']}/confirm", {}, OFFICER)

    assert dismissed.status_code == 200 and dismissed.json()["state"] == "dismissed", dismissed.text
    assert dismissed.json()["closing_reason"] == "the expert was on leave"
    assert confirm.status_code == 409 and confirm.json()["state"] == "dismissed"
    assert await outbox_events(platform, "ContractBreached") == []


REPORT_CASES = {
    "breach in the future": ({"breach_date": "2099-01-01"}, "breach_date"),
    "breach before the contract": ({"breach_date": "2024-05-31"}, "breach_date"),
    "breach after the contract": ({"breach_date": "2027-06-01"}, "breach_date"),
    "not a date": ({"breach_date": "last spring"}, "breach_date"),
    "unknown attribution": ({"attributable_to": "bureau"}, "attributable_to"),
    "no facts": ({"facts": "   "}, "facts"),
    "missing date": ({"breach_date": None}, "breach_date"),
    "unknown field": ({"penalty": "100"}, "penalty"),
}


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
@pytest.mark.parametrize("case", list(REPORT_CASES))
async def test_bad_breach_report_is_a_422_naming_the_field_and_writes_nothing(platform, case):
    await platform.start()
    event = await select(platform, announce=False)
    overrides, field = REPORT_CASES[case]
    body = {"breach_date": "2025-03-01", "facts": "absent", "attributable_to": "expert", **overrides}
    body = {k: v for k, v in body.items() if v is not None}

    response = await post(platform, f"/selections/{event.application_id}/breaches", body, employer_of(event))

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert field in [e["field"] for e in response.json()["errors"]]
    assert await platform.count("review", contract_breaches) == 0


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
@pytest.mark.parametrize(("action", "body", "field"), [("withdraw", {}, "reason"), ("withdraw", {"reason": ""}, "reason"),
                                                       ("appeal", {"grounds": ""}, "grounds")])
async def test_withdrawal_and_appeal_need_their_reason(platform, action, body, field):
    await platform.start()
    event = await select(platform, announce=False)
    confirmed = await breach(platform, event)
    headers = OFFICER if action == "withdraw" else expert_of(event)

    response = await post(platform, f"/breaches/{confirmed['id']}/{action}", body, headers)

    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
    assert await platform.count("review", breach_appeals) == 0
    assert await outbox_events(platform, "ContractBreachWithdrawn") == []


async def test_a_NUL_character_in_the_facts_is_a_422_not_a_database_error(platform):
    await platform.start()
    event = await select(platform, announce=False)

    response = await post(platform, f"/selections/{event.application_id}/breaches",
                          {"breach_date": "2025-03-01", "facts": "absent\x00", "attributable_to": "expert"},
                          employer_of(event))

    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["facts"]
    assert await platform.count("review", contract_breaches) == 0


async def test_who_may_report_confirm_withdraw_and_appeal(platform):
    await platform.start()
    event = await select(platform, announce=False)
    stranger = auth("employer", str(uuid.uuid4()))
    report = {"breach_date": "2025-03-01", "facts": "absent", "attributable_to": "expert"}
    path = f"/selections/{event.application_id}/breaches"

    reports = [(await post(platform, path, report, h)).status_code
               for h in (stranger, expert_of(event), auth("committee_member"), {})]
    unknown = await post(platform, f"/selections/{uuid.uuid4()}/breaches", report, OFFICER)
    assert reports == [403, 403, 403, 401] and unknown.status_code == 404
    assert await platform.count("review", contract_breaches) == 0

    reported = await report_breach(platform, event)
    confirms = [(await post(platform, f"/breaches/{reported['id']}/confirm", {}, h)).status_code
                for h in (employer_of(event), expert_of(event), {})]
    assert confirms == [403, 403, 401]
    assert (await post(platform, f"/breaches/{uuid.uuid4()}/confirm", {}, OFFICER)).status_code == 404
    await confirm_breach(platform, reported["id"])

    withdrawals = [(await post(platform, f"/breaches/{reported['id']}/withdraw", {"reason": "x"}, h)).status_code
                   for h in (employer_of(event), expert_of(event), {})]
    appeals = [(await post(platform, f"/breaches/{reported['id']}/appeal", {"grounds": "x"}, h)).status_code
               for h in (stranger, auth("expert", subject=str(uuid.uuid4())), OFFICER, {})]
    assert withdrawals == [403, 403, 401]
    assert appeals == [403, 403, 403, 401]
    assert await platform.count("review", breach_appeals) == 0
    assert len(await outbox_events(platform, "ContractBreached")) == 1
    assert await outbox_events(platform, "ContractBreachWithdrawn") == []


async def test_breaches_are_shown_to_the_parties_concerned_and_officers_only(platform):
    await platform.start()
    mine, theirs = await select(platform, announce=False), await select(platform, announce=False)
    my_breach = await report_breach(platform, mine)
    their_breach = await breach(platform, theirs)
    stranger = auth("employer", str(uuid.uuid4()))

    assert [b["id"] for b in (await get(platform, "/breaches", employer_of(mine))).json()["items"]] == [my_breach["id"]]
    assert [b["id"] for b in (await get(platform, "/breaches", expert_of(theirs))).json()["items"]] == [
        their_breach["id"]]
    everything = await get(platform, "/breaches", OFFICER)
    assert [b["id"] for b in everything.json()["items"]] == [my_breach["id"], their_breach["id"]]
    confirmed_only = await get(platform, "/breaches", OFFICER, state="confirmed")
    assert [b["id"] for b in confirmed_only.json()["items"]] == [their_breach["id"]]
    per_selection = await get(platform, f"/selections/{mine.application_id}/breaches", employer_of(mine))
    assert [b["id"] for b in per_selection.json()["items"]] == [my_breach["id"]]

    assert (await get(platform, f"/breaches/{my_breach['id']}", stranger)).status_code == 404
    assert (await get(platform, f"/breaches/{my_breach['id']}", employer_of(theirs))).status_code == 404
    assert (await get(platform, f"/selections/{mine.application_id}/breaches", stranger)).status_code == 404
    assert (await get(platform, "/breaches", stranger)).json()["items"] == []
    assert (await get(platform, "/breaches", auth("partner_agency"))).status_code == 403
    assert (await get(platform, "/appeals", employer_of(mine))).status_code == 403
    assert (await get(platform, "/breaches", OFFICER, state="revoked")).status_code == 422
