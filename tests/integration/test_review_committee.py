"""The review committee (R-COMMITTEE): sittings, recusals, R-ELIG scores, votes and the decision, on both run modes."""

from __future__ import annotations

import asyncio

import pytest

from services.review.models import cases, conflicts, decisions, scores, sittings, votes
from shared.events.common import Track
from tests.support.events import publish
from tests.support.platform import eventually
from tests.support.review import (
    GOOD, OFFICER, WEAK, act, case_arrived, convene, count, decide, deliberate, formal_pass, outbox_events, subjects,
)
from tests.support.subsidy import entitlements_of


# -- the decision -------------------------------------------------------------------------------

async def test_r_committee_approval_with_one_recusal_quotes_the_plan_and_reaches_subsidy(platform):
    s = await convene(platform, event=formal_pass(state_owned=True))
    recused = subjects(s)[-1]  # the second expert declares a conflict
    await deliberate(s, recuse=recused, against=(subjects(s)[0],))

    r = await decide(s)

    assert r.status_code == 201, r.text
    decision = r.json()
    assert r.headers["location"] == f"/review/v1/decisions/{s.app}"
    assert decision["outcome"] == "approved"
    assert (decision["votes_for"], decision["votes_against"], decision["recused"]) == (4, 1, 1)
    assert decision["funding_plan"]["to_be_quoted"] is False
    items = {i["code"]: i for i in decision["funding_plan"]["items"]}
    # Art. 11(1): 20% of 850,000 would be 170,000, within the 200,000 cap (R-SUB-SALARY).
    assert items["salary_subsidy"]["estimated_yearly_amount"] == "170000.00"
    assert items["salary_subsidy"]["article"].startswith("Art. 11")
    assert "R-WAGE-TOTAL" in decision["wage_bill_note"]  # the employer is municipal state-owned
    assert decision["average_scores"] == {"achievements": "9.00", "renown": "8.00", "recognition": "8.00",
                                          "need": "9.00"}
    [approved] = await outbox_events(platform, "ApplicationApproved")
    assert approved["application_id"] == s.app
    assert approved["expert"]["expert_id"] == str(s.event.expert.expert_id)
    assert approved["employer"]["municipal_state_owned"] is True
    assert approved["contract"]["annual_salary"] == "850000.00"
    assert approved["funding_plan"]["items"][0]["estimated_yearly_amount"] == "170000.00"
    [entitlement] = await eventually(lambda: entitlements_of(platform, s.event.expert.expert_id),
                                     message="subsidy opened the entitlement from ApplicationApproved")
    assert entitlement["funding_plan"]["items"] == approved["funding_plan"]["items"]
    async with platform.client("review", OFFICER) as client:
        assert (await client.get(f"/review/v1/decisions/{s.app}")).json() == decision
        assert (await client.get(f"/review/v1/cases/{s.app}")).json()["state"] == "approved"


async def test_r_committee_majority_of_non_recused_not_reached_declines_with_reasons(platform):
    s = await convene(platform)
    recused = subjects(s)[0]
    # 5 non-recused members, 2 for, 3 against: no majority.
    await deliberate(s, recuse=recused, against=tuple(subjects(s)[1:4]), sheet=WEAK)

    r = await decide(s)

    assert r.status_code == 201, r.text
    decision = r.json()
    assert decision["outcome"] == "declined"
    assert decision["funding_plan"] is None
    assert (decision["votes_for"], decision["votes_against"], decision["recused"]) == (2, 3, 1)
    [declined] = await outbox_events(platform, "ApplicationDeclined")
    assert declined["reasons"] == decision["reasons"]
    assert "majority" in declined["reasons"][0] and "renown" in declined["reasons"][1]
    assert await outbox_events(platform, "ApplicationApproved") == []


async def test_r_cap_exception_goes_into_the_quote_and_the_event(platform):
    s = await convene(platform, event=formal_pass(salary="2000000.00"))
    await deliberate(s)

    r = await decide(s, {"cap_exception": {"amount": "300000.00", "reason": "unique expertise"}})

    assert r.status_code == 201, r.text
    items = {i["code"]: i for i in r.json()["funding_plan"]["items"]}
    assert items["salary_subsidy"]["estimated_yearly_amount"] == "300000.00"  # 20% of 2M = 400k, capped at 300k
    [approved] = await outbox_events(platform, "ApplicationApproved")
    assert approved["cap_exception"]["amount"] == "300000.00"
    assert approved["cap_exception"]["reason"] == "unique expertise"


