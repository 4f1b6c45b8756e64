"""The directory under simultaneous requests, on both run modes (R-CATALOGUE, R-PLATFORM, R-AWARD, R-SETTLE).

Registrations unique by a key, catalogue editions and entries, postings, places at events and courses,
nominations, consultations: of N simultaneous requests the allowed number take effect, the others are a clean
409 problem (never a 500 from a unique key), and the rows say the same."""

from __future__ import annotations

import asyncio
import uuid

import sqlalchemy as sa

from services.directory.models import catalogue_editions, catalogue_entries, employers
from services.directory.models import (
    award_nominations, consultation_responses, consultations, course_enrolments, event_registrations, expert_tags,
    postings,
)
from tests.support import data
from tests.support.concurrent import at_once, settled
from tests.support.directory import BASE, OFFICER, register
from tests.support.tokens import auth


async def _post(platform, path: str, body: dict | None = None, headers=OFFICER):
    async with platform.client("directory", headers) as client:
        return await client.post(f"{BASE}{path}", json=body)


async def _outbox(platform, event_type: str) -> int:
    outbox = platform.runtime("directory").tables.outbox
    return await platform.count("directory", outbox, outbox.c.event_type == event_type)


async def test_six_simultaneous_registrations_of_one_credit_code_register_one_employer(platform):
    await platform.start()
    body = data.employer()

    settled(await at_once(6, lambda: _post(platform, "/employers", body)), ok=201)
    assert await platform.count("directory", employers, employers.c.credit_code == body["credit_code"]) == 1
    assert await _outbox(platform, "EmployerRegistered") == 1


async def _draft_edition(platform, entries: int = 2) -> str:
    created = await _post(platform, "/catalogue-editions", data.catalogue_edition())
    assert created.status_code == 201, created.text
    for n in range(entries):
        added = await _post(platform, f"/catalogue-editions/{created.json()['id']}/entries",
                            data.catalogue_entry(number_sought=n + 1))
        assert added.status_code == 201, added.text
    return created.json()["id"]


async def test_r_catalogue_six_simultaneous_publications_of_one_edition_announce_each_entry_once(platform):
    await platform.start()
    edition_id = await _draft_edition(platform, entries=2)

    settled(await at_once(6, lambda: _post(platform, f"/catalogue-editions/{edition_id}/publish")), ok=200)
    async with platform.runtime("directory").db.session() as session:
        status = await session.scalar(sa.select(catalogue_editions.c.status).where(
            catalogue_editions.c.id == uuid.UUID(edition_id)))
    assert status == "published"
    assert await _outbox(platform, "CatalogueEntryPublished") == 2


async def test_r_catalogue_six_simultaneous_withdrawals_of_one_entry_announce_one(platform):
    await platform.start()
    edition_id = await _draft_edition(platform, entries=1)
    assert (await _post(platform, f"/catalogue-editions/{edition_id}/publish")).status_code == 200
    async with platform.client("directory", OFFICER) as client:
        [entry] = (await client.get(f"{BASE}/catalogue-entries", params={"edition_id": edition_id})).json()["items"]

    responses = await at_once(6, lambda: _post(platform, f"/catalogue-entries/{entry['id']}/withdraw",
                                               {"reason": "the demand is met"}))

    settled(responses, ok=200)
    assert await _outbox(platform, "CatalogueEntryWithdrawn") == 1


async def test_r_platform_six_simultaneous_closes_of_one_posting_close_it_once(platform):
    await platform.start()
    employer = auth("employer", str(uuid.uuid4()))
    created = await _post(platform, "/postings", {
        "title": "Head of battery research", "field": "new_energy_vehicles", "skills": ["electrochemistry"],
        "languages": ["en"], "requirements": "Ten years leading battery research.", "term_start": "2025-09-01",
        "term_end": "2028-08-31", "salary_min": "600000", "salary_max": "900000"}, employer)
    assert created.status_code == 201, created.text

    settled(await at_once(6, lambda: _post(platform, f"/postings/{created.json()['id']}/close", headers=employer)),
            ok=200)
    assert await platform.count("directory", postings, postings.c.status == "closed") == 1


