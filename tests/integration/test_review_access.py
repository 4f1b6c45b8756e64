"""Who may touch the committee's objects (a member only its sittings' cases, officers by role) and bad input."""

from __future__ import annotations

import pytest

from services.review.models import committee_members, conflicts, decisions, scores, sitting_members, sittings, votes
from shared.events.common import Track
from tests.support.review import GOOD, OFFICER, act, convene, deliberate, formal_pass, member_auth, seat_committee, subjects
from tests.support.tokens import auth

pytestmark = pytest.mark.parametrize("platform", ["embedded"], indirect=True)

WRITTEN = (committee_members, sittings, sitting_members, conflicts, scores, votes, decisions)


async def snapshot(platform) -> dict:
    runtime = platform.runtime("review")
    counts = {t.name: await platform.count("review", t) for t in WRITTEN}
    counts["audit_log"] = await platform.count("review", runtime.tables.audit_log)
    counts["outbox"] = await platform.count("review", runtime.tables.outbox)
    return counts


def object_endpoints(s) -> list[tuple[str, str, dict | None]]:
    sitting = f"/review/v1/sittings/{s.sitting_id}"
    return [
        ("GET", f"/review/v1/cases/{s.app}", None),
        ("GET", sitting, None),
        ("POST", f"{sitting}/attendance", {"present_member_ids": []}),
        ("GET", s.case_path(), None),
        ("POST", s.case_path("/conflicts"), {"reason": "none really"}),
        ("POST", s.case_path("/scores"), GOOD),
        ("POST", s.case_path("/votes"), {"approve": True}),
        ("POST", s.case_path("/decision"), {}),
        ("GET", f"/review/v1/decisions/{s.app}", None),
    ]


async def test_object_endpoints_refuse_anonymous_outsiders_and_other_roles(platform):
    s = await convene(platform)
    await deliberate(s)
    assert (await act(s, subjects(s)[0], "votes", {"approve": True})).status_code == 409  # sanity: voted already
    async with platform.client("review") as client:
        outsider = await seat_committee(client, prefix="outsider")  # on the roster, not in this sitting
    callers = {
        "anonymous": ({}, {401}),
        "member not in the sitting": (member_auth("outsider-expert"), {403, 404}),
        "committee token not on the roster": (member_auth("nobody-at-all"), {403, 404}),
        "employer": (auth("employer", str(s.event.employer.employer_id)), {403}),
        "preliminary reviewer": (auth("preliminary_reviewer", "district:haidian"), {403}),
    }
    assert outsider.ids
    before = await snapshot(platform)
    async with platform.client("review") as client:
        for who, (headers, refused) in callers.items():
            for method, path, body in object_endpoints(s):
                r = await client.request(method, path, json=body, headers=headers)
                assert r.status_code in refused, f"{who} {method} {path}: {r.status_code} {r.text}"
                assert r.headers["content-type"].startswith("application/problem+json")
    assert await snapshot(platform) == before


async def test_sitting_members_read_their_sitting_and_officers_read_all(platform):
    s = await convene(platform)
    member = member_auth(subjects(s)[2])
    async with platform.client("review") as client:
        for headers in (member, OFFICER):
            assert (await client.get(f"/review/v1/sittings/{s.sitting_id}", headers=headers)).status_code == 200
            assert (await client.get(f"/review/v1/cases/{s.app}", headers=headers)).status_code == 200
            assert (await client.get(s.case_path(), headers=headers)).status_code == 200
        # Members act, officers convene and decide: neither does the other's part.
        assert (await client.post(s.case_path("/scores"), json=GOOD, headers=OFFICER)).status_code == 403
        assert (await client.post(s.case_path("/decision"), json={}, headers=member)).status_code == 403
        assert (await client.post(f"/review/v1/sittings/{s.sitting_id}/attendance", headers=member,
                                  json={"present_member_ids": []})).status_code == 403


@pytest.mark.parametrize("method,path", [
    ("POST", "/review/v1/committee-members"), ("GET", "/review/v1/committee-members"),
    ("GET", "/review/v1/cases"), ("POST", "/review/v1/sittings"),
])
async def test_officer_collections_refuse_members_and_anonymous(platform, method, path):
    await platform.start()
    async with platform.client("review") as client:
        assert (await client.request(method, path, json={})).status_code == 401
        assert (await client.request(method, path, json={}, headers=member_auth("someone"))).status_code == 403


async def _refused_input(platform, method, path, body, headers, field):
    before = await snapshot(platform)
    async with platform.client("review") as client:
        r = await client.request(method, path, json=body, headers=headers)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in r.json()["errors"]], r.json()
    assert await snapshot(platform) == before


async def test_bad_input_is_422_naming_the_field_and_writes_nothing(platform):
    s = await convene(platform)
    sitting = f"/review/v1/sittings/{s.sitting_id}"
    member = member_auth(subjects(s)[0])
    member_id = s.committee.ids[subjects(s)[0]]
    cases = [
        ("POST", "/review/v1/committee-members", {"subject": "x", "name": "X", "seat_type": "chairman"}, OFFICER,
         "seat_type"),
        ("POST", "/review/v1/committee-members", {"subject": "x", "name": "X", "seat_type": "expert", "vip": 1},
         OFFICER, "vip"),
        ("POST", "/review/v1/sittings", {"held_on": "2024-13-40", "member_ids": [member_id],
                                         "application_ids": [s.app]}, OFFICER, "held_on"),
        ("POST", "/review/v1/sittings", {"held_on": "2024-06-01", "member_ids": [member_id],
                                         "application_ids": []}, OFFICER, "application_ids"),
        ("POST", "/review/v1/sittings", {"held_on": "2024-06-01", "member_ids": [s.sitting_id],
                                         "application_ids": [s.app]}, OFFICER, "member_ids"),
        ("POST", "/review/v1/sittings", {"held_on": "2024-06-01", "member_ids": [member_id],
                                         "application_ids": [s.sitting_id]}, OFFICER, "application_ids"),
        ("POST", f"{sitting}/attendance", {"present_member_ids": [s.sitting_id]}, OFFICER, "present_member_ids"),
        ("POST", s.case_path("/scores"), {**GOOD, "achievements": 11}, member, "achievements"),
        ("POST", s.case_path("/scores"), {**GOOD, "need": "9"}, member, "need"),
        ("POST", s.case_path("/scores"), {k: v for k, v in GOOD.items() if k != "renown"}, member, "renown"),
        ("POST", s.case_path("/votes"), {"approve": "maybe"}, member, "approve"),
        ("POST", s.case_path("/conflicts"), {"reason": ""}, member, "reason"),
        ("POST", s.case_path("/decision"), {"cap_exception": {"amount": 300000.5, "reason": "r"}}, OFFICER,
         "cap_exception.amount"),
        ("POST", s.case_path("/decision"), {"cap_exception": {"amount": "300000"}}, OFFICER, "cap_exception.reason"),
    ]
    for method, path, body, headers, field in cases:
        await _refused_input(platform, method, path, body, headers, field)


async def test_r_cap_exception_on_a_track_without_the_cap_is_422_and_nothing_decided(platform):
    s = await convene(platform, event=formal_pass(track=Track.short_term))
    await deliberate(s)

    await _refused_input(platform, "POST", s.case_path("/decision"),
                         {"cap_exception": {"amount": "300000", "reason": "r"}}, OFFICER, "cap_exception")
