"""No restricted field in any public response (R-PLATFORM (1)): every directory route is called anonymously, and as an
employer, with planted passport numbers and salaries in the database; none may appear."""

from __future__ import annotations

import re
import uuid

from tests.support.directory import BASE, OFFICER, PUBLIC_PAGES, approval, register
from tests.support.events import publish
from tests.support.platform import eventually
from tests.support.tokens import auth

PASSPORTS = ["PZ7731999", "QX0042417"]
SALARIES = ["987321.45", "876543.21"]
APPROVED_SALARY = "850000.00"
SECRETS = PASSPORTS + [s.split(".")[0] for s in [*SALARIES, APPROVED_SALARY]]


async def _plant(platform, client) -> dict[str, str]:
    event = approval()  # its contract salary is restricted too
    await publish(platform, event)
    ids = {"employer_id": str(event.employer.employer_id)}
    for n, (passport, salary) in enumerate(zip(PASSPORTS, SALARIES, strict=True)):
        expert = await register(client, n, passport_number=passport, annual_salary=salary, seeking=True,
                                nationality="FR", available_from="2025-01-01", skills=["optics"], languages=["en"])
        ids["expert_id"] = expert["id"]
    posting = (await client.post(f"{BASE}/postings", headers=OFFICER, json={
        "title": "Optics lead", "field": "new_generation_it", "skills": ["optics"], "languages": ["en"],
        "requirements": "r", "term_start": "2025-06-01", "term_end": "2028-05-31", "salary_min": "300000",
        "salary_max": "500000", "employer_id": ids["employer_id"]})).json()
    ids["posting_id"] = posting["id"]
    ids["event_id"] = (await client.post(f"{BASE}/matchmaking-events", headers=OFFICER, json={
        "title": "Optics day", "description": "d", "starts_at": "2025-10-01T09:00:00Z", "location": "CBD",
        "capacity": 10})).json()["id"]
    ids["notice_id"] = (await client.post(f"{BASE}/notices", headers=OFFICER,
                                          json={"title": "Subsidies", "body": "b"})).json()["id"]
    ids["course_id"] = (await client.post(f"{BASE}/courses", headers=OFFICER, json={
        "title": "City life", "kind": "city", "description": "d", "starts_on": "2025-09-01",
        "ends_on": "2025-09-30", "location": "Dongcheng", "capacity": 5})).json()["id"]
    ids["consultation_id"] = (await client.post(f"{BASE}/consultations", headers=OFFICER, json={
        "title": "Plan", "plan": "p", "description": "d",
        "questions": [{"id": "q", "text": "?", "kind": "text"}]})).json()["id"]
    ids["nomination_id"] = (await client.post(f"{BASE}/award-nominations", headers=OFFICER, json={
        "expert_id": ids["expert_id"], "award": "beijing_model_worker", "contribution": "c"})).json()["id"]
    ids["section_id"] = (await client.post(f"{BASE}/guide/sections", headers=OFFICER, json={
        "topic": "housing", "title": "t", "body": "b"})).json()["id"]
    await eventually(lambda: _listed(client, event.expert.expert_id), message="approved expert listed")
    return ids


async def _listed(client, expert_id):
    return (await client.get(f"{BASE}/experts/{expert_id}", headers=OFFICER)).status_code == 200


async def test_r_platform_no_public_response_carries_a_passport_number_or_salary(platform):
    await platform.start()
    async with platform.client("directory") as client:
        ids = await _plant(platform, client)
        officer_view = (await client.get(f"{BASE}/experts", headers=OFFICER)).text
        assert all(secret in officer_view for secret in SECRETS)  # they are there to be leaked
        document = platform.apps["directory"].openapi()

        public, leaks, unguarded = set(), [], []
        employer = auth("employer", ids["employer_id"])
        for path, item in document["paths"].items():
            if not path.startswith(BASE):
                continue
            url = re.sub(r"\{(\w+)\}", lambda m: ids.get(m.group(1), str(uuid.uuid4())), path)
            for method in item:
                if method != "get":
                    response = await client.request(method.upper(), url, json={})
                    if response.status_code < 300:
                        unguarded.append((method, path, response.status_code))
                    continue
                anonymous = await client.get(url)
                if anonymous.status_code == 200:
                    public.add(path)
                    leaks += [(path, "anonymous", s) for s in SECRETS if s in anonymous.text]
                as_employer = await client.get(url, headers=employer)
                if as_employer.status_code == 200:
                    leaks += [(path, "employer", s) for s in SECRETS if s in as_employer.text]

    assert leaks == []
    assert unguarded == []
    assert public == PUBLIC_PAGES  # every public page was swept, and no other page is public
