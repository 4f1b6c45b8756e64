"""Officers manage partner-agency webhook subscriptions; the secret is shown once; private targets are refused."""

from __future__ import annotations

import ipaddress
import json

import pytest
import sqlalchemy as sa
from standardwebhooks.webhooks import Webhook

from services.permits.models import webhook_subscriptions
from shared.errors import PROBLEM_JSON
from shared.webhooks import webhook_headers
from tests.support.tokens import auth
from tests.support.webhooks import PUBLIC_URL, URL, create, subscription

OFFICER = auth("bureau_officer")
SIMULATOR_URL = "http://127.0.0.1:8102/entry-exit/webhooks"


async def stored_rows(platform):
    runtime = platform.runtime("permits")
    async with runtime.db.session() as session:
        return (await session.execute(sa.select(webhook_subscriptions))).all()


async def test_officer_subscribes_an_endpoint_and_gets_the_secret_once(platform):
    await platform.start()

    response = await create(platform, subscription(event_types=["PermitRevocationRequested", "PermitExpiring"]))

    assert response.status_code == 201, response.text
    created = response.json()
    assert created["secret"].startswith("whsec_")
    assert created["url"] == PUBLIC_URL
    assert created["event_types"] == ["PermitExpiring", "PermitRevocationRequested"]
    assert created["enabled"] is True and created["version"] == 1
    assert response.headers["location"] == f"{URL}/{created['id']}"
    assert response.headers["cache-control"] == "no-store"
    async with platform.client("permits", OFFICER) as client:
        one = await client.get(f"{URL}/{created['id']}")
        listed = await client.get(URL)
    assert one.status_code == 200 and "secret" not in one.json()
    assert [s["id"] for s in listed.json()["items"]] == [created["id"]]
    assert "whsec_" not in one.text + listed.text
    # The secret kept is the one handed out: what the partner verifies with.
    [row] = await stored_rows(platform)
    body = json.dumps({"type": "PermitRevocationRequested", "data": {"case_id": "c-1"}}).encode()
    assert Webhook(created["secret"]).verify(body, webhook_headers(row.secret, msg_id="msg_1", body=body))


async def test_creation_is_audited_without_the_secret(platform):
    await platform.start()
    created = (await create(platform)).json()

    runtime = platform.runtime("permits")
    async with runtime.db.session() as session:
        audit = (await session.execute(sa.select(runtime.tables.audit_log))).one()
    assert (audit.action, audit.object_id, audit.actor) == (
        "create_webhook_subscription", created["id"], "test-bureau_officer"
    )
    assert created["secret"] not in audit.detail


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
@pytest.mark.parametrize("target", [
    "http://127.0.0.1:8102/hooks",
    "http://localhost/hooks",
    "http://10.1.2.3/hooks",
    "http://172.16.0.5/hooks",
    "http://192.168.1.10/hooks",
    "http://169.254.169.254/latest/meta-data",
    "http://[::1]/hooks",
    "http://[::ffff:127.0.0.1]/hooks",
    "http://[fd00::1]/hooks",
    "http://0.0.0.0/hooks",
    "http://100.64.0.1/hooks",
    "http://[::10.0.0.1]/hooks",            # IPv4-compatible
    "http://[64:ff9b::7f00:1]/hooks",       # NAT64 of 127.0.0.1
    "http://[64:ff9b:1::a9fe:a9fe]/hooks",  # local-use NAT64 of 169.254.169.254
    "http://[2002:c0a8:10a::1]/hooks",      # 6to4 of 192.168.1.10
    "http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/hooks",  # Teredo, client 10.0.0.1
])
async def test_url_resolving_to_a_private_or_loopback_address_is_refused(platform, target):
    await platform.start()

    response = await create(platform, subscription(url=target))

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["field"] == "url"
    assert await stored_rows(platform) == []
    assert await platform.count("permits", platform.runtime("permits").tables.audit_log) == 0


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
async def test_an_allowed_target_admits_exactly_the_local_simulator_and_no_other_private_url(platform):
    await platform.start(settings={"permits": {"webhook_allowed_targets": ["http://127.0.0.1:8102/entry-exit/"]}})

    response = await create(platform, subscription(url=SIMULATOR_URL))
    others = [await create(platform, subscription(url=url)) for url in (
        "http://127.0.0.1:8001/intake/v1/applications", "http://127.0.0.1:8102/permits/v1/cases",
        "http://10.1.2.3/entry-exit/webhooks", "http://[64:ff9b::7f00:1]:8102/entry-exit/webhooks")]

    assert response.status_code == 201, response.text
    assert response.json()["url"] == SIMULATOR_URL
    assert [r.status_code for r in others] == [422] * 4, [r.text for r in others]
    assert {r.json()["field"] for r in others} == {"url"}
    assert len(await stored_rows(platform)) == 1


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
async def test_a_partner_on_an_allowed_private_network_may_subscribe_and_others_may_not(platform):
    await platform.start(settings={"permits": {"webhook_allowed_cidrs": [ipaddress.ip_network("10.20.0.0/16")]}})

    inside = await create(platform, subscription(url="http://10.20.3.4/hooks"))
    outside = await create(platform, subscription(url="http://10.21.3.4/hooks"))
    loopback = await create(platform, subscription(url="http://127.0.0.1/hooks"))

    assert inside.status_code == 201, inside.text
    assert (outside.status_code, loopback.status_code) == (422, 422)
    assert len(await stored_rows(platform)) == 1


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
@pytest.mark.parametrize(("body", "field"), [
    (subscription(event_types=["ApplicationApproved"]), "event_types"),
    (subscription(event_types=[]), "event_types"),
    (subscription(url="ftp://93.184.215.14/x"), "url"),
    (subscription(url="not a url"), "url"),
    (subscription(url="https://user:pw@93.184.215.14/x"), "url"),
    (subscription(url="https://no-such-host.invalid/x"), "url"),
    (subscription(secret="whsec_chosen-by-caller"), "secret"),
])
async def test_bad_subscription_is_a_422_naming_the_field_and_writes_nothing(platform, body, field):
    await platform.start()

    response = await create(platform, body)

    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem.get("field") == field or field in [e["field"] for e in problem.get("errors", [])], problem
    assert await stored_rows(platform) == []


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
@pytest.mark.parametrize("role", ["employer", "expert", "partner_agency", "committee_member"])
async def test_only_officers_manage_subscriptions(platform, role):
    await platform.start()

    response = await create(platform, headers=auth(role, "6f1c1d38-5f7e-4a43-9a4c-1b6a7f0e2d11"))

    assert response.status_code == 403
    assert await stored_rows(platform) == []