@pytest.mark.parametrize("track", [Track.key_industry_recurring, Track.short_term])
async def test_r_committee_plan_is_quoted_for_the_other_tracks(platform, track):
    s = await convene(platform, event=formal_pass(track=track, salary="600000.00"))
    await deliberate(s)

    r = await decide(s)

    assert r.status_code == 201, r.text
    plan = r.json()["funding_plan"]
    assert plan["to_be_quoted"] is False and plan["items"]
    assert all(i["estimated_yearly_amount"] is not None for i in plan["items"])


# -- subsidy not answering ----------------------------------------------------------------------

async def test_subsidy_unreachable_marks_plan_to_be_quoted_and_still_decides(platform):
    s = await convene(platform, settings={"review": {"subsidy_url": "http://127.0.0.1:9",
                                                     "quote_timeout_seconds": 2}})
    quotes = platform.apps["review"].state.runtime.extras.subsidy_quotes
    quotes.transport, quotes.base_url = None, "http://127.0.0.1:9"  # real HTTP to a closed port
    await deliberate(s)

    r = await decide(s)

    assert r.status_code == 201, r.text
    assert r.json()["outcome"] == "approved"
    assert r.json()["funding_plan"] == {"items": [], "to_be_quoted": True, "quoted_at": None, "quoted_by": None}
    [approved] = await outbox_events(platform, "ApplicationApproved")
    assert approved["funding_plan"]["to_be_quoted"] is True


async def test_subsidy_that_does_not_answer_in_time_marks_plan_to_be_quoted(platform):
    accepted = []

    async def silent(reader, writer):  # accepts the connection, reads the request, never answers
        accepted.append(True)
        await asyncio.sleep(30)
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        s = await convene(platform, settings={"review": {"quote_timeout_seconds": 0.5}})
        quotes = platform.apps["review"].state.runtime.extras.subsidy_quotes
        quotes.transport, quotes.base_url = None, f"http://127.0.0.1:{port}"
        await deliberate(s)
        started = asyncio.get_running_loop().time()

        r = await decide(s)

        elapsed = asyncio.get_running_loop().time() - started
    finally:
        server.close()
    assert r.status_code == 201, r.text
    assert r.json()["funding_plan"]["to_be_quoted"] is True
    assert accepted, "the quote was asked"
    assert elapsed < 5, f"the decision waited {elapsed:.1f}s, past the quote timeout"


# -- the state machine: refused transitions are 409 naming the state ------------------------------

async def test_r_committee_no_decision_without_every_seat_type_present(platform):
    s = await convene(platform, present=[])
    async with platform.client("review", OFFICER) as client:
        everyone_but_industry = [i for subj, i in s.committee.ids.items() if s.committee.seats[subj] != "industry"]
        r = await client.post(f"/review/v1/sittings/{s.sitting_id}/attendance", headers=OFFICER,
                              json={"present_member_ids": everyone_but_industry})
        assert r.json()["missing_seat_types"] == ["industry"]
    for subject in subjects(s):
        if s.committee.seats[subject] != "industry":
            await act(s, subject, "scores", GOOD)
            await act(s, subject, "votes", {"approve": True})

    r = await decide(s)

    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["state"] == "seats_incomplete"
    assert r.json()["missing_seat_types"] == ["industry"]
    assert await count(platform, decisions) == 0
    assert await outbox_events(platform, "ApplicationApproved") == []


async def test_decision_is_final_a_second_is_409_naming_the_state(platform):
    s = await convene(platform)
    await deliberate(s)
    assert (await decide(s)).status_code == 201

    again = await decide(s)

    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.json()["state"] == "approved"
    assert await count(platform, decisions) == 1
    assert len(await outbox_events(platform, "ApplicationApproved")) == 1
    # Nor may anyone score or vote on a decided case.
    late = await act(s, subjects(s)[0], "votes", {"approve": False})
    assert late.status_code == 409 and late.json()["state"] == "approved"


