"""Matching on the information platform (R-PLATFORM (2)): planted pairs rank first both ways, and every score is explained."""

from __future__ import annotations

import uuid

import pytest

from tests.support.directory import BASE, OFFICER, register
from tests.support.matching_data import generate, load
from tests.support.tokens import auth

PLANTED = 15


async def _check_planted_pairs_rank_first(platform, population):
    async with platform.client("directory", OFFICER) as client:
        for expert_id, posting_id in population.planted:
            candidates = await client.get(f"{BASE}/postings/{posting_id}/candidates", params={"limit": 5})
            assert candidates.status_code == 200, candidates.text
            top = candidates.json()
            assert top[0]["expert"]["id"] == str(expert_id)
            assert top[0]["score"] == 1.0 and top[1]["score"] < 1.0
            openings = (await client.get(f"{BASE}/experts/{expert_id}/matching-postings")).json()
            assert openings[0]["posting"]["id"] == str(posting_id)
            assert openings[0]["score"] > openings[1]["score"]


async def test_r_platform_planted_pairs_rank_first_among_generated_experts_and_postings(platform):
    await platform.start()
    population = generate(1500, 150, PLANTED)
    await load(platform.runtime("directory").db, population)

    await _check_planted_pairs_rank_first(platform, population)


@pytest.mark.slow
@pytest.mark.postgres
async def test_r_platform_planted_pairs_rank_first_among_10000_experts_and_1000_postings(platform):
    if platform.mode != "real":
        pytest.skip("the full-size set runs on PostgreSQL")
    await platform.start()
    population = generate(10_000, 1_000, 50)
    await load(platform.runtime("directory").db, population)

    await _check_planted_pairs_rank_first(platform, population)  # the timing is `python -m bench matching`'s


async def test_r_platform_scores_are_explained_part_by_part(platform):
    await platform.start()
    employer = str(uuid.uuid4())
    async with platform.client("directory") as client:
        posting = (await client.post(f"{BASE}/postings", headers=auth("employer", employer), json={
            "title": "Head of battery research", "field": "new_energy_vehicles",
            "skills": ["solid-state batteries", "electrochemistry"], "languages": ["en", "zh"],
            "requirements": "Ten years leading battery research.", "term_start": "2025-09-01",
            "term_end": "2028-08-31", "salary_min": "600000", "salary_max": "900000"})).json()
        near = await register(client, 1, field="new_energy", skills=["electrochemistry"], languages=["en"])
        best = await register(client, 2, field="new_energy_vehicles", skills=["Solid-State Batteries",
                                                                              "electrochemistry"],
                              languages=["en", "zh"])
        for expert, available in ((near, "2025-08-01"), (best, "2025-10-01")):
            await client.put(f"{BASE}/experts/{expert['id']}/job-seeking", headers=OFFICER, json={
                "seeking": True, "skills": expert["skills"], "languages": expert["languages"],
                "available_from": available})
        ranked = (await client.get(f"{BASE}/postings/{posting['id']}/candidates",
                                   headers=auth("employer", employer))).json()
        other_employer = await client.get(f"{BASE}/postings/{posting['id']}/candidates",
                                          headers=auth("employer", str(uuid.uuid4())))

    assert other_employer.status_code == 403
    assert [c["expert"]["id"] for c in ranked] == [best["id"], near["id"]]
    parts = {p["name"]: p for p in ranked[0]["parts"]}
    assert parts["field"]["points"] == 0.4 and "same field" in parts["field"]["explanation"]
    assert parts["skills"]["score"] == 1.0 and parts["languages"]["score"] == 1.0
    assert parts["availability"]["score"] == pytest.approx(1 - 30 / 180, abs=1e-4)
    assert "30 days after the start" in parts["availability"]["explanation"]
    assert ranked[0]["score"] == pytest.approx(sum(p["points"] for p in ranked[0]["parts"]), abs=1e-3)
    second = {p["name"]: p for p in ranked[1]["parts"]}
    assert second["field"]["score"] == 0.5 and "same focus area" in second["field"]["explanation"]
    assert "lacks solid-state batteries" in second["skills"]["explanation"]
    assert second["languages"]["score"] == 0.5
    assert "passport_number" not in str(ranked) and "annual_salary" not in str(ranked)


async def test_r_platform_postings_validate_close_once_and_belong_to_their_employer(platform):
    await platform.start()
    employer = str(uuid.uuid4())
    body = {"title": "Lead", "field": "aerospace", "requirements": "r", "term_start": "2025-09-01",
            "term_end": "2025-08-31", "salary_min": "500000", "salary_max": "400000"}
    async with platform.client("directory") as client:
        bad = await client.post(f"{BASE}/postings", json=body, headers=auth("employer", employer))
        assert bad.status_code == 422
        assert {e["field"] for e in bad.json()["errors"]} >= {"term_end", "salary_max"}
        body.update(term_end="2027-08-31", salary_max="700000")
        no_employer = await client.post(f"{BASE}/postings", json=body, headers=OFFICER)
        assert no_employer.status_code == 422 and "employer_id" in no_employer.text
        created = await client.post(f"{BASE}/postings", json=body, headers=auth("employer", employer))
        assert created.status_code == 201, created.text
        posting = created.json()
        assert posting["focus_area"] == "strategic_emerging_industries" and posting["status"] == "open"
        assert (await client.get(f"{BASE}/postings")).json()["items"][0]["id"] == posting["id"]  # public
        stranger = await client.post(f"{BASE}/postings/{posting['id']}/close",
                                     headers=auth("employer", str(uuid.uuid4())))
        assert stranger.status_code == 403
        closed = await client.post(f"{BASE}/postings/{posting['id']}/close", headers=auth("employer", employer))
        assert closed.json()["status"] == "closed"
        again = await client.post(f"{BASE}/postings/{posting['id']}/close", headers=OFFICER)
        assert again.status_code == 409 and again.json()["current_state"] == "closed"
        assert (await client.get(f"{BASE}/postings")).json()["items"] == []
        assert len((await client.get(f"{BASE}/postings", params={"status": "closed"})).json()["items"]) == 1
    assert await platform.count("directory", "postings") == 1


async def test_r_platform_matchmaking_event_registrations_respect_capacity(platform):
    await platform.start()
    async with platform.client("directory") as client:
        created = await client.post(f"{BASE}/matchmaking-events", headers=OFFICER, json={
            "title": "New materials matchmaking", "description": "Projects meet experts.", "field": "new_materials",
            "starts_at": "2025-10-10T09:00:00Z", "location": "Zhongguancun", "capacity": 2})
        assert created.status_code == 201, created.text
        event = created.json()
        url = f"{BASE}/matchmaking-events/{event['id']}/registrations"
        expert = auth("expert", subject=str(uuid.uuid4()))
        assert (await client.post(url, headers=expert)).status_code == 201
        twice = await client.post(url, headers=expert)
        assert twice.status_code == 409 and twice.json()["current_state"] == "registered"
        assert (await client.post(url, headers=auth("employer", str(uuid.uuid4())))).status_code == 201
        full = await client.post(url, headers=auth("expert", subject=str(uuid.uuid4())))
        assert full.status_code == 409 and full.json()["current_state"] == "full"
        assert (await client.get(f"{BASE}/matchmaking-events/{event['id']}")).json()["registered"] == 2
        assert (await client.get(url)).status_code == 401
        listed = (await client.get(url, headers=OFFICER)).json()
    assert [r["registrant_kind"] for r in listed] == ["expert", "employer"]
