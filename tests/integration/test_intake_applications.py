"""Applications through preliminary and formal review (R-APPLY, R-FORMAL, R-CATALOGUE), on both run modes."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from services.intake.models import application_history, applications, recommendations
from shared.events.review import ApplicationDeclined
from tests.support import data
from tests.support.events import publish
from tests.support.platform import eventually
from tests.support.selection import (
    OFFICER, awaiting_committee, draft, employer_auth, passed_preliminary, published_entry, registered_employer,
    reviewer_auth, submitted,
)
from tests.support.subsidy import approval

PROBLEM = "application/problem+json"


async def outbox(platform, event_type: str) -> list[dict]:
    runtime = platform.runtime("intake")
    table = runtime.tables.outbox
    async with runtime.db.session() as session:
        rows = (await session.execute(table.select().where(table.c.event_type == event_type).order_by(table.c.id))).all()
    return [json.loads(r.payload)["data"] for r in rows]


async def test_r_apply_r_formal_draft_submit_pass_pass_then_the_decision_flows_back(platform):
    await platform.start()
    employer = await registered_employer(platform, district="haidian", municipal_state_owned=True)
    entry = await published_entry(platform)
    async with platform.client("intake", employer_auth(employer)) as client:
        created = await client.post("/intake/v1/applications", json=data.application(entry["id"]))
        assert created.status_code == 201, created.text
        application = created.json()
        assert application["state"] == "draft" and created.headers["ETag"] == '"1"'
        assert application["candidate"]["passport_number"] == "K1234567"
        assert application["contract"]["annual_salary"] == "850000.00"
        rec = await client.post(f"/intake/v1/applications/{application['id']}/recommendations",
                                json=data.recommendation())
        assert rec.status_code == 201, rec.text
        sent = await client.post(f"/intake/v1/applications/{application['id']}/submit")
        assert sent.status_code == 200, sent.text
        assert sent.json()["state"] == "preliminary_review"
        assert sent.json()["preliminary_reviewer"] == "district:haidian"

    async with platform.client("intake", reviewer_auth(employer)) as client:
        listed = (await client.get("/intake/v1/applications")).json()["items"]
        assert [a["id"] for a in listed] == [application["id"]]
        passed = await client.post(f"/intake/v1/applications/{application['id']}/preliminary-review",
                                   json={"outcome": "pass", "reason": "complete"})
        assert passed.status_code == 200 and passed.json()["state"] == "formal_review", passed.text

    async with platform.client("intake", OFFICER) as client:
        formal = await client.post(f"/intake/v1/applications/{application['id']}/formal-review",
                                   json={"outcome": "pass", "reason": "complete",
                                         "checklist": data.FORMAL_CHECKLIST_COMPLETE})
        assert formal.status_code == 200, formal.text
        assert formal.json()["state"] == "awaiting_committee"

    [event] = await outbox(platform, "FormalReviewPassed")
    assert event["application_id"] == application["id"]
    assert event["expert"] == {"expert_id": application["expert_id"], "name": "Ada Example", "nationality": "GB",
                               "date_of_birth": "1975-04-02"}
    assert event["employer"]["municipal_state_owned"] is True and event["employer"]["district"] == "haidian"
    assert (event["focus_area"], event["field"]) == ("strategic_emerging_industries", "new_generation_it")
    assert event["recommendations"] == 1 and event["possible_duplicate"] is False
    assert event["contract"] == {"start": "2025-01-01", "end": "2027-12-31", "annual_salary": "850000.00"}
    assert event["passed_by"] == "test-bureau_officer"
    [submitted_event] = await outbox(platform, "ApplicationSubmitted")
    assert submitted_event["preliminary_reviewer"] == "district:haidian" and submitted_event["submission"] == 1

    # The committee's decision comes back through the bus (review publishes it).
    await publish(platform, approval(application_id=uuid.UUID(application["id"]),
                                      expert_id=uuid.UUID(application["expert_id"])))

    async def decided():
        async with platform.client("intake", employer_auth(employer)) as client:
            body = (await client.get(f"/intake/v1/applications/{application['id']}")).json()
        return body if body["state"] == "approved" else None

    final = await eventually(decided, message="approval seen by the employer")
    assert final["decision"]["outcome"] == "approved"
    assert final["decision"]["funding_plan"]["items"][0]["code"] == "salary_subsidy"
    async with platform.client("intake", employer_auth(employer)) as client:
        history = (await client.get(f"/intake/v1/applications/{application['id']}/history")).json()
    assert [h["action"] for h in history] == [
        "drafted", "recommendation_added", "submitted", "preliminary_review_pass", "formal_review_pass",
        "committee_approved",
    ]
    assert history[3]["actor"] == "reviewer-district:haidian" and history[3]["reason"] == "complete"
    assert history[3]["organisation"] == "district:haidian"
    assert history[4]["detail"]["checklist"]["passport_copy"] is True


async def test_r_apply_return_for_correction_edit_with_if_match_and_resubmit(platform):
    await platform.start()
    employer = await registered_employer(platform, district="chaoyang", competent_department="Municipal Education Commission")
    entry = await published_entry(platform)
    application = await submitted(platform, employer, entry)
    assert application["preliminary_reviewer"] == "department:Municipal Education Commission"
    app_id = application["id"]

    async with platform.client("intake", reviewer_auth(employer)) as client:
        returned = await client.post(f"/intake/v1/applications/{app_id}/preliminary-review",
                                     json={"outcome": "return", "reason": "salary figure missing a year"})
        assert returned.status_code == 200 and returned.json()["state"] == "returned", returned.text

    async with platform.client("intake", employer_auth(employer)) as client:
        current = await client.get(f"/intake/v1/applications/{app_id}")
        etag = current.headers["ETag"]
        no_match = await client.patch(f"/intake/v1/applications/{app_id}", json={"position": "Chief scientist"})
        assert no_match.status_code == 428, no_match.text
        stale = await client.patch(f"/intake/v1/applications/{app_id}", json={"position": "Chief scientist"},
                                   headers={"If-Match": '"1"'})
        assert stale.status_code == 412 and stale.headers["content-type"] == PROBLEM
        edited = await client.patch(f"/intake/v1/applications/{app_id}",
                                    json={"contract": {"start": "2025-01-01", "end": "2027-12-31",
                                                       "annual_salary": "900000.00"}},
                                    headers={"If-Match": etag})
        assert edited.status_code == 200, edited.text
        assert edited.json()["contract"]["annual_salary"] == "900000.00"
        assert edited.headers["ETag"] != etag
        again = await client.post(f"/intake/v1/applications/{app_id}/submit")
        assert again.status_code == 200 and again.json()["submissions"] == 2, again.text

    [returned_event] = await outbox(platform, "ApplicationReturned")
    assert returned_event["stage"] == "preliminary_review" and returned_event["reason"] == "salary figure missing a year"
    assert [e["submission"] for e in await outbox(platform, "ApplicationSubmitted")] == [1, 2]
    async with platform.client("intake", OFFICER) as client:
        history = (await client.get(f"/intake/v1/applications/{app_id}/history")).json()
    assert [(h["action"], h["from_state"], h["to_state"]) for h in history] == [
        ("drafted", None, "draft"),
        ("recommendation_added", "draft", "draft"),
        ("submitted", "draft", "preliminary_review"),
        ("preliminary_review_return", "preliminary_review", "returned"),
        ("edited", "returned", "returned"),
        ("submitted", "returned", "preliminary_review"),
    ]
    assert history[3]["reason"] == "salary figure missing a year"
    assert history[4]["detail"] == {"fields": ["contract"]}


async def test_r_apply_rejection_is_final_and_announced(platform):
    await platform.start()
    employer = await registered_employer(platform)
    entry = await published_entry(platform)
    application = await submitted(platform, employer, entry)
    async with platform.client("intake", reviewer_auth(employer)) as client:
        rejected = await client.post(f"/intake/v1/applications/{application['id']}/preliminary-review",
                                     json={"outcome": "reject", "reason": "outside the catalogue's demand"})
        assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"
        again = await client.post(f"/intake/v1/applications/{application['id']}/preliminary-review",
                                  json={"outcome": "pass", "reason": "changed my mind"})
    assert again.status_code == 409 and again.json()["current_state"] == "rejected"
    async with platform.client("intake", employer_auth(employer)) as client:
        resubmit = await client.post(f"/intake/v1/applications/{application['id']}/submit")
    assert resubmit.status_code == 409 and resubmit.json()["current_state"] == "rejected"
    [event] = await outbox(platform, "ApplicationRejected")
    assert event["stage"] == "preliminary_review" and event["expert_id"] == application["expert_id"]


async def test_state_machine_refusals_are_409_naming_the_current_state(platform):
    await platform.start()
    employer = await registered_employer(platform)
    entry = await published_entry(platform)
    formal = {"outcome": "pass", "reason": "ok", "checklist": data.FORMAL_CHECKLIST_COMPLETE}

    drafted = await draft(platform, employer, entry)
    async with platform.client("intake", OFFICER) as client:
        early = await client.post(f"/intake/v1/applications/{drafted['id']}/formal-review", json=formal)
    assert early.status_code == 409 and early.headers["content-type"] == PROBLEM
    assert early.json()["current_state"] == "draft" and "preliminary pass" in early.json()["detail"]

    sent = await submitted(platform, employer, entry)
    async with platform.client("intake", OFFICER) as client:
        before_pass = await client.post(f"/intake/v1/applications/{sent['id']}/formal-review", json=formal)
    assert before_pass.status_code == 409 and before_pass.json()["current_state"] == "preliminary_review"
    async with platform.client("intake", employer_auth(employer)) as client:
        edit = await client.patch(f"/intake/v1/applications/{sent['id']}", json={"position": "x"},
                                  headers={"If-Match": f'"{sent["version"]}"'})
        rec = await client.post(f"/intake/v1/applications/{sent['id']}/recommendations", json=data.recommendation())
        twice = await client.post(f"/intake/v1/applications/{sent['id']}/submit")
    for response in (edit, rec, twice):
        assert response.status_code == 409, response.text
        assert response.json()["current_state"] == "preliminary_review"

    done = await awaiting_committee(platform, employer, entry)
    async with platform.client("intake", OFFICER) as client:
        formal_again = await client.post(f"/intake/v1/applications/{done['id']}/formal-review", json=formal)
    assert formal_again.status_code == 409 and formal_again.json()["current_state"] == "awaiting_committee"
    async with platform.client("intake", reviewer_auth(employer)) as client:
        prelim_again = await client.post(f"/intake/v1/applications/{done['id']}/preliminary-review",
                                         json={"outcome": "pass", "reason": "x"})
    assert prelim_again.status_code == 409 and prelim_again.json()["current_state"] == "awaiting_committee"


async def test_r_formal_pass_needs_the_whole_checklist_and_a_return_goes_back_to_the_employer(platform):
    await platform.start()
    employer = await registered_employer(platform)
    entry = await published_entry(platform)
    application = await passed_preliminary(platform, employer, entry)
    async with platform.client("intake", OFFICER) as client:
        incomplete = await client.post(f"/intake/v1/applications/{application['id']}/formal-review", json={
            "outcome": "pass", "reason": "ok", "checklist": {**data.FORMAL_CHECKLIST_COMPLETE, "passport_copy": False}})
        assert incomplete.status_code == 422 and incomplete.json()["field"] == "checklist.passport_copy"
        returned = await client.post(f"/intake/v1/applications/{application['id']}/formal-review", json={
            "outcome": "return", "reason": "passport copy illegible",
            "checklist": {**data.FORMAL_CHECKLIST_COMPLETE, "passport_copy": False}})
        assert returned.status_code == 200 and returned.json()["state"] == "returned", returned.text
    assert await outbox(platform, "FormalReviewPassed") == []
    [event] = await outbox(platform, "ApplicationReturned")
    assert event["stage"] == "formal_review" and event["reason"] == "passport copy illegible"


async def test_committee_decline_flows_back_once_whatever_the_duplicates(platform):
    await platform.start()
    employer = await registered_employer(platform)
    entry = await published_entry(platform)
    application = await awaiting_committee(platform, employer, entry)
    declined = ApplicationDeclined(
        application_id=uuid.UUID(application["id"]), decision_id=uuid.uuid4(), decided_at=datetime.now(UTC),
        expert_id=uuid.UUID(application["expert_id"]), employer_id=uuid.UUID(employer["id"]),
        reasons=["need not shown for the zone"], votes_for=2, votes_against=5, recused=1,
    )
    await publish(platform, declined)
    await publish(platform, declined)  # announced again under a new event id

    async def seen():
        async with platform.client("intake", employer_auth(employer)) as client:
            body = (await client.get(f"/intake/v1/applications/{application['id']}")).json()
        return body if body["state"] == "declined" else None

    final = await eventually(seen, message="decline seen by the employer")
    assert final["decision"]["reasons"] == ["need not shown for the zone"] and final["decision"]["votes_against"] == 5
    await eventually(lambda: _inbox_count(platform, "ApplicationDeclined", 2), message="both deliveries handled")
    assert await platform.count("intake", application_history,
                                application_history.c.action == "committee_declined") == 1


async def _inbox_count(platform, event_type, n):
    inbox = platform.runtime("intake").tables.inbox
    return await platform.count("intake", inbox, inbox.c.event_type == event_type) >= n


async def test_nothing_is_written_by_a_refused_submission(platform):
    await platform.start()
    employer = await registered_employer(platform)
    entry = await published_entry(platform)
    application = await draft(platform, employer, entry)
    async with platform.client("intake", employer_auth(employer)) as client:
        response = await client.post(f"/intake/v1/applications/{application['id']}/submit")
    assert response.status_code == 422 and response.json()["field"] == "recommendations"
    async with platform.runtime("intake").db.session() as session:
        row = (await session.execute(
            sa.select(applications).where(applications.c.id == uuid.UUID(application["id"]))
        )).first()
    assert row.state == "draft" and row.version == 1
    assert await platform.count("intake", recommendations) == 0
    assert await outbox(platform, "ApplicationSubmitted") == []


async def test_r_apply_a_draft_leaves_its_history_row_and_one_audit_record_on_both_run_modes(platform):
    """The draft, its 'drafted' history row and its audit record: one statement on PostgreSQL, three on
    SQLite, the same rows either way; the response shows the number as drafted (normalised)."""
    await platform.start()
    employer = await registered_employer(platform)
    entry = await published_entry(platform)
    application = await draft(platform, employer, entry, candidate={"passport_number": "k 1234-567"},
                              contract={"annual_salary": "850000"})
    assert application["candidate"]["passport_number"] == "K1234567"
    assert application["contract"]["annual_salary"] == "850000.00"
    async with platform.client("intake", employer_auth(employer)) as client:
        read = await client.get(f"/intake/v1/applications/{application['id']}")
    assert read.json() == application  # the draft's answer (built from what was written) is what was stored
    assert application["candidate"]["passport_masked"] is False and application["possible_duplicate"] is None
    app_id = uuid.UUID(application["id"])
    runtime = platform.runtime("intake")
    audit_log = runtime.tables.audit_log
    async with runtime.db.session() as session:
        history = (await session.execute(
            sa.select(application_history).where(application_history.c.application_id == app_id)
        )).all()
        audit = (await session.execute(sa.select(audit_log).where(audit_log.c.object_id == str(app_id)))).all()
        stored = (await session.execute(sa.select(applications).where(applications.c.id == app_id))).one()
    assert [(h.action, h.from_state, h.to_state) for h in history] == [("drafted", None, "draft")]
    assert history[0].actor == f"hr-officer-of-{employer['id']}" and history[0].role == "employer"
    assert history[0].organisation == employer["id"]
    assert [(a.action, a.object_type, a.method, a.path) for a in audit] == [
        ("draft_application", "application", "POST", "/intake/v1/applications")]
    assert audit[0].actor == f"hr-officer-of-{employer['id']}" and audit[0].request_id
    assert str(stored.expert_id) == application["expert_id"] and stored.version == 1 and stored.state == "draft"
    # Only the draft's own record: the unit of work did not add a second, generic one at commit.
    assert await platform.count("intake", audit_log, audit_log.c.path == "/intake/v1/applications") == 1
