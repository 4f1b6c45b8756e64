"""If-None-Match on the services' versioned reads: 304 while unchanged, the new version in full after a change."""

from __future__ import annotations

from tests.support import data
from tests.support.selection import employer_auth, published_entry, registered_employer


async def test_an_unchanged_application_is_a_304_and_an_edited_one_is_sent_again(platform):
    await platform.start()
    employer = await registered_employer(platform)
    entry = await published_entry(platform)
    async with platform.client("intake", employer_auth(employer)) as c:
        created = await c.post("/intake/v1/applications", json=data.application(entry["id"]))
        assert created.status_code == 201, created.text
        url = created.headers["Location"]
        read = await c.get(url)
        assert read.status_code == 200 and read.headers["ETag"] == '"1"'

        unchanged = await c.get(url, headers={"If-None-Match": read.headers["ETag"]})
        assert unchanged.status_code == 304 and unchanged.content == b""
        assert unchanged.headers["ETag"] == '"1"'

        edited = await c.patch(url, json={"position": "Chief scientist"}, headers={"If-Match": '"1"'})
        assert edited.status_code == 200, edited.text
        again = await c.get(url, headers={"If-None-Match": read.headers["ETag"]})
        assert again.status_code == 200 and again.headers["ETag"] == '"2"'
        assert again.json()["position"] == "Chief scientist"

    # The route still authorises: an If-None-Match without a token is answered as the GET would be (401).
    async with platform.client("intake") as anonymous:
        refused = await anonymous.get(url, headers={"If-None-Match": '"2"'})
        assert refused.status_code == 401
