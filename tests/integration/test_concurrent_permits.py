"""Permits under simultaneous requests, on both run modes (R-PERMIT, R-SCHOOL, partner webhooks).

A permit application is filed, renewed and moved with its case locked (and itself, for a step), a school
placement with itself locked, a webhook subscription with its row locked and its version guarded: of N
identical requests the allowed number take effect, the others are a clean 409/412 problem, never a 500."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from services.permits.applications import handlers
from services.permits.models import (
    green_channel_cases, permit_applications, permit_reminders, school_placements, webhook_subscriptions,
)
from tests.support.webhooks import URL, create
from tests.support.concurrent import at_once, settled
from tests.support.permits import OFFICER, add_years, dependant_body, open_case, principal_body, today


async def _post(platform, path: str, body: dict | None = None, headers=OFFICER):
    async with platform.client("permits", headers) as client:
        return await client.post(f"/permits/v1{path}", json=body)


async def _applications(platform, case_id, **where) -> list:
    a = permit_applications
    async with platform.runtime("permits").db.session() as session:
        query = sa.select(a).where(a.c.case_id == uuid.UUID(case_id))
        for column, value in where.items():
            query = query.where(a.c[column] == value)
        return (await session.execute(query)).all()


async def _outbox(platform, event_type: str) -> int:
    outbox = platform.runtime("permits").tables.outbox
    return await platform.count("permits", outbox, outbox.c.event_type == event_type)


async def test_r_permit_six_simultaneous_work_permit_filings_in_one_case_file_one(platform):
    await platform.start()
    _, case = await open_case(platform)

    settled(await at_once(6, lambda: _post(platform, f"/cases/{case['id']}/applications", principal_body())), ok=201)
    assert len(await _applications(platform, case["id"], kind="work_permit")) == 1


async def test_r_permit_six_simultaneous_spouse_filings_file_one(platform):
    await platform.start()
    _, case = await open_case(platform)
    residence = await _post(platform, f"/cases/{case['id']}/applications", principal_body("work_residence_permit"))
    assert residence.status_code == 201, residence.text

    responses = await at_once(6, lambda: _post(platform, f"/cases/{case['id']}/applications",
                                               dependant_body("spouse", years=4)))

    settled(responses, ok=201)
    assert len(await _applications(platform, case["id"], holder="spouse")) == 1


async def test_r_permit_simultaneous_submissions_then_issues_take_each_step_once(platform):
    await platform.start()
    _, case = await open_case(platform)
    filed = await _post(platform, f"/cases/{case['id']}/applications", principal_body())
    assert filed.status_code == 201, filed.text
    path = f"/permit-applications/{filed.json()['id']}"

    settled(await at_once(6, lambda: _post(platform, f"{path}/submit")), ok=200)
    numbers = [f"WP-{n}" for n in range(6)]
    [issued], _ = settled(await at_once(6, lambda: _post(platform, f"{path}/issue",
                                                         {"permit_number": numbers.pop()})), ok=200)

    [row] = await _applications(platform, case["id"])
    assert (row.status, row.permit_number, row.version) == ("issued", issued.json()["permit_number"], 3)
    assert await _outbox(platform, "WorkPermitIssued") == 1


async def test_r_permit_six_simultaneous_renewals_of_one_permit_file_one(platform):
    await platform.start()
    _, case = await open_case(platform)
    filed = await _post(platform, f"/cases/{case['id']}/applications", principal_body(years=2))
    path = f"/permit-applications/{filed.json()['id']}"
    assert (await _post(platform, f"{path}/submit")).status_code == 200
    assert (await _post(platform, f"{path}/issue", {"permit_number": "WP-9"})).status_code == 200
    start = add_years(today(), 2)

    responses = await at_once(6, lambda: _post(platform, f"{path}/renewals", {
        "valid_from": start.isoformat(), "valid_until": add_years(start, 2).isoformat()}))

    settled(responses, ok=201)
    assert len(await _applications(platform, case["id"], renews_id=uuid.UUID(filed.json()["id"]))) == 1


async def test_r_school_six_simultaneous_steps_of_one_placement_take_it_once(platform):
    await platform.start()
    event, case = await open_case(platform)
    requested = await _post(platform, f"/cases/{case['id']}/school-placements", {
        "child_name": "Lea Example", "date_of_birth": add_years(today(), -9).isoformat(),
        "preferred_school_type": "international", "preferred_district": "chaoyang", "grade": "4"})
    assert requested.status_code == 201, requested.text
    path = f"/school-placements/{requested.json()['id']}"
    steps = ["place", "withdraw"] * 3  # each final: one of them, once

    async def step():
        step = steps.pop()
        return await _post(platform, f"{path}/{step}", {
            "school_name": "Beijing City International School", "school_type": "international"}
            if step == "place" else {"note": "the family moves to Shanghai"})

    [won], _ = settled(await at_once(6, step), ok=200)
    async with platform.runtime("permits").db.session() as session:
        status = await session.scalar(sa.select(school_placements.c.status).where(
            school_placements.c.id == uuid.UUID(requested.json()["id"])))
    assert status == won.json()["status"] in ("placed", "withdrawn")


async def _subscription(platform, subscription_id):
    async with platform.runtime("permits").db.session() as session:
        return (await session.execute(sa.select(webhook_subscriptions).where(
            webhook_subscriptions.c.id == uuid.UUID(subscription_id)))).one()


async def test_six_simultaneous_secret_rotations_chain_every_secret_handed_out(platform):
    """Each rotation is told a secret and signs alongside the one before it: rotations sent together run one
    after the other, so the last secret handed out is the current one and the one before it the previous."""
    await platform.start()
    created = await create(platform)
    assert created.status_code == 201, created.text
    subscription = created.json()

    responses = await at_once(6, lambda: _post(platform, f"/webhook-subscriptions/{subscription['id']}/rotate-secret"))

    assert [r.status_code for r in responses] == [200] * 6, [r.text for r in responses]
    handed_out = {r.json()["secret"] for r in responses}
    row = await _subscription(platform, subscription["id"])
    assert row.version == 1 + 6
    assert row.secret in handed_out and row.previous_secret in handed_out, "a rotation's secret was lost"


async def test_six_simultaneous_edits_of_one_subscription_version_apply_one_the_rest_412(platform):
    await platform.start()
    subscription = (await create(platform)).json()
    descriptions = [f"Entry-exit bureau, desk {n}" for n in range(6)]

    async def edit():
        async with platform.client("permits", OFFICER) as client:
            return await client.patch(f"{URL}/{subscription['id']}", json={"description": descriptions.pop()},
                                      headers={"If-Match": '"1"'})

    [won], _ = settled(await at_once(6, edit), ok=200, refused=412)
    row = await _subscription(platform, subscription["id"])
    assert (row.version, row.description) == (2, won.json()["description"])


@pytest.mark.postgres
@pytest.mark.rabbit
@pytest.mark.parametrize("platform", ["real"], indirect=True)
async def test_r_supervise_a_step_taken_while_the_case_is_revoked_is_never_a_deadlock(platform, monkeypatch):
    """A revocation locks the case, then its applications (``_revoke``); a step on an application locks the
    case first too, so the two queue instead of each holding what the other waits for (PostgreSQL would break
    the deadlock by failing one of them: a 500 to the officer). Here the test plays the revocation's locks
    itself, at the moment the step is between its two locks."""
    await platform.start()
    _, case = await open_case(platform)
    filed = await _post(platform, f"/cases/{case['id']}/applications", principal_body())
    assert filed.status_code == 201, filed.text
    between, revoking = asyncio.Event(), asyncio.Event()
    case_for = handlers.case_for

    async def case_for_when_revoking(session, case_id, principal, *, lock: bool = False):
        if lock and not between.is_set():
            between.set()
            await revoking.wait()
            await asyncio.sleep(0.2)  # the revocation has the case: the step now waits for it
        return await case_for(session, case_id, principal, lock=lock)

    async def revocation():
        await between.wait()
        async with platform.runtime("permits").db.session() as session, session.begin():
            await session.execute(sa.select(green_channel_cases.c.id).where(
                green_channel_cases.c.id == uuid.UUID(case["id"])).with_for_update())
            revoking.set()
            await asyncio.sleep(0.5)
            await session.execute(sa.update(permit_applications).where(
                permit_applications.c.case_id == uuid.UUID(case["id"])).values(version=permit_applications.c.version))
            await session.rollback()

    monkeypatch.setattr(handlers, "case_for", case_for_when_revoking)
    submitted, _ = await asyncio.gather(_post(platform, f"/permit-applications/{filed.json()['id']}/submit"),
                                        revocation())

    assert submitted.status_code == 200, submitted.text


async def test_r_permit_six_simultaneous_reminder_runs_send_each_reminder_once(platform):
    await platform.start()
    _, case = await open_case(platform)
    filed = await _post(platform, f"/cases/{case['id']}/applications", principal_body(years=2))
    path = f"/permit-applications/{filed.json()['id']}"
    assert (await _post(platform, f"{path}/submit")).status_code == 200
    assert (await _post(platform, f"{path}/issue", {"permit_number": "WP-7"})).status_code == 200
    day = (add_years(today(), 2) - timedelta(days=20)).isoformat()

    async def run():
        async with platform.client("permits", OFFICER) as client:
            return await client.post("/permits/v1/expiry-reminders", params={"today": day})

    responses = await at_once(6, run)

    assert [r.status_code for r in responses] == [200] * 6, [r.text for r in responses]
    assert sum(len(r.json()["sent"]) for r in responses) == 1
    assert await platform.count("permits", permit_reminders) == 1
    assert await _outbox(platform, "PermitExpiring") == 1