async def test_r_committee_conflicted_member_neither_scores_nor_votes(platform):
    s = await convene(platform)
    member = subjects(s)[1]
    assert (await act(s, member, "conflicts", {"reason": "former colleague"})).status_code == 201

    scored = await act(s, member, "scores", GOOD)
    voted = await act(s, member, "votes", {"approve": True})
    again = await act(s, member, "conflicts", {"reason": "twice"})

    assert (scored.status_code, scored.json()["state"]) == (409, "recused")
    assert (voted.status_code, voted.json()["state"]) == (409, "recused")
    assert (again.status_code, again.json()["state"]) == (409, "recused")
    assert await count(platform, scores) == 0 and await count(platform, votes) == 0
    assert await count(platform, conflicts) == 1


async def test_vote_needs_a_score_first_and_a_conflict_comes_before_acts(platform):
    s = await convene(platform)
    member = subjects(s)[0]
    early = await act(s, member, "votes", {"approve": True})
    assert (early.status_code, early.json()["state"]) == (409, "not_scored")
    assert (await act(s, member, "scores", GOOD)).status_code == 201
    twice = await act(s, member, "scores", GOOD)
    assert (twice.status_code, twice.json()["state"]) == (409, "scored")
    late = await act(s, member, "conflicts", {"reason": "remembered late"})
    assert (late.status_code, late.json()["state"]) == (409, "scored")


async def test_decision_waits_for_every_non_recused_vote(platform):
    s = await convene(platform)
    await act(s, subjects(s)[0], "scores", GOOD)
    await act(s, subjects(s)[0], "votes", {"approve": True})

    r = await decide(s)

    assert (r.status_code, r.json()["state"]) == (409, "voting_open")
    assert await count(platform, decisions) == 0


async def test_absent_member_cannot_score(platform):
    s = await convene(platform, present=[])
    r = await act(s, subjects(s)[0], "scores", GOOD)
    assert (r.status_code, r.json()["state"]) == (409, "absent")


async def test_case_on_an_agenda_cannot_join_another_sitting(platform):
    s = await convene(platform)
    async with platform.client("review", OFFICER) as client:
        r = await client.post("/review/v1/sittings", headers=OFFICER, json={
            "held_on": "2024-06-01", "member_ids": [s.committee.ids[subjects(s)[0]]], "application_ids": [s.app]})
    assert r.status_code == 409
    assert r.json()["state"] == "on_agenda"
    assert await count(platform, sittings) == 1


# -- events converge ----------------------------------------------------------------------------

async def test_formal_review_passed_twice_makes_one_case(platform):
    await platform.start()
    event = formal_pass()
    await publish(platform, event)
    await publish(platform, event)  # announced again under a new event id
    await eventually(lambda: case_arrived(platform, event.application_id), message="case received")
    await eventually(lambda: _inbox(platform, 2), message="both deliveries handled")
    assert await count(platform, cases) == 1
    async with platform.client("review", OFFICER) as client:
        page = (await client.get("/review/v1/cases")).json()
    assert [c["application_id"] for c in page["items"]] == [str(event.application_id)]
    assert page["items"][0]["dossier"]["expert"]["name"] == "Ada Example"
    assert "passport_number" not in str(page)


async def _inbox(platform, n: int) -> bool:
    return await platform.count("review", "inbox") >= n


async def test_two_decisions_at_once_record_one(platform):
    s = await convene(platform)
    await deliberate(s)

    first, second = await asyncio.gather(decide(s), decide(s))

    assert sorted([first.status_code, second.status_code]) == [201, 409]
    refused = first if first.status_code == 409 else second
    assert refused.json()["state"] in ("approved", "decided")
    assert await count(platform, decisions) == 1
    assert len(await outbox_events(platform, "ApplicationApproved")) == 1


async def test_the_same_vote_sent_twice_at_once_counts_once(platform):
    s = await convene(platform)
    member = subjects(s)[0]
    assert (await act(s, member, "scores", GOOD)).status_code == 201

    first, second = await asyncio.gather(act(s, member, "votes", {"approve": True}),
                                         act(s, member, "votes", {"approve": False}))

    assert sorted([first.status_code, second.status_code]) == [201, 409]
    assert (first if first.status_code == 409 else second).json()["state"] == "voted"
    assert await count(platform, votes) == 1
