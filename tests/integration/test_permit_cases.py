"""Green-channel cases (R-GREEN): opened on ApplicationApproved, with a service-level target in working days."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import sqlalchemy as sa

from services.permits.domain import add_working_days, working_days_between
from services.permits.models import green_channel_cases
from tests.support.events import publish
from tests.support.permits import OFFICER, open_case, outbox_types, principal_body, today
from tests.support.platform import eventually
from tests.support.tokens import auth


async def test_R_GREEN_approval_opens_a_case_due_in_the_configured_working_days(platform):
    await platform.start(settings={"permits": {"green_channel_sla_working_days": 7}})

    event, case = await open_case(platform)

    assert case["expert_id"] == str(event.expert.expert_id)
    assert case["employer_id"] == str(event.employer.employer_id)
    assert case["status"] == "open"
    assert case["sla_working_days"] == 7
    assert case["due_by"] == add_working_days(today(), 7).isoformat()
    assert case["sla_state"] == "open"
    assert (case["contract_start"], case["contract_end"]) == (event.contract.start.isoformat(),
                                                              event.contract.end.isoformat())
    assert await outbox_types(platform) == ["PermitCaseOpened"]
    runtime = platform.runtime("permits")
    async with runtime.db.session() as session:
        payload = json.loads((await session.scalar(sa.select(runtime.tables.outbox.c.payload))))
    assert payload["data"]["case_id"] == case["id"]
    assert payload["data"]["due_by"] == case["due_by"]


async def test_R_GREEN_the_same_approval_twice_opens_one_case(platform):
    await platform.start()
    event, _ = await open_case(platform)

    await publish(platform, event)  # announced again under a new event id
    await eventually(lambda: _inbox(platform, 2), message="both event ids received")

    assert await platform.count("permits", green_channel_cases) == 1
    assert await outbox_types(platform) == ["PermitCaseOpened"]


async def _inbox(platform, n):
    return await platform.count("permits", platform.runtime("permits").tables.inbox) >= n


async def test_public_holidays_are_not_working_days(platform):
    holidays = [today() + timedelta(days=d) for d in range(1, 15)]
    await platform.start(settings={"permits": {"green_channel_sla_working_days": 2,
                                               "green_channel_public_holidays": holidays}})

    _, case = await open_case(platform)

    assert case["due_by"] >= (today() + timedelta(days=15)).isoformat()


async def _issue(client, case_id, kind, number):
    created = await client.post(f"/permits/v1/cases/{case_id}/applications", json=principal_body(kind))
    assert created.status_code == 201, created.text
    application_id = created.json()["id"]
    assert (await client.post(f"/permits/v1/permit-applications/{application_id}/submit")).status_code == 200
    issued = await client.post(f"/permits/v1/permit-applications/{application_id}/issue",
                               json={"permit_number": number})
    assert issued.status_code == 200, issued.text
    return issued.json()


async def test_R_GREEN_report_counts_on_time_late_open_and_overdue(platform):
    await platform.start(settings={"permits": {"green_channel_sla_working_days": 5}})
    _, on_time = await open_case(platform)
    _, late = await open_case(platform)
    _, still_open = await open_case(platform)
    runtime = platform.runtime("permits")
    async with runtime.db.session() as session, session.begin():  # this case was due yesterday
        await session.execute(sa.update(green_channel_cases).where(green_channel_cases.c.id == uuid.UUID(late["id"]))
                              .values(due_by=today() - timedelta(days=1)))

    async with platform.client("permits", OFFICER) as client:
        await _issue(client, on_time["id"], "work_permit", "WP-1")
        half = await client.get(f"/permits/v1/cases/{on_time['id']}")
        assert half.json()["documents_issued_at"] is None, "the clock runs until both work documents are issued"
        await _issue(client, on_time["id"], "work_residence_permit", "RP-1")
        await _issue(client, late["id"], "work_permit", "WP-2")
        await _issue(client, late["id"], "work_residence_permit", "RP-2")
        report = (await client.get("/permits/v1/green-channel/sla-report")).json()
        later = (await client.get("/permits/v1/green-channel/sla-report",
                                  params={"as_of": (today() + timedelta(days=30)).isoformat()})).json()
        case = (await client.get(f"/permits/v1/cases/{on_time['id']}")).json()

    by_case = {c["case_id"]: c["sla_state"] for c in report["cases"]}
    assert by_case == {on_time["id"]: "on_time", late["id"]: "late", still_open["id"]: "open"}
    assert (report["on_time"], report["late"], report["open"], report["overdue"]) == (1, 1, 1, 0)
    assert (later["on_time"], later["late"], later["open"], later["overdue"]) == (1, 1, 0, 1)
    assert case["sla_state"] == "on_time" and case["documents_issued_at"] is not None
    assert {c["case_id"]: c["working_days_taken"] for c in report["cases"]}[on_time["id"]] == 0


async def test_an_employer_sees_its_own_cases_only(platform):
    await platform.start()
    event, case = await open_case(platform)
    mine = auth("employer", str(event.employer.employer_id))
    other = auth("employer", "6f1c1d38-5f7e-4a43-9a4c-1b6a7f0e2d11")

    async with platform.client("permits", mine) as client:
        listed = (await client.get("/permits/v1/cases")).json()["items"]
        one = await client.get(f"/permits/v1/cases/{case['id']}")
    async with platform.client("permits", other) as client:
        theirs = (await client.get("/permits/v1/cases")).json()["items"]
        hidden = await client.get(f"/permits/v1/cases/{case['id']}")
        report = await client.get("/permits/v1/green-channel/sla-report")

    assert [c["id"] for c in listed] == [case["id"]] and one.status_code == 200
    assert theirs == [] and hidden.status_code == 404
    assert report.status_code == 403


def test_working_days_skip_weekends_and_holidays():
    from datetime import date

    friday = date(2026, 11, 27)
    assert add_working_days(friday, 1) == date(2026, 11, 30)  # Monday
    assert add_working_days(friday, 5) == date(2026, 12, 4)
    assert add_working_days(friday, 1, frozenset({date(2026, 11, 30)})) == date(2026, 12, 1)
    assert add_working_days(friday, 0) == friday
    assert working_days_between(friday, date(2026, 12, 4)) == 5
