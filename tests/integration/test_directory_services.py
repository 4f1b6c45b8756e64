"""Notices, award nominations (R-AWARD), consultations of experts (R-PLATFORM (5)) and settlement services (R-SETTLE)."""

from __future__ import annotations

import uuid

from tests.support.directory import BASE, OFFICER, approval, breach, register
from tests.support.events import publish
from tests.support.platform import eventually
from tests.support.tokens import auth


async def test_r_platform_policy_notices_are_published_by_officers_and_read_by_anyone(platform):
    await platform.start()
    async with platform.client("directory") as client:
        refused = await client.post(f"{BASE}/notices", json={"title": "t", "body": "b"},
                                    headers=auth("employer", str(uuid.uuid4())))
        assert refused.status_code == 403
        made = [(await client.post(f"{BASE}/notices", headers=OFFICER,
                                   json={"title": f"Notice {n}", "body": "Art. 11 subsidies for 2025."})).json()
                for n in range(3)]
        seen, cursor = [], None
        while True:
            page = (await client.get(f"{BASE}/notices", params={"limit": 2, **({"cursor": cursor} if cursor else {})}
                                     )).json()
            seen += [n["id"] for n in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert (await client.get(f"{BASE}/notices/{made[0]['id']}")).json()["title"] == "Notice 0"
    assert seen == [n["id"] for n in reversed(made)]  # newest first


async def test_r_award_nomination_moves_proposed_endorsed_awarded_and_refuses_other_moves(platform):
    await platform.start()
    event = approval()
    await publish(platform, event)
    expert_id = str(event.expert.expert_id)
    employer = str(event.employer.employer_id)
    await eventually(lambda: _exists(platform, expert_id), message="expert listed")
    async with platform.client("directory") as client:
        national = await client.post(f"{BASE}/award-nominations", headers=OFFICER, json={
            "expert_id": expert_id, "award": "national_friendship_award", "contribution": "c"})
        assert national.status_code == 422 and "especially_outstanding" in national.text
        stranger = await client.post(f"{BASE}/award-nominations", headers=auth("employer", str(uuid.uuid4())), json={
            "expert_id": expert_id, "award": "great_wall_friendship_award", "contribution": "c"})
        assert stranger.status_code == 403
        unknown = await client.post(f"{BASE}/award-nominations", headers=auth("employer", employer), json={
            "expert_id": str(uuid.uuid4()), "award": "great_wall_friendship_award", "contribution": "c"})
        assert unknown.status_code == 403  # as for another employer's expert: existence is not told
        created = await client.post(f"{BASE}/award-nominations", headers=auth("employer", employer), json={
            "expert_id": expert_id, "award": "great_wall_friendship_award",
            "contribution": "Built the city's first quantum network testbed."})
        assert created.status_code == 201, created.text
        nomination = created.json()
        assert nomination["status"] == "proposed" and nomination["employer_id"] == employer
        url = f"{BASE}/award-nominations/{nomination['id']}/decision"
        early = await client.post(url, headers=OFFICER, json={"status": "awarded", "reason": "r"})
        assert early.status_code == 409 and early.json()["current_state"] == "proposed"
        by_employer = await client.post(url, headers=auth("employer", employer),
                                        json={"status": "endorsed", "reason": "r"})
        assert by_employer.status_code == 403
        assert (await client.post(url, headers=OFFICER, json={"status": "endorsed", "reason": "strong case"})
                ).json()["status"] == "endorsed"
        done = await client.post(url, headers=OFFICER, json={"status": "awarded", "reason": "awarded 2025"})
        assert done.json()["status"] == "awarded"
        again = await client.post(url, headers=OFFICER, json={"status": "not_awarded", "reason": "r"})
        assert again.status_code == 409 and again.json()["current_state"] == "awarded"
        own = (await client.get(f"{BASE}/award-nominations", headers=auth("employer", employer))).json()
        other = (await client.get(f"{BASE}/award-nominations", headers=auth("employer", str(uuid.uuid4())))).json()
        assert [n["id"] for n in own["items"]] == [nomination["id"]] and other["items"] == []

    await publish(platform, breach(event.expert.expert_id))
    await eventually(lambda: _revoked(platform, expert_id), message="benefits revoked")
    async with platform.client("directory") as client:
        revoked = await client.post(f"{BASE}/award-nominations", headers=OFFICER, json={
            "expert_id": expert_id, "award": "beijing_model_worker", "contribution": "c"})
    assert revoked.status_code == 409 and revoked.json()["current_state"] == "benefits_revoked"


async def _exists(platform, expert_id):
    async with platform.client("directory") as client:
        return (await client.get(f"{BASE}/experts/{expert_id}", headers=OFFICER)).status_code == 200


async def _revoked(platform, expert_id):
    async with platform.client("directory") as client:
        return (await client.get(f"{BASE}/experts/{expert_id}", headers=OFFICER)).json()["benefits_revoked_since"]


async def test_r_platform_consultation_collects_answers_while_open_and_tallies_results(platform):
    await platform.start()
    async with platform.client("directory") as client:
        experts = [await register(client, n) for n in range(3)]
        created = await client.post(f"{BASE}/consultations", headers=OFFICER, json={
            "title": "Transport plan 2030", "plan": "Beijing transport development plan",
            "description": "Your views on the draft plan.",
            "questions": [
                {"id": "priority", "text": "What should come first?", "kind": "choice",
                 "options": ["metro", "buses", "cycling"]},
                {"id": "comment", "text": "Anything else?", "kind": "text"},
            ]})
        assert created.status_code == 201, created.text
        consultation = created.json()
        cid = consultation["id"]

        def as_expert(e):
            return auth("expert", subject=e["id"])

        url = f"{BASE}/consultations/{cid}/responses/mine"
        answer = {"answers": {"priority": "metro", "comment": "More lines to the airport."}}
        draft = await client.put(url, headers=as_expert(experts[0]), json=answer)
        assert draft.status_code == 409 and draft.json()["current_state"] == "draft"
        assert (await client.get(f"{BASE}/consultations/{cid}", headers=as_expert(experts[0]))).status_code == 404
        assert (await client.post(f"{BASE}/consultations/{cid}/open", headers=OFFICER)).json()["status"] == "open"
        bad = await client.put(url, headers=as_expert(experts[0]), json={"answers": {"priority": "trams",
                                                                                     "comment": "x"}})
        assert bad.status_code == 422 and "answers.priority" in bad.text
        assert (await client.put(url, headers=as_expert(experts[0]), json=answer)).status_code == 200
        await client.put(url, headers=as_expert(experts[1]), json={"answers": {"priority": "cycling",
                                                                               "comment": "Safer lanes."}})
        await client.put(url, headers=as_expert(experts[1]), json={"answers": {"priority": "metro",
                                                                               "comment": "On reflection, metro."}})
        stranger = await client.put(url, headers=auth("expert", subject=str(uuid.uuid4())), json=answer)
        assert stranger.status_code == 403
        assert (await client.post(f"{BASE}/consultations/{cid}/close", headers=OFFICER)).json()["status"] == "closed"
        late = await client.put(url, headers=as_expert(experts[2]), json=answer)
        assert late.status_code == 409 and late.json()["current_state"] == "closed"
        assert (await client.get(f"{BASE}/consultations/{cid}/results", headers=as_expert(experts[0]))
                ).status_code == 403
        results = (await client.get(f"{BASE}/consultations/{cid}/results", headers=OFFICER)).json()

    assert results["responses"] == 2 and results["status"] == "closed"
    priority, comment = results["questions"]
    assert priority["counts"] == {"metro": 2, "buses": 0, "cycling": 0}
    assert comment["answers"] == ["More lines to the airport.", "On reflection, metro."]


async def test_r_settle_guide_and_courses_with_enrolments(platform):
    await platform.start()
    async with platform.client("directory") as client:
        section = await client.post(f"{BASE}/guide/sections", headers=OFFICER, json={
            "topic": "healthcare", "title": "Seeing a doctor", "body": "International clinics ...", "language": "en"})
        assert section.status_code == 201, section.text
        contacts = await client.post(f"{BASE}/guide/sections", headers=OFFICER, json={
            "topic": "contacts", "title": "Your bureau contact", "body": "Call the expert service desk."})
        replaced = await client.put(f"{BASE}/guide/sections/{section.json()['id']}", headers=OFFICER, json={
            "topic": "healthcare", "title": "Seeing a doctor in Beijing", "body": "...", "language": "en"})
        assert replaced.json()["title"] == "Seeing a doctor in Beijing"
        guide = (await client.get(f"{BASE}/guide")).json()  # public
        assert {s["id"] for s in guide} == {section.json()["id"], contacts.json()["id"]}
        assert [s["title"] for s in (await client.get(f"{BASE}/guide", params={"topic": "contacts"})).json()] == [
            "Your bureau contact"]

        bad = await client.post(f"{BASE}/courses", headers=OFFICER, json={
            "title": "Mandarin", "kind": "language", "description": "d", "starts_on": "2025-09-10",
            "ends_on": "2025-09-01", "location": "Haidian", "capacity": 1})
        assert bad.status_code == 422 and "ends_on" in bad.text
        course = (await client.post(f"{BASE}/courses", headers=OFFICER, json={
            "title": "Mandarin for newcomers", "kind": "language", "description": "Twelve evenings.",
            "starts_on": "2025-09-01", "ends_on": "2025-11-30", "location": "Haidian", "capacity": 1})).json()
        a, b = await register(client, 1), await register(client, 2)
        url = f"{BASE}/courses/{course['id']}/enrolments"
        other = await client.post(url, headers=auth("expert", subject=b["id"]), json={"expert_id": a["id"]})
        assert other.status_code == 403
        mine = await client.post(url, headers=auth("expert", subject=a["id"]), json={})
        assert mine.status_code == 201, mine.text
        twice = await client.post(url, headers=OFFICER, json={"expert_id": a["id"]})
        assert twice.status_code == 409 and twice.json()["current_state"] == "enrolled"
        full = await client.post(url, headers=OFFICER, json={"expert_id": b["id"]})
        assert full.status_code == 409 and full.json()["current_state"] == "full"
        assert (await client.get(f"{BASE}/courses/{course['id']}")).json()["enrolled"] == 1
        assert [e["expert_id"] for e in (await client.get(url, headers=OFFICER)).json()] == [a["id"]]
        own = (await client.get(f"{BASE}/experts/{a['id']}/enrolments", headers=auth("expert", subject=a["id"])))
        assert [e["course_id"] for e in own.json()] == [course["id"]]