async def test_r_platform_an_event_with_three_places_takes_three_of_six_simultaneous_registrants(platform):
    await platform.start()
    created = await _post(platform, "/matchmaking-events", {
        "title": "New materials matchmaking", "description": "Projects meet experts.", "field": "new_materials",
        "starts_at": "2025-10-10T09:00:00Z", "location": "Zhongguancun", "capacity": 3})
    assert created.status_code == 201, created.text
    url = f"/matchmaking-events/{created.json()['id']}/registrations"
    registrants = [auth("expert", subject=str(uuid.uuid4())) for _ in range(6)]

    _, refused = settled(await at_once(6, lambda: _post(platform, url, headers=registrants.pop())), ok=201, winners=3)
    assert {r.json()["current_state"] for r in refused} == {"full"}

    expert = auth("expert", subject=str(uuid.uuid4()))
    later = await _post(platform, "/matchmaking-events", {
        "title": "Biomedicine matchmaking", "description": "Projects meet experts.", "field": None,
        "starts_at": "2025-11-10T09:00:00Z", "location": "Changping", "capacity": 50})
    again = f"/matchmaking-events/{later.json()['id']}/registrations"
    settled(await at_once(6, lambda: _post(platform, again, headers=expert)), ok=201)
    assert await platform.count("directory", event_registrations) == 3 + 1


async def test_r_settle_a_course_with_two_places_enrols_two_of_six_simultaneous_experts(platform):
    await platform.start()
    async with platform.client("directory") as client:
        experts = [await register(client, n) for n in range(6)]
    course = await _post(platform, "/courses", {
        "title": "Mandarin for newcomers", "kind": "language", "description": "Twelve evenings.",
        "starts_on": "2025-09-01", "ends_on": "2025-11-30", "location": "Haidian", "capacity": 2})
    assert course.status_code == 201, course.text
    url = f"/courses/{course.json()['id']}/enrolments"
    ids = [e["id"] for e in experts]

    _, refused = settled(await at_once(6, lambda: _post(platform, url, {"expert_id": ids.pop()})), ok=201, winners=2)
    assert {r.json()["current_state"] for r in refused} == {"full"}
    assert await platform.count("directory", course_enrolments) == 2


async def test_r_settle_six_simultaneous_enrolments_of_one_expert_enrol_once(platform):
    await platform.start()
    async with platform.client("directory") as client:
        expert = await register(client, 1)
    course = await _post(platform, "/courses", {
        "title": "Beijing for newcomers", "kind": "culture", "description": "Four Saturdays.",
        "starts_on": "2025-09-01", "ends_on": "2025-09-30", "location": "Dongcheng", "capacity": 30})
    assert course.status_code == 201, course.text

    responses = await at_once(6, lambda: _post(platform, f"/courses/{course.json()['id']}/enrolments", {},
                                               auth("expert", subject=expert["id"])))

    settled(responses, ok=201)
    assert await platform.count("directory", course_enrolments) == 1


async def test_r_award_simultaneous_endorsements_and_declines_of_one_nomination_one_decides(platform):
    await platform.start()
    async with platform.client("directory") as client:
        expert = await register(client, 1)
    nominated = await _post(platform, "/award-nominations", {
        "expert_id": expert["id"], "award": "great_wall_friendship_award",
        "contribution": "Built the city's first quantum network testbed."})
    assert nominated.status_code == 201, nominated.text
    moves = ["endorsed", "declined"] * 3

    responses = await at_once(6, lambda: _post(platform, f"/award-nominations/{nominated.json()['id']}/decision",
                                               {"status": moves.pop(), "reason": "as the panel found"}))

    [won], _ = settled(responses, ok=200)
    async with platform.runtime("directory").db.session() as session:
        status = await session.scalar(sa.select(award_nominations.c.status).where(
            award_nominations.c.id == uuid.UUID(nominated.json()["id"])))
    assert status == won.json()["status"] in ("endorsed", "declined")


