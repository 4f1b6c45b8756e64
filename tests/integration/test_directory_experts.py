"""The expert database (R-PLATFORM (1)): listing from ApplicationApproved, officer registration, search, restricted fields, breaches."""

from __future__ import annotations

import uuid

from shared.events.review import BreachAttribution
from tests.support.directory import BASE, OFFICER, approval, breach, register, withdrawal
from tests.support.events import publish
from tests.support.platform import eventually
from tests.support.tokens import auth


async def _expert(platform, expert_id, headers=OFFICER):
    async with platform.client("directory") as client:
        response = await client.get(f"{BASE}/experts/{expert_id}", headers=headers)
    return response


async def _listed(platform, expert_id):
    response = await _expert(platform, expert_id)
    return response.json() if response.status_code == 200 else None


async def test_r_platform_approved_expert_is_listed_once_whatever_the_duplicates(platform):
    await platform.start()
    event = approval()

    await publish(platform, event)
    await publish(platform, event)  # re-announced under a new event id

    expert = await eventually(lambda: _listed(platform, event.expert.expert_id), message="expert listed")
    assert expert["status"] == "selected"
    assert expert["field"] == "new_generation_it" and expert["nationality"] == "GB"
    assert expert["application_id"] == str(event.application_id)
    assert expert["annual_salary"] == "850000.00"  # an officer sees the restricted salary
    await eventually(lambda: _inbox(platform, 2), message="both deliveries handled")
    async with platform.client("directory") as client:
        page = (await client.get(f"{BASE}/experts", headers=OFFICER)).json()
    assert [e["id"] for e in page["items"]] == [str(event.expert.expert_id)]


async def _inbox(platform, n):
    return await platform.count("directory", platform.runtime("directory").tables.inbox) >= n


async def test_r_platform_restricted_fields_only_for_officers_and_the_expert(platform):
    await platform.start()
    employer_id = str(uuid.uuid4())
    async with platform.client("directory") as client:
        expert = await register(client, 1, passport_number="P98765432", annual_salary="912345.67",
                                employer_id=employer_id, employer_name="Photonics Institute")
    assert expert["passport_number"] == "P98765432" and expert["annual_salary"] == "912345.67"

    as_self = (await _expert(platform, expert["id"], auth("expert", subject=expert["id"]))).json()
    as_employer = (await _expert(platform, expert["id"], auth("employer", employer_id))).json()
    as_other_employer = await _expert(platform, expert["id"], auth("employer", str(uuid.uuid4())))
    as_other_expert = await _expert(platform, expert["id"], auth("expert", subject=str(uuid.uuid4())))
    as_member = await _expert(platform, expert["id"], auth("committee_member"))
    anonymous = await _expert(platform, expert["id"], {})

    assert as_self["passport_number"] == "P98765432" and as_self["restricted_masked"] is False
    # The expert's own employer reads the record, the passport masked and no salary.
    assert as_employer["passport_number"] == "****32"
    assert as_employer["annual_salary"] is None and as_employer["restricted_masked"] is True
    assert "P98765432" not in str(as_employer) and "912345" not in str(as_employer)
    # Anyone else with a token: 404, as for an expert that does not exist (ids cannot be probed).
    for response in (as_other_employer, as_other_expert, as_member):
        assert response.status_code == 404, response.text
        assert "P98765432" not in response.text and "Number1" not in response.text
    assert anonymous.status_code == 401


async def test_r_platform_search_by_field_nationality_language_status_and_full_text(platform):
    await platform.start()
    async with platform.client("directory") as client:
        a = await register(client, 1, nationality="FR", field="biomedicine", languages=["fr", "en"],
                           bio="Works on monoclonal antibodies and vaccine platforms.")
        b = await register(client, 2, nationality="US", field="aerospace", languages=["en"],
                           bio="Designs satellite propulsion.")
        c = await register(client, 3, nationality="FR", field="aerospace", languages=["fr"],
                           skills=["propulsion", "composites"], bio="Rocket engines.")

        async def ids(**params):
            response = await client.get(f"{BASE}/experts", params=params, headers=OFFICER)
            assert response.status_code == 200, response.text
            return {e["id"] for e in response.json()["items"]}

        assert await ids(field="aerospace") == {b["id"], c["id"]}
        assert await ids(focus_area="strategic_emerging_industries") == {a["id"], b["id"], c["id"]}
        assert await ids(nationality="FR") == {a["id"], c["id"]}
        assert await ids(language="fr") == {a["id"], c["id"]}
        assert await ids(status="registered") == {a["id"], b["id"], c["id"]}
        assert await ids(status="selected") == set()
        assert await ids(q="antibodies") == {a["id"]}
        assert await ids(q="propulsion") == {b["id"], c["id"]}  # in b's biography, in c's skills
        assert await ids(q="propulsion rocket") == {c["id"]}  # every word must match
        assert await ids(q="propulsion", nationality="US") == {b["id"]}
        assert await ids(q='"; DROP TABLE experts; --') == set()
        bad = await client.get(f"{BASE}/experts", params={"status": "retired"}, headers=OFFICER)
        assert bad.status_code == 422 and "status" in bad.text
        unknown = await client.get(f"{BASE}/map/summary", params={"field": "alchemy"})
        assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "field"


