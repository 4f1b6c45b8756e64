"""Permit applications in a green-channel case through the API: every R-PERMIT refusal a 422 naming the rule,
at its boundaries, and the officer's workflow with its events."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from services.permits.reminders import handlers
from services.permits.domain import add_years
from tests.support.permits import (
    OFFICER, dependant_body, open_case, outbox_types, principal_body, today,
)
from tests.support.tokens import auth

EMBEDDED = pytest.mark.parametrize("platform", ["embedded"], indirect=True)
"""The rules are the same on both run modes; the real tier runs the workflow test."""

EMBEDDED_AND_REAL = pytest.mark.parametrize(
    "platform", ["embedded", pytest.param("real", marks=[pytest.mark.postgres, pytest.mark.rabbit])], indirect=True)


async def file(platform, case_id, body, headers=OFFICER):
    async with platform.client("permits", headers) as client:
        return await client.post(f"/permits/v1/cases/{case_id}/applications", json=body)


def refused(response, field: str) -> dict:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["rule"] == "R-PERMIT", problem
    assert problem["field"] == field, problem
    return problem


@EMBEDDED
async def test_R_PERMIT_validity_of_exactly_2_and_exactly_5_years_is_accepted(platform):
    await platform.start()
    _, case = await open_case(platform)

    five = await file(platform, case["id"], principal_body("work_permit", years=5))
    two = await file(platform, case["id"], principal_body("work_residence_permit", years=2))

    assert five.status_code == 201, five.text
    assert two.status_code == 201, two.text
    assert five.json()["valid_until"] == add_years(today(), 5).isoformat()
    assert two.json()["valid_until"] == add_years(today(), 2).isoformat()
    assert five.headers["location"] == f"/permits/v1/permit-applications/{five.json()['id']}"


@EMBEDDED
async def test_R_PERMIT_validity_a_day_short_of_2_or_a_day_past_5_years_is_refused(platform):
    await platform.start()
    _, case = await open_case(platform)

    short = await file(platform, case["id"], principal_body(valid_until=add_years(today(), 2) - timedelta(days=1)))
    long = await file(platform, case["id"], principal_body(valid_until=add_years(today(), 5) + timedelta(days=1)))

    assert "shorter than 2 years" in refused(short, "valid_until")["detail"]
    assert "longer than 5 years" in refused(long, "valid_until")["detail"]
    assert await outbox_types(platform) == ["PermitCaseOpened"], "nothing written"


@EMBEDDED
async def test_R_PERMIT_a_permit_never_runs_past_the_contract_end(platform):
    await platform.start()
    start = today()
    _, case = await open_case(platform, contract_start=start, contract_end=add_years(start, 3))

    past = await file(platform, case["id"], principal_body(valid_until=add_years(start, 3) + timedelta(days=1)))
    at_end = await file(platform, case["id"], principal_body(valid_until=add_years(start, 3)))

    assert "outlast the contract" in refused(past, "valid_until")["detail"]
    assert at_end.status_code == 201, at_end.text


@EMBEDDED
async def test_R_PERMIT_a_contract_of_23_months_does_not_qualify(platform):
    await platform.start()
    start = today().replace(day=1)
    end = (start.replace(year=start.year + 2) - timedelta(days=1)).replace(day=1) - timedelta(days=1)  # 23 months
    _, case = await open_case(platform, contract_start=start, contract_end=end)

    response = await file(platform, case["id"], principal_body(valid_from=start, years=2))

    assert "does not qualify" in refused(response, "contract_end")["detail"]


@EMBEDDED
async def test_R_PERMIT_a_contract_of_exactly_2_years_qualifies(platform):
    await platform.start()
    start = today()
    _, case = await open_case(platform, contract_start=start, contract_end=add_years(start, 2))

    response = await file(platform, case["id"], principal_body(valid_from=start, years=2))

    assert response.status_code == 201, response.text


@EMBEDDED
@pytest.mark.parametrize("visa", ["F", "L", "M", "X1", "Z"])
async def test_R_PERMIT_an_expert_who_entered_on_any_visa_applies_directly(platform, visa):
    await platform.start()
    _, case = await open_case(platform)

    response = await file(platform, case["id"], principal_body(entry_visa=visa))

    assert response.status_code == 201, response.text
    assert response.json()["entry_visa"] == visa


@EMBEDDED
async def test_the_entry_visa_is_required_and_must_be_a_visa_category(platform):
    await platform.start()
    _, case = await open_case(platform)
    missing = principal_body()
    del missing["entry_visa"]

    none = await file(platform, case["id"], missing)
    bogus = await file(platform, case["id"], principal_body(entry_visa="Q9"))

    assert none.status_code == 422 and none.json()["field"] == "entry_visa"
    assert bogus.status_code == 422 and "entry_visa" in bogus.json()["detail"]


async def _with_principal_residence(platform, years: int = 5):
    _, case = await open_case(platform)
    response = await file(platform, case["id"], principal_body("work_residence_permit", years=years))
    assert response.status_code == 201, response.text
    return case, response.json()


@EMBEDDED
async def test_R_PERMIT_spouse_and_child_get_residence_permits_within_the_principals(platform):
    await platform.start()
    case, principal = await _with_principal_residence(platform, years=4)

    spouse = await file(platform, case["id"], dependant_body("spouse", years=4))
    child = await file(platform, case["id"], dependant_body("child", date_of_birth=today().replace(year=today().year - 6),
                                                            years=4))

    assert spouse.status_code == 201, spouse.text
    assert (spouse.json()["holder"], spouse.json()["turns_adult_within_validity"]) == ("spouse", False)
    assert child.status_code == 201, child.text
    assert (child.json()["holder"], child.json()["turns_adult_within_validity"]) == ("child", False)
    assert child.json()["dependant_id"] != spouse.json()["dependant_id"]


@EMBEDDED
async def test_R_PERMIT_a_dependants_permit_never_outlasts_the_principals(platform):
    await platform.start()
    case, principal = await _with_principal_residence(platform, years=3)

    past = await file(platform, case["id"], dependant_body("spouse", years=3, valid_until=add_years(today(), 3)
                                                           + timedelta(days=1)))
    equal = await file(platform, case["id"], dependant_body("spouse", years=3))

    assert "outlast the principal" in refused(past, "valid_until")["detail"]
    assert equal.status_code == 201, equal.text


@EMBEDDED
async def test_R_PERMIT_a_dependant_needs_the_principals_residence_permit_first(platform):
    await platform.start()
    _, case = await open_case(platform)

    response = await file(platform, case["id"], dependant_body("spouse"))

    refused(response, "dependant")


@EMBEDDED
async def test_R_PERMIT_a_child_one_day_short_of_18_is_accepted_and_flagged(platform):
    await platform.start()
    case, _ = await _with_principal_residence(platform)
    eighteenth_birthday = today() + timedelta(days=1)
    born = add_years(eighteenth_birthday, -18)

    response = await file(platform, case["id"], dependant_body("child", date_of_birth=born, years=2))

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["turns_adult_within_validity"] is True
    assert body["turns_adult_on"] == eighteenth_birthday.isoformat()


@EMBEDDED
async def test_R_PERMIT_a_child_who_is_18_on_the_application_date_is_refused(platform):
    await platform.start()
    case, _ = await _with_principal_residence(platform)

    response = await file(platform, case["id"], dependant_body("child", date_of_birth=add_years(today(), -18)))

    assert "under 18" in refused(response, "date_of_birth")["detail"]


@EMBEDDED
async def test_R_PERMIT_a_child_needs_a_date_of_birth(platform):
    await platform.start()
    case, _ = await _with_principal_residence(platform)

    refused(await file(platform, case["id"], dependant_body("child")), "date_of_birth")


@EMBEDDED
async def test_an_unknown_relation_is_a_validation_error(platform):
    await platform.start()
    case, _ = await _with_principal_residence(platform)
    body = dependant_body("spouse")
    body["dependant"]["relation"] = "parent"

    response = await file(platform, case["id"], body)

    assert response.status_code == 422 and "relation" in response.json()["detail"]


@EMBEDDED
async def test_an_application_date_in_the_future_is_refused(platform):
    await platform.start()
    _, case = await open_case(platform)

    response = await file(platform, case["id"],
                          principal_body(application_date=(today() + timedelta(days=1)).isoformat()))

    assert response.status_code == 422 and response.json()["field"] == "application_date"


@EMBEDDED
async def test_an_employer_files_for_its_own_case_only(platform):
    await platform.start()
    event, case = await open_case(platform)

    own = await file(platform, case["id"], principal_body(), auth("employer", str(event.employer.employer_id)))
    other = await file(platform, case["id"], principal_body(),
                       auth("employer", "6f1c1d38-5f7e-4a43-9a4c-1b6a7f0e2d11"))

    assert own.status_code == 201, own.text
    assert other.status_code == 404
    async with platform.client("permits", auth("employer", str(event.employer.employer_id))) as client:
        submit = await client.post(f"/permits/v1/permit-applications/{own.json()['id']}/submit")
    assert submit.status_code == 403, "the officer submits to the issuing authority"


@EMBEDDED
async def test_a_second_live_application_of_the_same_kind_is_a_conflict(platform):
    await platform.start()
    _, case = await open_case(platform)
    assert (await file(platform, case["id"], principal_body())).status_code == 201

    again = await file(platform, case["id"], principal_body())

    assert again.status_code == 409 and again.json()["current_state"] == "filed"


@EMBEDDED_AND_REAL
async def test_officer_workflow_submit_issue_and_the_issued_events(platform):
    await platform.start()
    _, case = await open_case(platform)
    case_id = case["id"]
    async with platform.client("permits", OFFICER) as client:
        work = (await client.post(f"/permits/v1/cases/{case_id}/applications", json=principal_body())).json()
        residence = (await client.post(f"/permits/v1/cases/{case_id}/applications",
                                       json=principal_body("work_residence_permit"))).json()
        child = (await client.post(f"/permits/v1/cases/{case_id}/applications", json=dependant_body(
            "child", date_of_birth=add_years(today(), -10)))).json()
        too_early = await client.post(f"/permits/v1/permit-applications/{work['id']}/issue",
                                      json={"permit_number": "WP-1"})
        for application in (work, residence, child):
            submitted = await client.post(f"/permits/v1/permit-applications/{application['id']}/submit",
                                          headers={"If-Match": f'"{application["version"]}"'})
            assert submitted.status_code == 200, submitted.text
            assert submitted.json()["status"] == "submitted" and submitted.headers["etag"] == '"2"'
        stale = await client.post(f"/permits/v1/permit-applications/{work['id']}/issue",
                                  json={"permit_number": "WP-1"}, headers={"If-Match": '"1"'})
        issued = await client.post(f"/permits/v1/permit-applications/{work['id']}/issue",
                                   json={"permit_number": "WP-1"})
        shortened = await client.post(f"/permits/v1/permit-applications/{residence['id']}/issue", json={
            "permit_number": "RP-1", "valid_until": add_years(today(), 4).isoformat()})
        refused_child = await client.post(f"/permits/v1/permit-applications/{child['id']}/refuse",
                                          json={"reason": "documents incomplete"})
        refuse_again = await client.post(f"/permits/v1/permit-applications/{child['id']}/refuse",
                                         json={"reason": "again"})
        listed = (await client.get(f"/permits/v1/cases/{case_id}/applications")).json()

    assert too_early.status_code == 409 and too_early.json()["current_state"] == "filed"
    assert stale.status_code == 412
    assert issued.status_code == 200, issued.text
    assert (issued.json()["status"], issued.json()["permit_number"]) == ("issued", "WP-1")
    assert shortened.json()["valid_until"] == add_years(today(), 4).isoformat()
    assert refused_child.json()["status"] == "refused"
    assert refused_child.json()["refusal_reason"] == "documents incomplete"
    assert refuse_again.status_code == 409 and refuse_again.json()["current_state"] == "refused"
    assert [a["status"] for a in listed] == ["issued", "issued", "refused"]
    assert await outbox_types(platform) == ["PermitCaseOpened", "WorkPermitIssued", "ResidencePermitIssued"]
    runtime = platform.runtime("permits")
    async with runtime.db.session() as session:
        payloads = [json.loads(p) for p in (await session.scalars(
            sa.select(runtime.tables.outbox.c.payload).order_by(runtime.tables.outbox.c.id))).all()]
    assert payloads[2]["data"]["holder"] == "expert"
    assert payloads[2]["data"]["valid_until"] == add_years(today(), 4).isoformat()


@EMBEDDED
async def test_issue_dates_are_checked_by_the_rules_again(platform):
    await platform.start()
    _, case = await open_case(platform)
    async with platform.client("permits", OFFICER) as client:
        work = (await client.post(f"/permits/v1/cases/{case['id']}/applications", json=principal_body())).json()
        await client.post(f"/permits/v1/permit-applications/{work['id']}/submit")
        response = await client.post(f"/permits/v1/permit-applications/{work['id']}/issue", json={
            "permit_number": "WP-1", "valid_until": add_years(today(), 6).isoformat()})
        after = (await client.get(f"/permits/v1/permit-applications/{work['id']}")).json()

    refused(response, "valid_until")
    assert after["status"] == "submitted"


async def _issued(client, case_id, body, number):
    created = (await client.post(f"/permits/v1/cases/{case_id}/applications", json=body)).json()
    await client.post(f"/permits/v1/permit-applications/{created['id']}/submit")
    return (await client.post(f"/permits/v1/permit-applications/{created['id']}/issue",
                              json={"permit_number": number})).json()


@EMBEDDED
async def test_expiry_reminders_90_and_30_days_ahead_once_each(platform):
    await platform.start()
    _, case = await open_case(platform)
    runtime = platform.runtime("permits")
    async with platform.client("permits", OFFICER) as client:
        permit = await _issued(client, case["id"], principal_body(years=2), "WP-9")
    expires = add_years(today(), 2)

    early = await handlers.send_expiry_reminders(runtime, today=expires - timedelta(days=91))
    at_90 = await handlers.send_expiry_reminders(runtime, today=expires - timedelta(days=90))
    again = await handlers.send_expiry_reminders(runtime, today=expires - timedelta(days=60))
    at_30 = await handlers.send_expiry_reminders(runtime, today=expires - timedelta(days=30))
    again_30 = await handlers.send_expiry_reminders(runtime, today=expires - timedelta(days=1))
    expired = await handlers.send_expiry_reminders(runtime, today=expires + timedelta(days=1))

    assert early == []
    assert [(r["permit_application_id"], r["days_ahead"]) for r in at_90] == [(permit["id"], 90)]
    assert again == []
    assert [r["days_ahead"] for r in at_30] == [30]
    assert again_30 == [] and expired == []
    assert await outbox_types(platform) == ["PermitCaseOpened", "WorkPermitIssued", "PermitExpiring",
                                            "PermitExpiring"]


@EMBEDDED
async def test_a_job_that_missed_the_90_day_mark_sends_only_the_30_day_reminder(platform):
    await platform.start()
    _, case = await open_case(platform)
    async with platform.client("permits", OFFICER) as client:
        await _issued(client, case["id"], principal_body(years=2), "WP-9")
        late = await client.post("/permits/v1/expiry-reminders",
                                 params={"today": (add_years(today(), 2) - timedelta(days=20)).isoformat()})

    assert [r["days_ahead"] for r in late.json()["sent"]] == [30]


@EMBEDDED
async def test_renewal_of_an_issued_permit_stops_its_reminders(platform):
    await platform.start()
    _, case = await open_case(platform)
    runtime = platform.runtime("permits")
    async with platform.client("permits", OFFICER) as client:
        permit = await _issued(client, case["id"], principal_body(years=2), "WP-9")
        filed = await client.post(f"/permits/v1/cases/{case['id']}/applications", json=principal_body())
        start = add_years(today(), 2)
        too_long = await client.post(f"/permits/v1/permit-applications/{permit['id']}/renewals", json={
            "valid_from": today().isoformat(), "valid_until": add_years(today(), 6).isoformat()})
        renewal = await client.post(f"/permits/v1/permit-applications/{permit['id']}/renewals", json={
            "valid_from": start.isoformat(), "valid_until": add_years(start, 2).isoformat()})
        second = await client.post(f"/permits/v1/permit-applications/{permit['id']}/renewals", json={
            "valid_from": start.isoformat(), "valid_until": add_years(start, 2).isoformat()})

    assert filed.status_code == 409, "one live work permit: a new term is a renewal"
    assert renewal.status_code == 201, renewal.text
    assert (renewal.json()["renews_id"], renewal.json()["kind"]) == (permit["id"], "work_permit")
    assert second.status_code == 409
    refused(too_long, "valid_until")
    sent = await handlers.send_expiry_reminders(runtime, today=add_years(today(), 2) - timedelta(days=30))
    assert sent == []


@EMBEDDED
async def test_the_remind_command_queues_the_reminder_once(platform):
    import asyncio
    import os
    import subprocess
    import sys

    from tests.support.infra import REPO

    await platform.start()
    _, case = await open_case(platform)
    async with platform.client("permits", OFFICER) as client:
        permit = await _issued(client, case["id"], principal_body(years=2), "WP-5")
    day = (add_years(today(), 2) - timedelta(days=90)).isoformat()
    env = {**os.environ, "PERMITS_DATABASE_URL": platform.settings["permits"].resolved_database_url,
           "PERMITS_LOG_LEVEL": "WARNING"}

    def remind() -> str:
        done = subprocess.run([sys.executable, "-m", "services.permits", "remind", "--today", day], cwd=REPO,
                              env=env, capture_output=True, text=True, timeout=120, check=True)
        return done.stdout.strip().splitlines()[-1]

    first = await asyncio.to_thread(remind)
    second = await asyncio.to_thread(remind)

    assert (first, second) == ("permits: 1 expiry reminder(s) queued", "permits: 0 expiry reminder(s) queued")
    runtime = platform.runtime("permits")
    async with runtime.db.session() as session:
        payloads = [json.loads(p) for p in (await session.scalars(sa.select(runtime.tables.outbox.c.payload).where(
            runtime.tables.outbox.c.event_type == "PermitExpiring"))).all()]
    assert [(p["data"]["permit_application_id"], p["data"]["days_ahead"]) for p in payloads] == [(permit["id"], 90)]


@EMBEDDED
async def test_one_live_spouse_permit_per_case(platform):
    await platform.start()
    case, _ = await _with_principal_residence(platform)
    assert (await file(platform, case["id"], dependant_body("spouse"))).status_code == 201

    again = await file(platform, case["id"], dependant_body("spouse", name="Another Name"))

    assert again.status_code == 409 and again.json()["current_state"] == "filed"
