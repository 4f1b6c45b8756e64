"""Authorisation on every application endpoint: another employer, another district bureau, an anonymous caller."""

from __future__ import annotations

from tests.support import data
from tests.support.selection import (
    OFFICER, employer_auth, published_entry, registered_employer, reviewer_auth, submitted,
)
from tests.support.tokens import auth

PROBLEM = "application/problem+json"


def object_requests(app_id: str, version: int) -> list[tuple[str, str, dict | None, dict]]:
    """(method, path, body, extra headers) of every endpoint on one application."""
    base = f"/intake/v1/applications/{app_id}"
    formal = {"outcome": "pass", "reason": "ok", "checklist": data.FORMAL_CHECKLIST_COMPLETE}
    return [
        ("GET", base, None, {}),
        ("GET", f"{base}/history", None, {}),
        ("PATCH", base, {"position": "Taken over"}, {"If-Match": f'"{version}"'}),
        ("POST", f"{base}/recommendations", data.recommendation(), {}),
        ("POST", f"{base}/submit", None, {}),
        ("POST", f"{base}/preliminary-review", {"outcome": "pass", "reason": "ok"}, {}),
        ("POST", f"{base}/formal-review", formal, {}),
    ]


async def test_r_apply_other_employer_other_bureau_and_anonymous_are_refused_on_every_application_endpoint(platform):
    await platform.start()
    owner = await registered_employer(platform, district="haidian")
    other = await registered_employer(platform, district="haidian")  # same district, different employer
    entry = await published_entry(platform)
    application = await submitted(platform, owner, entry)
    app_id = application["id"]

    callers = {
        "another employer": (employer_auth(other), {403, 404}),
        "another district bureau": (auth("preliminary_reviewer", "district:chaoyang"), {403, 404}),
        "a competent department": (auth("preliminary_reviewer", "department:Municipal Health Commission"), {403, 404}),
        "a committee member": (auth("committee_member", subject="member-1"), {403, 404}),
        "anonymous": ({}, {401}),
    }
    for name, (headers, refused) in callers.items():
        async with platform.client("intake", headers) as client:
            for method, path, body, extra in object_requests(app_id, application["version"]):
                response = await client.request(method, path, json=body, headers=extra)
                assert response.status_code in refused, (name, method, path, response.status_code, response.text)
                assert response.headers["content-type"] == PROBLEM
                assert "K1234567" not in response.text

    # Nothing they did changed the application.
    async with platform.client("intake", employer_auth(owner)) as client:
        after = await client.get(f"/intake/v1/applications/{app_id}")
        history = (await client.get(f"/intake/v1/applications/{app_id}/history")).json()
    assert after.json()["version"] == application["version"] and after.json()["state"] == "preliminary_review"
    assert [h["action"] for h in history] == ["drafted", "recommendation_added", "submitted"]


async def test_lists_are_scoped_to_the_caller(platform):
    await platform.start()
    haidian = await registered_employer(platform, district="haidian")
    chaoyang = await registered_employer(platform, district="chaoyang")
    entry = await published_entry(platform)
    a = await submitted(platform, haidian, entry)
    b = await submitted(platform, chaoyang, entry, candidate={"passport_number": "P7654321"})

    async def ids(headers) -> set[str]:
        async with platform.client("intake", headers) as client:
            response = await client.get("/intake/v1/applications")
        assert response.status_code == 200, response.text
        return {item["id"] for item in response.json()["items"]}

    assert await ids(employer_auth(haidian)) == {a["id"]}
    assert await ids(employer_auth(chaoyang)) == {b["id"]}
    assert await ids(reviewer_auth(haidian)) == {a["id"]}
    assert await ids(auth("preliminary_reviewer", "district:fengtai")) == set()
    assert await ids(auth("committee_member", subject="m")) == set()
    assert await ids(OFFICER) == {a["id"], b["id"]}


async def test_only_the_preliminary_reviewer_it_was_submitted_to_reviews_and_only_officers_formally(platform):
    await platform.start()
    owner = await registered_employer(platform, district="xicheng")
    entry = await published_entry(platform)
    application = await submitted(platform, owner, entry)
    async with platform.client("intake", OFFICER) as client:
        officer_prelim = await client.post(f"/intake/v1/applications/{application['id']}/preliminary-review",
                                           json={"outcome": "pass", "reason": "ok"})
    assert officer_prelim.status_code == 403
    async with platform.client("intake", employer_auth(owner)) as client:
        self_review = await client.post(f"/intake/v1/applications/{application['id']}/preliminary-review",
                                        json={"outcome": "pass", "reason": "ok"})
    assert self_review.status_code == 403
    async with platform.client("intake", reviewer_auth(owner)) as client:
        reviewer_formal = await client.post(f"/intake/v1/applications/{application['id']}/formal-review",
                                            json={"outcome": "pass", "reason": "ok",
                                                  "checklist": data.FORMAL_CHECKLIST_COMPLETE})
        reviewer_edit = await client.patch(f"/intake/v1/applications/{application['id']}", json={"position": "x"},
                                           headers={"If-Match": '"3"'})
    assert reviewer_formal.status_code == 403 and reviewer_edit.status_code == 403