async def test_officer_changes_event_types_and_disables_with_the_etag(platform):
    await platform.start()
    created = (await create(platform)).json()
    async with platform.client("permits", OFFICER) as client:
        read = await client.get(f"{URL}/{created['id']}")
        changed = await client.patch(
            f"{URL}/{created['id']}", json={"event_types": ["PermitExpiring"], "enabled": False},
            headers={"If-Match": read.headers["etag"]},
        )
        stale = await client.patch(f"{URL}/{created['id']}", json={"description": "late"},
                                   headers={"If-Match": read.headers["etag"]})
        after = await client.get(f"{URL}/{created['id']}")

    assert changed.status_code == 200, changed.text
    assert (changed.json()["event_types"], changed.json()["enabled"]) == (["PermitExpiring"], False)
    assert changed.json()["disabled_reason"] == "disabled by an officer"
    assert changed.headers["etag"] == '"2"'
    assert stale.status_code == 412
    assert after.json()["description"] == "Entry-exit bureau"
    assert after.json()["version"] == 2


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
async def test_changing_the_url_to_a_private_address_is_refused(platform):
    await platform.start()
    created = (await create(platform)).json()

    async with platform.client("permits", OFFICER) as client:
        response = await client.patch(f"{URL}/{created['id']}", json={"url": "http://127.0.0.1/x"})
        after = await client.get(f"{URL}/{created['id']}")

    assert response.status_code == 422
    assert response.json()["field"] == "url"
    assert after.json()["url"] == PUBLIC_URL


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
async def test_unknown_subscription_is_404(platform):
    await platform.start()

    async with platform.client("permits", OFFICER) as client:
        read = await client.get(f"{URL}/00000000-0000-0000-0000-000000000000")
        patch = await client.patch(f"{URL}/00000000-0000-0000-0000-000000000000", json={"description": "x"})

    assert (read.status_code, patch.status_code) == (404, 404)


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
async def test_list_pages_with_a_cursor(platform):
    await platform.start()
    ids = [(await create(platform)).json()["id"] for _ in range(3)]

    seen, cursor = [], None
    async with platform.client("permits", OFFICER) as client:
        while True:
            page = (await client.get(URL, params={"limit": 2, **({"cursor": cursor} if cursor else {})})).json()
            seen += [s["id"] for s in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
    assert seen == ids
