"""The committee and supervision under simultaneous requests, on both run modes (R-COMMITTEE, R-SUPERVISE).

Of N identical requests exactly the allowed number take effect; the others are a clean 409 problem, never a
500, and the rows say the same. On PostgreSQL each check locks what it reads (the case, the member's seat, the
breach, the appeal) or a unique key turns the race into the 409; on SQLite the unit of work's
``BEGIN IMMEDIATE`` runs writers one after the other."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

import sqlalchemy as sa

from services.review.committee import handlers as review_handlers
from services.review.models import committee_members, conflicts, decisions, scores, sittings, votes
from services.review.supervision.models import (
    breach_appeals, contract_breaches, performance_evaluations, signed_contracts,
)
from tests.support import supervision as sv
from tests.support.concurrent import at_once, settled
from tests.support.events import publish
from tests.support.platform import eventually
from tests.support.review import (
    GOOD, OFFICER, _audit_actions, _failing_quotes, act, case_arrived, convene, count, decide, deliberate,
    formal_pass, outbox_events, subjects,
)


# -- the committee ------------------------------------------------------------------------------------

async def test_r_committee_six_simultaneous_rosterings_of_one_subject_seat_it_once(platform):
    await platform.start()

    async def add():
        async with platform.client("review", OFFICER) as client:
            return await client.post("/review/v1/committee-members",
                                     json={"subject": "prof-zhang", "name": "Prof. Zhang", "seat_type": "expert"})

    settled(await at_once(6, add), ok=201)
    assert await count(platform, committee_members, committee_members.c.subject == "prof-zhang") == 1


async def test_r_committee_six_simultaneous_sittings_for_one_case_put_it_on_one_agenda(platform):
    s = await convene(platform)
    second = formal_pass()
    await publish(platform, second)
    await eventually(lambda: case_arrived(platform, second.application_id), message="case received by review")

    async def convene_again():
        async with platform.client("review", OFFICER) as client:
            return await client.post("/review/v1/sittings", json={
                "held_on": "2024-05-21", "member_ids": list(s.committee.ids.values()),
                "application_ids": [str(second.application_id)]})

    [won], refused = settled(await at_once(6, convene_again), ok=201)
    assert {r.json()["state"] for r in refused} == {"on_agenda"}
    assert await count(platform, sittings) == 2  # the first sitting and the one that won
    async with platform.client("review", OFFICER) as client:
        case = (await client.get(f"/review/v1/cases/{second.application_id}")).json()
    assert (case["state"], case["sitting_id"]) == ("on_agenda", won.json()["id"])


def _of(s, table, member: str):
    return ((table.c.sitting_id == uuid.UUID(s.sitting_id)) & (table.c.application_id == s.event.application_id)
            & (table.c.member_id == uuid.UUID(s.committee.ids[member])))


async def test_r_elig_six_simultaneous_score_sheets_of_one_member_record_one(platform):
    s = await convene(platform)
    member = subjects(s)[0]

    settled(await at_once(6, lambda: act(s, member, "scores", GOOD)), ok=201)
    assert await count(platform, scores, _of(s, scores, member)) == 1


async def test_r_committee_six_simultaneous_votes_of_one_member_count_once(platform):
    s = await convene(platform)
    member = subjects(s)[0]
    assert (await act(s, member, "scores", GOOD)).status_code == 201
    choices = [True, False] * 3

    settled(await at_once(6, lambda: act(s, member, "votes", {"approve": choices.pop()})), ok=201)
    assert await count(platform, votes, _of(s, votes, member)) == 1


async def test_r_committee_a_conflict_and_a_score_sent_together_one_stands_never_both(platform):
    """A conflicted member neither scores nor votes: declared at the moment it scores, only one of the two acts
    is recorded (the member's seat is locked for its acts)."""
    s = await convene(platform)
    member = subjects(s)[0]
    kinds = ["conflicts", "scores"] * 3

    async def conflict_or_score():
        kind = kinds.pop()
        return await act(s, member, kind, {"reason": "co-authored with the candidate"} if kind == "conflicts" else GOOD)

    settled(await at_once(6, conflict_or_score), ok=201)
    recused = await count(platform, conflicts, _of(s, conflicts, member))
    scored = await count(platform, scores, _of(s, scores, member))
    assert recused + scored == 1, (recused, scored)


async def test_r_committee_six_simultaneous_decisions_on_one_case_decide_it_once(platform):
    s = await convene(platform)
    await deliberate(s)

    [won], refused = settled(await at_once(6, lambda: decide(s)), ok=201)
    assert won.json()["outcome"] == "approved"
    assert await count(platform, decisions, decisions.c.application_id == s.event.application_id) == 1
    approvals = await outbox_events(platform, "ApplicationApproved")
    assert [a["decision_id"] for a in approvals] == [won.json()["id"]]


# -- supervision (R-SUPERVISE) -------------------------------------------------------------------------

async def test_r_onboard_six_simultaneous_contract_registrations_register_one(platform):
    await platform.start()
    event = await sv.select(platform)

    responses = await at_once(6, lambda: sv.post(platform, f"/selections/{event.application_id}/contract",
                                                 sv.contract_body(event), sv.employer_of(event)))

    settled(responses, ok=201)
    assert await count(platform, signed_contracts, signed_contracts.c.application_id == event.application_id) == 1
    assert len(await sv.outbox_events(platform, "ContractRegistered")) == 1


async def test_r_sub_recurring_six_simultaneous_evaluations_of_one_year_record_one(platform):
    await platform.start()
    event = await sv.select(platform)
    year = 2024
    grades = ["excellent", "good", "qualified"] * 2

    responses = await at_once(6, lambda: sv.post(platform, f"/selections/{event.application_id}/evaluations", {
        "funding_year": year, "grade": grades.pop(), "comments": "the year's objectives"}, sv.OFFICER))

    [won], _ = settled(responses, ok=201)
    assert await count(platform, performance_evaluations,
                       performance_evaluations.c.application_id == event.application_id) == 1
    announced = await sv.outbox_events(platform, "PerformanceEvaluated")
    assert [e["grade"] for e in announced] == [won.json()["grade"]]


async def test_r_supervise_confirmations_and_dismissals_sent_together_one_decides_the_breach(platform):
    await platform.start()
    event = await sv.select(platform)
    reported = await sv.report_breach(platform, event)
    actions = ["confirm", "dismiss"] * 3

    async def decide_breach():
        action = actions.pop()
        return await sv.post(platform, f"/breaches/{reported['id']}/{action}",
                             {} if action == "confirm" else {"reason": "the absence was authorised"}, sv.OTHER_OFFICER)

    [won], _ = settled(await at_once(6, decide_breach), ok=200)
    state = won.json()["state"]
    assert state in ("confirmed", "dismissed")
    async with platform.runtime("review").db.session() as session:
        stored = await session.scalar(sa.select(contract_breaches.c.state).where(
            contract_breaches.c.id == uuid.UUID(reported["id"])))
    assert stored == state
    assert len(await sv.outbox_events(platform, "ContractBreached")) == (1 if state == "confirmed" else 0)


async def test_r_supervise_six_simultaneous_withdrawals_announce_one(platform):
    await platform.start()
    event = await sv.select(platform)
    confirmed = await sv.breach(platform, event)

    responses = await at_once(6, lambda: sv.post(platform, f"/breaches/{confirmed['id']}/withdraw",
                                                 {"reason": "appeal upheld"}, sv.OFFICER))

    _, refused = settled(responses, ok=200)
    assert {r.json()["state"] for r in refused} == {"withdrawn"}
    assert len(await sv.outbox_events(platform, "ContractBreachWithdrawn")) == 1


async def test_r_supervise_six_simultaneous_appeals_of_the_expert_lodge_one(platform):
    await platform.start()
    event = await sv.select(platform)
    confirmed = await sv.breach(platform, event)

    responses = await at_once(6, lambda: sv.post(platform, f"/breaches/{confirmed['id']}/appeal",
                                                 {"grounds": "the absence was authorised sick leave"},
                                                 sv.expert_of(event)))

    [won], _ = settled(responses, ok=201)
    assert await count(platform, breach_appeals, breach_appeals.c.breach_id == uuid.UUID(confirmed["id"])) == 1

    dismissals = await at_once(6, lambda: sv.post(platform, f"/appeals/{won.json()['id']}/dismiss",
                                                  {"reason": "no evidence of leave"}, sv.OFFICER))
    settled(dismissals, ok=200)
    async with platform.runtime("review").db.session() as session:
        state = await session.scalar(sa.select(breach_appeals.c.state).where(
            breach_appeals.c.id == uuid.UUID(won.json()["id"])))
    assert state == "dismissed"


async def test_r_committee_attendance_corrected_while_the_case_is_decided_waits_and_is_refused(platform, monkeypatch):
    """Attendance may be corrected until the sitting's first decision. A correction sent while the decision is
    being recorded (after it read the attendance, before it commits) waits for it and is then refused: the
    decision stands on the attendance it read, and that attendance is final."""
    s = await convene(platform)
    await deliberate(s)
    without_industry = [m for subject, m in s.committee.ids.items() if s.committee.seats[subject] != "industry"]
    corrections = []

    async def correct():
        async with platform.client("review", OFFICER) as client:
            return await client.post(f"/review/v1/sittings/{s.sitting_id}/attendance",
                                     json={"present_member_ids": without_industry})

    deliberation = review_handlers._deliberation

    async def deliberation_then_a_correction(session, *args, lock: bool):
        read = await deliberation(session, *args, lock=lock)
        if lock:  # inside the decision's unit of work: a correction arrives now
            corrections.append(asyncio.create_task(correct()))
            await asyncio.sleep(0.3)
        return read

    monkeypatch.setattr(review_handlers, "_deliberation", deliberation_then_a_correction)
    decision = await decide(s)
    [correction] = await asyncio.gather(*corrections)

    assert decision.status_code == 201, decision.text
    assert correction.status_code == 409, correction.text
    assert correction.json()["state"] == "deciding"
    async with platform.client("review", OFFICER) as client:
        sitting = (await client.get(f"/review/v1/sittings/{s.sitting_id}")).json()
    assert all(m["present"] for m in sitting["members"]), sitting


async def test_r_committee_six_simultaneous_quotes_of_a_plan_recorded_to_be_quoted_quote_it_once(platform):
    s = await convene(platform)
    restore = _failing_quotes(platform)
    await deliberate(s)
    decided = await decide(s)
    assert decided.status_code == 201 and decided.json()["funding_plan"]["to_be_quoted"], decided.text
    restore()

    async def quote():
        async with platform.client("review", OFFICER) as client:
            return await client.post(f"/review/v1/decisions/{s.app}/funding-plan/quote")

    [won], refused = settled(await at_once(6, quote), ok=200)
    assert {r.json()["state"] for r in refused} == {"quoted"}
    quoted = [a for a in await _audit_actions(platform) if a == "quote_funding_plan"]
    assert len(quoted) == 1
    async with platform.runtime("review").db.session() as session:
        plan = (await session.execute(sa.select(decisions.c.funding_plan))).scalar_one()
    assert datetime.fromisoformat(plan["quoted_at"]) == datetime.fromisoformat(won.json()["funding_plan"]["quoted_at"])
