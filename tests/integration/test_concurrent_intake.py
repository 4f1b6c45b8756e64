"""Application transitions under simultaneous requests, on both run modes (R-APPLY, R-FORMAL).

Every transition locks the application (``FOR UPDATE``; on SQLite the unit of work's ``BEGIN IMMEDIATE``)
and writes it at the next version only if the version it read is still there: of N identical requests one
moves the application, the others see the state it moved to and are refused (409, or 412 for an edit made
on a version that is gone)."""

from __future__ import annotations

import asyncio
import uuid

import sqlalchemy as sa

from services.intake.models import application_history, applications
from tests.support import data
from tests.support.concurrent import at_once, settled
from tests.support.selection import (
    OFFICER, draft, employer_auth, passed_preliminary, published_entry, registered_employer, reviewer_auth, submitted,
)


async def _history(platform, application_id) -> list[str]:
    async with platform.runtime("intake").db.session() as session:
        return list((await session.execute(sa.select(application_history.c.action).where(
            application_history.c.application_id == uuid.UUID(application_id)).order_by(application_history.c.id)
        )).scalars())


async def _row(platform, application_id):
    async with platform.runtime("intake").db.session() as session:
        return (await session.execute(sa.select(applications).where(
            applications.c.id == uuid.UUID(application_id)))).one()


async def _events(platform, event_type: str) -> int:
    outbox = platform.runtime("intake").tables.outbox
    return await platform.count("intake", outbox, outbox.c.event_type == event_type)


async def _employer_and_entry(platform):
    await platform.start()
    return await registered_employer(platform), await published_entry(platform)


async def _post(platform, headers, path: str, body: dict | None = None):
    async with platform.client("intake", headers) as client:
        return await client.post(f"/intake/v1/applications/{path}", json=body)


async def test_r_apply_eight_simultaneous_submissions_submit_once(platform):
    employer, entry = await _employer_and_entry(platform)
    application = await draft(platform, employer, entry)
    added = await _post(platform, employer_auth(employer), f"{application['id']}/recommendations", data.recommendation())
    assert added.status_code == 201, added.text

    responses = await at_once(8, lambda: _post(platform, employer_auth(employer), f"{application['id']}/submit"))

    _, refused = settled(responses, ok=200)
    assert {r.json()["current_state"] for r in refused} == {"preliminary_review"}
    row = await _row(platform, application["id"])
    assert (row.state, row.submissions) == ("preliminary_review", 1)
    assert (await _history(platform, application["id"])).count("submitted") == 1
    assert await _events(platform, "ApplicationSubmitted") == 1


async def test_r_apply_six_simultaneous_preliminary_reviews_with_different_outcomes_one_stands(platform):
    employer, entry = await _employer_and_entry(platform)
    application = await submitted(platform, employer, entry)
    outcomes = ["pass", "return", "reject"] * 2

    async def review():
        outcome = outcomes.pop()
        return await _post(platform, reviewer_auth(employer), f"{application['id']}/preliminary-review",
                           {"outcome": outcome, "reason": f"{outcome}: as the reviewer found"})

    responses = await at_once(6, review)

    [won], _ = settled(responses, ok=200)
    row = await _row(platform, application["id"])
    assert row.state == won.json()["state"] != "preliminary_review"
    reviews = [a for a in await _history(platform, application["id"]) if a.startswith("preliminary_review_")]
    assert len(reviews) == 1, reviews
    assert await _events(platform, "ApplicationReturned") + await _events(platform, "ApplicationRejected") == (
        0 if row.state == "formal_review" else 1)


async def test_r_formal_six_simultaneous_formal_passes_announce_one_formal_review_passed(platform):
    employer, entry = await _employer_and_entry(platform)
    application = await passed_preliminary(platform, employer, entry)

    responses = await at_once(6, lambda: _post(platform, OFFICER, f"{application['id']}/formal-review", {
        "outcome": "pass", "reason": "complete", "checklist": data.FORMAL_CHECKLIST_COMPLETE}))

    _, refused = settled(responses, ok=200)
    assert {r.json()["current_state"] for r in refused} == {"awaiting_committee"}
    assert (await _row(platform, application["id"])).state == "awaiting_committee"
    assert (await _history(platform, application["id"])).count("formal_review_pass") == 1
    assert await _events(platform, "FormalReviewPassed") == 1


async def test_r_apply_six_simultaneous_edits_on_one_version_one_is_applied_the_rest_412(platform):
    employer, entry = await _employer_and_entry(platform)
    application = await draft(platform, employer, entry)
    positions = [f"Chief scientist, laboratory {n}" for n in range(6)]

    async def edit():
        async with platform.client("intake", employer_auth(employer)) as client:
            return await client.patch(f"/intake/v1/applications/{application['id']}",
                                      json={"position": positions.pop()}, headers={"If-Match": '"1"'})

    responses = await at_once(6, edit)

    [won], _ = settled(responses, ok=200, refused=412)
    row = await _row(platform, application["id"])
    assert (row.version, row.position) == (2, won.json()["position"])
    assert (await _history(platform, application["id"])).count("edited") == 1


async def test_r_apply_six_simultaneous_resubmissions_after_a_return_resubmit_once(platform):
    employer, entry = await _employer_and_entry(platform)
    application = await submitted(platform, employer, entry)
    returned = await _post(platform, reviewer_auth(employer), f"{application['id']}/preliminary-review",
                           {"outcome": "return", "reason": "salary figure missing a year"})
    assert returned.status_code == 200 and returned.json()["state"] == "returned", returned.text

    responses = await at_once(6, lambda: _post(platform, employer_auth(employer), f"{application['id']}/submit"))

    settled(responses, ok=200)
    row = await _row(platform, application["id"])
    assert (row.state, row.submissions) == ("preliminary_review", 2)
    assert (await _history(platform, application["id"])).count("submitted") == 2
    assert await _events(platform, "ApplicationSubmitted") == 2


async def test_simultaneous_first_drafts_for_one_passport_make_one_expert_and_tell_only_its_first_employer(platform):
    # One person, one expert id (so the caps per expert and year, R-YEAR-CAP, span employers), even when the
    # first drafts for the number arrive at one moment from several employers, spelt differently.
    await platform.start()
    employers = [await registered_employer(platform) for _ in range(3)]
    entry = await published_entry(platform)
    spellings = ["P7777 1111", "p77771111", "P-7777-1111"]

    async def drafted(employer, number):
        async with platform.client("intake", employer_auth(employer)) as client:
            return await client.post("/intake/v1/applications", json=data.application(
                entry["id"], candidate={**data.application(entry["id"])["candidate"], "passport_number": number}))

    responses = await asyncio.gather(*(drafted(e, n) for e in employers for n in spellings))

    assert [r.status_code for r in responses] == [201] * 9, [r.text for r in responses if r.status_code != 201]
    async with platform.runtime("intake").db.session() as session:
        experts = set((await session.execute(sa.select(applications.c.expert_id))).scalars())
    assert len(experts) == 1
    told = {r.json()["employer_id"]: r.json()["expert_id"] for r in responses if r.json()["expert_id"]}
    # Exactly one employer registered the number first and is told the id; the others are not.
    assert len(told) == 1 and set(told.values()) == {str(experts.pop())}