async def test_r_platform_search_pages_with_a_cursor(platform):
    await platform.start()
    async with platform.client("directory") as client:
        made = [(await register(client, n))["id"] for n in range(5)]
        seen, cursor = [], None
        while True:
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            page = (await client.get(f"{BASE}/experts", params=params, headers=OFFICER)).json()
            seen += [e["id"] for e in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
    assert seen == made


async def test_r_platform_bad_registration_is_422_naming_the_field_and_writes_nothing(platform):
    await platform.start()
    async with platform.client("directory") as client:
        response = await client.post(f"{BASE}/experts", json={"name": "X", "nationality": "DE", "field": "alchemy"},
                                     headers=OFFICER)
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "field" in response.text
        forbidden = await client.post(f"{BASE}/experts", json={"name": "X", "nationality": "DE",
                                                              "field": "aerospace"},
                                      headers=auth("employer", str(uuid.uuid4())))
        assert forbidden.status_code == 403
    assert await platform.count("directory", "experts") == 0


async def test_r_supervise_breach_marks_and_withdrawal_unmarks_in_either_order(platform):
    await platform.start()
    event = approval()
    await publish(platform, event)
    expert_id = event.expert.expert_id
    await eventually(lambda: _listed(platform, expert_id), message="expert listed")

    first = breach(expert_id)
    await publish(platform, first)
    marked = await eventually(lambda: _revoked(platform, expert_id, "2025-03-01"), message="marked")
    assert marked["benefits_revoked_since"] == "2025-03-01"
    await publish(platform, withdrawal(first))
    await eventually(lambda: _revoked(platform, expert_id, None), message="unmarked")

    second = breach(expert_id)  # the withdrawal arrives before the breach it reverses
    await publish(platform, withdrawal(second))
    await eventually(lambda: _inbox(platform, 4), message="withdrawal handled")
    await publish(platform, second)
    await eventually(lambda: _inbox(platform, 5), message="late breach handled")
    assert (await _listed(platform, expert_id))["benefits_revoked_since"] is None

    await publish(platform, breach(expert_id, attributable_to=BreachAttribution.employer))
    await eventually(lambda: _inbox(platform, 6), message="employer breach handled")
    assert (await _listed(platform, expert_id))["benefits_revoked_since"] is None
    async with platform.client("directory") as client:
        page = (await client.get(f"{BASE}/experts", params={"benefits_revoked": "false"}, headers=OFFICER)).json()
    assert [e["id"] for e in page["items"]] == [str(expert_id)]


async def _revoked(platform, expert_id, expected):
    expert = await _listed(platform, expert_id)
    return expert if expert and expert["benefits_revoked_since"] == expected else None


async def test_r_platform_job_seeking_profile_is_the_experts_own(platform):
    await platform.start()
    async with platform.client("directory") as client:
        expert = await register(client, 7)
        body = {"seeking": True, "headline": "Open to CTO roles", "skills": ["Rust", "rust ", "Storage"],
                "languages": ["en"], "available_from": "2025-01-01"}
        other = await client.put(f"{BASE}/experts/{expert['id']}/job-seeking", json=body,
                                 headers=auth("expert", subject=str(uuid.uuid4())))
        assert other.status_code == 403
        own = await client.put(f"{BASE}/experts/{expert['id']}/job-seeking", json=body,
                               headers=auth("expert", subject=expert["id"]))
        assert own.status_code == 200, own.text
        assert own.json()["skills"] == ["rust", "storage"]
        public = (await client.get(f"{BASE}/job-seekers", params={"skill": "rust"})).json()
    assert [e["id"] for e in public["items"]] == [expert["id"]]
    assert "passport_number" not in public["items"][0] and "annual_salary" not in public["items"][0]


async def test_r_platform_expert_list_holds_only_the_records_the_caller_may_read(platform):
    await platform.start()
    mine, theirs = str(uuid.uuid4()), str(uuid.uuid4())
    async with platform.client("directory") as client:
        own = await register(client, 1, employer_id=mine)
        other = await register(client, 2, employer_id=theirs)
        unattached = await register(client, 3)

        async def listed(headers) -> set[str]:
            response = await client.get(f"{BASE}/experts", headers=headers)
            assert response.status_code == 200, response.text
            return {e["id"] for e in response.json()["items"]}

        assert await listed(OFFICER) == {own["id"], other["id"], unattached["id"]}
        assert await listed(auth("employer", mine)) == {own["id"]}
        assert await listed(auth("expert", subject=unattached["id"])) == {unattached["id"]}
        assert await listed(auth("partner_agency")) == set()
        # An employer's org that is no employer id is refused at the door (shared.auth, issue 15).
        assert (await client.get(f"{BASE}/experts", headers=auth("employer", "not-an-id"))).status_code == 401
