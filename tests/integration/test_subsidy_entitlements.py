"""Entitlements opened from ApplicationApproved, through the outbox and the bus, on both run modes."""

from __future__ import annotations

import uuid
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy.models import entitlements
from shared.events.review import CapException, Track
from tests.support.events import publish
from tests.support.platform import eventually
from tests.support.subsidy import OFFICER, approval, entitlements_of
from tests.support.tokens import auth


async def test_approved_application_opens_an_entitlement(platform):
    await platform.start()
    event = approval(cap_exception=CapException(amount=Decimal("300000.00"), reason="unique expertise",
                                                approved_by="committee sitting 7"))

    await publish(platform, event)

    [entitlement] = await eventually(lambda: entitlements_of(platform, event.expert.expert_id),
                                     message="entitlement opened")
    assert entitlement["application_id"] == str(event.application_id)
    assert entitlement["track"] == "haiju_long_term"
    assert entitlement["status"] == "open"
    assert entitlement["annual_salary"] == "850000.00"
    assert (entitlement["contract_start"], entitlement["contract_end"]) == ("2024-06-01", "2027-05-31")
    assert entitlement["employer_district"] == "haidian"
    assert entitlement["cap_exception"] == {"amount": "300000.00", "reason": "unique expertise",
                                            "approved_by": "committee sitting 7"}
    assert entitlement["funding_plan"]["items"][0]["code"] == "salary_subsidy"
    async with platform.client("subsidy", OFFICER) as client:
        one = await client.get(f"/subsidy/v1/entitlements/{entitlement['id']}")
    assert one.json() == entitlement


async def test_duplicate_delivery_and_reannouncement_open_one_entitlement(platform):
    await platform.start()
    event = approval(track=Track.short_term)
    await publish(platform, event)
    await eventually(lambda: entitlements_of(platform, event.expert.expert_id), message="first delivery applied")

    review = platform.runtime("review")
    async with review.db.session() as session, session.begin():  # the relay sends the same row again
        await session.execute(sa.update(review.tables.outbox).values(sent_at=None))
    review.relay.wake()
    await publish(platform, event)  # the same approval under a new event id
    subsidy = platform.runtime("subsidy")
    await eventually(lambda: _inbox_count(platform, 2), message="both event ids received")
    handled = subsidy.metrics.events_handled
    await eventually(lambda: handled.labels("subsidy", "duplicate")._value.get() >= 1, message="duplicate seen")

    assert len(await entitlements_of(platform, event.expert.expert_id)) == 1
    assert await platform.count("subsidy", entitlements) == 1
    assert await platform.count("subsidy", subsidy.tables.audit_log,
                                subsidy.tables.audit_log.c.action == "open_entitlement") == 1


async def _inbox_count(platform, n):
    return await platform.count("subsidy", platform.runtime("subsidy").tables.inbox) >= n


async def test_entitlements_are_listed_in_pages_and_another_employer_sees_none(platform):
    await platform.start()
    expert_id = uuid.uuid4()
    events = [approval(expert_id=expert_id) for _ in range(3)]
    for event in events:
        await publish(platform, event)
    await eventually(lambda: _has(platform, expert_id, 3), message="three entitlements")

    seen, cursor = [], None
    async with platform.client("subsidy", OFFICER) as client:
        while True:
            params = {"expert_id": str(expert_id), "limit": 2, **({"cursor": cursor} if cursor else {})}
            page = (await client.get("/subsidy/v1/entitlements", params=params)).json()
            seen += [e["application_id"] for e in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
    assert sorted(seen) == sorted(str(e.application_id) for e in events)
    # Another employer sees none of them (its own only) and finds none; other roles may not read at all.
    async with platform.client("subsidy", auth("employer", str(uuid.uuid4()))) as client:
        listed = await client.get("/subsidy/v1/entitlements", params={"expert_id": str(expert_id)})
        assert (listed.status_code, listed.json()["items"]) == (200, [])
        assert (await client.get(f"/subsidy/v1/entitlements/{page['items'][0]['id']}")).status_code == 404
    async with platform.client("subsidy", auth("committee_member")) as client:
        assert (await client.get("/subsidy/v1/entitlements")).status_code == 403
        assert (await client.get(f"/subsidy/v1/entitlements/{uuid.uuid4()}")).status_code == 403
    async with platform.client("subsidy", OFFICER) as client:
        assert (await client.get(f"/subsidy/v1/entitlements/{uuid.uuid4()}")).status_code == 404


async def _has(platform, expert_id, n):
    return len(await entitlements_of(platform, expert_id)) == n