async def test_r_platform_a_consultation_opened_six_times_at_once_opens_once_and_answers_replace(platform):
    await platform.start()
    async with platform.client("directory") as client:
        expert = await register(client, 1)
    created = await _post(platform, "/consultations", {
        "title": "Transport plan 2030", "plan": "Beijing transport development plan",
        "description": "Your views on the draft plan.",
        "questions": [{"id": "priority", "text": "What should come first?", "kind": "choice",
                       "options": ["metro", "buses", "cycling"]}]})
    assert created.status_code == 201, created.text
    cid = created.json()["id"]

    settled(await at_once(6, lambda: _post(platform, f"/consultations/{cid}/open")), ok=200)
    async with platform.runtime("directory").db.session() as session:
        opened = (await session.execute(sa.select(consultations).where(consultations.c.id == uuid.UUID(cid)))).one()
    assert opened.status == "open"

    choices = ["metro", "buses", "cycling"] * 2

    async def answer():
        async with platform.client("directory", auth("expert", subject=expert["id"])) as client:
            return await client.put(f"{BASE}/consultations/{cid}/responses/mine",
                                    json={"answers": {"priority": choices.pop()}})

    responses = await at_once(6, answer)
    # Answering again replaces the answers: each request is a success, and one response row holds the last.
    assert [r.status_code for r in responses] == [200] * 6, [r.text for r in responses]
    assert await platform.count("directory", consultation_responses) == 1


async def test_r_platform_six_simultaneous_job_seeking_profiles_of_one_expert_leave_one_set_of_tags(platform):
    await platform.start()
    async with platform.client("directory") as client:
        expert = await register(client, 1)
    profiles = [{"seeking": True, "headline": f"Storage, take {n}", "skills": [f"skill {n}", "storage"],
                 "languages": ["en"]} for n in range(6)]

    async def update():
        async with platform.client("directory", auth("expert", subject=expert["id"])) as client:
            return await client.put(f"{BASE}/experts/{expert['id']}/job-seeking", json=profiles.pop())

    responses = await at_once(6, update)
    assert [r.status_code for r in responses] == [200] * 6, [r.text for r in responses]
    async with platform.runtime("directory").db.session() as session:
        tags = sorted((await session.execute(sa.select(expert_tags.c.kind, expert_tags.c.value).where(
            expert_tags.c.expert_id == uuid.UUID(expert["id"])))).all())
    assert len(tags) == 3 and ("skill", "storage") in tags and ("language", "en") in tags, tags


async def test_r_catalogue_entries_added_while_the_edition_is_published_are_published_or_refused(platform):
    """An entry goes into a draft edition only: added at the moment of publication, it is in the edition as
    published (and announced) or refused (409), never left a draft in a published edition."""
    await platform.start()
    edition_id = await _draft_edition(platform, entries=1)

    async def add():
        return await _post(platform, f"/catalogue-editions/{edition_id}/entries", data.catalogue_entry())

    published, *added = await asyncio.gather(_post(platform, f"/catalogue-editions/{edition_id}/publish"),
                                             *(add() for _ in range(5)))

    assert published.status_code == 200, published.text
    assert all(r.status_code in (201, 409) for r in added), [r.text for r in added]
    async with platform.runtime("directory").db.session() as session:
        statuses = (await session.execute(sa.select(catalogue_entries.c.status).where(
            catalogue_entries.c.edition_id == uuid.UUID(edition_id)))).scalars().all()
    assert set(statuses) == {"published"}, statuses
    assert len(statuses) == 1 + sum(1 for r in added if r.status_code == 201)
    assert await _outbox(platform, "CatalogueEntryPublished") == len(statuses) == published.json()["entries"]
