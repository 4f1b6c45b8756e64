"""Webhook deliveries to the entry-exit simulator, with the retry schedule compressed: each takes effect once."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import httpx
import pytest
import sqlalchemy as sa

from services.permits.webhooks import handlers
from services.permits.webhooks.domain import webhook_payload
from services.permits.models import webhook_deliveries
from simulators.entry_exit.app import create_app as simulator_app
from simulators.entry_exit.settings import EntryExitSimulatorSettings
from tests.support.platform import eventually
from tests.support.tokens import auth

OFFICER = auth("bureau_officer")
SUBSCRIPTIONS = "/permits/v1/webhook-subscriptions"
SIMULATOR_URL = "http://127.0.0.1:8102/entry-exit/webhooks"
COMPRESSED = {
    "webhook_allowed_targets": ["http://127.0.0.1:8102/entry-exit/"],  # the simulator, exactly
    "webhook_retry_schedule_seconds": [0.05, 0.05, 0.05],
    "webhook_retry_jitter": 0.0,
    "webhook_poll_seconds": 0.05,
}


class Receiver:
    """The simulator, reached in-process through the dispatcher's transport."""

    def __init__(self) -> None:
        self.app = simulator_app(EntryExitSimulatorSettings())
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://entry-exit")

    async def control(self, **body) -> None:
        response = await self.client.post("/entry-exit/control", json=body)
        assert response.status_code == 200, response.text

    async def received(self) -> dict:
        return (await self.client.get("/entry-exit/received")).json()


async def start(platform, **settings) -> tuple[Receiver, dict]:
    """The platform, the simulator as permits' webhook target, and a subscription to it."""
    await platform.start(settings={"permits": {**COMPRESSED, **settings}})
    receiver = Receiver()
    platform.apps["permits"].state.runtime.extras.dispatcher.transport = httpx.ASGITransport(app=receiver.app)
    async with platform.client("permits", OFFICER) as client:
        response = await client.post(SUBSCRIPTIONS, json={
            "url": SIMULATOR_URL, "event_types": ["PermitRevocationRequested"], "description": "entry-exit",
        })
    assert response.status_code == 201, response.text
    subscription = response.json()
    await receiver.control(secrets=[subscription["secret"]])
    return receiver, subscription


async def send_test(platform, subscription) -> str:
    async with platform.client("permits", OFFICER) as client:
        response = await client.post(f"{SUBSCRIPTIONS}/{subscription['id']}/test")
    assert response.status_code == 202, response.text
    return response.json()["webhook_id"]


async def deliveries(platform, subscription) -> list[dict]:
    async with platform.client("permits", OFFICER) as client:
        response = await client.get(f"{SUBSCRIPTIONS}/{subscription['id']}/deliveries")
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def delivery_in(platform, subscription, status: str):
    items = await deliveries(platform, subscription)
    return items[0] if items and items[0]["status"] == status else None


async def test_test_message_is_signed_delivered_and_logged(platform):
    receiver, subscription = await start(platform)

    webhook_id = await send_test(platform, subscription)

    delivered = await eventually(lambda: delivery_in(platform, subscription, "delivered"), message="delivered")
    assert (delivered["webhook_id"], delivered["attempts"], delivered["last_status_code"]) == (webhook_id, 1, 200)
    log = await receiver.received()
    assert [(r["webhook_id"], r["type"]) for r in log["items"]] == [(webhook_id, "WebhookTest")]
    assert log["items"][0]["payload"]["data"] == {"subscription_id": subscription["id"]}


async def test_receiver_down_for_a_while_gets_the_message_once_when_it_comes_back(platform):
    receiver, subscription = await start(platform)
    await receiver.control(behaviour="fail", requests=3)

    webhook_id = await send_test(platform, subscription)

    delivered = await eventually(lambda: delivery_in(platform, subscription, "delivered"), message="delivered")
    assert delivered["attempts"] == 4  # three 500s, then accepted
    log = await receiver.received()
    assert [r["webhook_id"] for r in log["items"]] == [webhook_id]
    assert log["injected"] == 3


async def test_410_disables_the_subscription_and_stops_sending(platform):
    receiver, subscription = await start(platform)
    await receiver.control(behaviour="gone")

    await send_test(platform, subscription)

    gone = await eventually(lambda: delivery_in(platform, subscription, "gone"), message="delivery gone")
    assert gone["attempts"] == 1
    async with platform.client("permits", OFFICER) as client:
        after = (await client.get(f"{SUBSCRIPTIONS}/{subscription['id']}")).json()
        again = await client.post(f"{SUBSCRIPTIONS}/{subscription['id']}/test")
    assert after["enabled"] is False
    assert "410" in after["disabled_reason"]
    assert again.status_code == 409
    assert (await receiver.received())["items"] == []


async def test_429_retry_after_is_honoured(platform):
    receiver, subscription = await start(platform)
    await receiver.control(behaviour="throttle", retry_after_seconds=1, requests=1)

    await send_test(platform, subscription)

    waiting = await eventually(
        lambda: _first_if(deliveries(platform, subscription), lambda d: d["last_status_code"] == 429),
        message="throttled once",
    )
    wait = datetime.fromisoformat(waiting["next_attempt_at"]) - datetime.fromisoformat(waiting["last_attempt_at"])
    assert wait.total_seconds() >= 0.99, "Retry-After: 1 honoured over the 0.05 s schedule"
    delivered = await eventually(lambda: delivery_in(platform, subscription, "delivered"), message="delivered")
    assert delivered["attempts"] == 2


async def _first_if(items_coroutine, predicate):
    items = await items_coroutine
    return items[0] if items and predicate(items[0]) else None


async def test_exhausted_delivery_is_flagged_and_replayed_once_the_receiver_is_fixed(platform):
    receiver, subscription = await start(platform)
    await receiver.control(behaviour="fail")  # until reset

    webhook_id = await send_test(platform, subscription)

    exhausted = await eventually(lambda: delivery_in(platform, subscription, "exhausted"), message="exhausted")
    assert exhausted["attempts"] == 4  # the first attempt and the schedule's three retries
    assert exhausted["last_status_code"] == 500
    await receiver.control(behaviour="accept")
    async with platform.client("permits", OFFICER) as client:
        replay = await client.post(f"/permits/v1/webhook-deliveries/{exhausted['id']}/replay")
    assert replay.status_code == 202, replay.text
    await eventually(lambda: delivery_in(platform, subscription, "delivered"), message="delivered after replay")
    assert [r["webhook_id"] for r in (await receiver.received())["items"]] == [webhook_id]


async def test_replaying_a_delivered_message_takes_effect_once_at_the_receiver(platform):
    receiver, subscription = await start(platform)
    await send_test(platform, subscription)
    delivered = await eventually(lambda: delivery_in(platform, subscription, "delivered"), message="delivered")

    async with platform.client("permits", OFFICER) as client:
        assert (await client.post(f"/permits/v1/webhook-deliveries/{delivered['id']}/replay")).status_code == 202

    await eventually(lambda: _duplicates(receiver, 1), message="the replay reached the receiver")
    assert len((await receiver.received())["items"]) == 1
    assert (await delivery_in(platform, subscription, "delivered"))["attempts"] == 1


async def _duplicates(receiver, n):
    return (await receiver.received())["duplicates"] == n


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
async def test_messages_go_only_to_subscriptions_of_their_event_type(platform):
    receiver, subscription = await start(platform, webhook_dispatcher_enabled=False)
    runtime = platform.runtime("permits")

    async with runtime.uow() as uow:
        wanted = await handlers.enqueue_webhooks(uow, event_type="PermitRevocationRequested",
                                                 data={"case_id": "c-1", "state": "revocation_requested"})
        unwanted = await handlers.enqueue_webhooks(uow, event_type="PermitExpiring", data={"case_id": "c-1"})
        await uow.commit()

    assert len(wanted) == 1 and unwanted == []
    sent = await platform.apps["permits"].state.runtime.extras.dispatcher.dispatch_once()
    assert sent == 1
    [item] = (await receiver.received())["items"]
    assert item["type"] == "PermitRevocationRequested"
    assert item["payload"]["data"] == {"case_id": "c-1", "state": "revocation_requested"}


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
async def test_a_claimed_delivery_is_not_sent_twice_by_a_second_pass(platform):
    receiver, subscription = await start(platform, webhook_dispatcher_enabled=False)
    await receiver.control(delay_seconds=0.3, requests=1)
    await send_test(platform, subscription)
    dispatcher = platform.apps["permits"].state.runtime.extras.dispatcher

    import asyncio

    first = asyncio.create_task(dispatcher.dispatch_once())
    await asyncio.sleep(0.1)  # the first pass holds the lease and waits on the slow receiver
    second = await dispatcher.dispatch_once()

    assert (await first, second) == (1, 0)
    runtime = platform.runtime("permits")
    async with runtime.db.session() as session:
        attempts = (await session.execute(sa.select(webhook_deliveries.c.attempts))).scalar_one()
    assert attempts == 1
    assert len((await receiver.received())["items"]) == 1


def test_payload_is_thin_json():
    body = json.loads(webhook_payload("PermitRevocationRequested", {"case_id": "c-1"},
                                              datetime.fromisoformat("2026-11-27T12:00:00+00:00")))

    assert body == {"type": "PermitRevocationRequested", "timestamp": "2026-11-27T12:00:00+00:00",
                    "data": {"case_id": "c-1"}}


async def rotate(platform, subscription) -> dict:
    async with platform.client("permits", OFFICER) as client:
        response = await client.post(f"{SUBSCRIPTIONS}/{subscription['id']}/rotate-secret")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    return response.json()


async def test_during_secret_rotation_a_receiver_with_either_secret_accepts(platform):
    receiver, subscription = await start(platform)
    old = subscription["secret"]

    rotated = await rotate(platform, subscription)

    new = rotated["secret"]
    assert new.startswith("whsec_") and new != old
    for receiver_secret in (old, new):  # the partner has not switched yet, then has
        await receiver.control(secrets=[receiver_secret])
        webhook_id = await send_test(platform, subscription)
        await eventually(lambda w=webhook_id: _received(receiver, w), message=f"accepted with {receiver_secret[:10]}")
    async with platform.client("permits", OFFICER) as client:
        shown = (await client.get(f"{SUBSCRIPTIONS}/{subscription['id']}")).text
    assert old not in shown and new not in shown


async def _received(receiver, webhook_id) -> bool:
    return webhook_id in [r["webhook_id"] for r in (await receiver.received())["items"]]


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
async def test_after_the_overlap_only_the_new_secret_signs(platform):
    receiver, subscription = await start(platform, webhook_secret_overlap_seconds=0)
    old = subscription["secret"]
    await rotate(platform, subscription)
    await receiver.control(secrets=[old])

    await send_test(platform, subscription)

    refused = await eventually(lambda: delivery_in(platform, subscription, "exhausted"), message="exhausted")
    assert refused["last_status_code"] == 401
    assert (await receiver.received())["items"] == []


async def test_replay_of_a_time_range_resends_the_failed_deliveries_once_each(platform):
    receiver, subscription = await start(platform)
    await receiver.control(behaviour="fail")
    async with platform.client("permits", OFFICER) as client:
        since = (await client.get(f"{SUBSCRIPTIONS}/{subscription['id']}")).json()["created_at"]
    sent = [await send_test(platform, subscription) for _ in range(2)]
    await eventually(lambda: _all_in(platform, subscription, "exhausted", 2), message="both exhausted")
    await receiver.control(behaviour="accept")

    async with platform.client("permits", OFFICER) as client:
        before = await client.post(f"{SUBSCRIPTIONS}/{subscription['id']}/deliveries/replay",
                                   json={"since": "2020-01-01T00:00:00Z", "until": since})
        # The same instant in Beijing time: offsets are honoured on both databases.
        beijing = datetime.fromisoformat(since).astimezone(timezone(timedelta(hours=8))).isoformat()
        replay = await client.post(f"{SUBSCRIPTIONS}/{subscription['id']}/deliveries/replay", json={"since": beijing})

    assert before.json() == {"replayed": 0}
    assert replay.status_code == 200, replay.text
    assert replay.json() == {"replayed": 2}
    await eventually(lambda: _all_in(platform, subscription, "delivered", 2), message="both delivered")
    assert sorted(r["webhook_id"] for r in (await receiver.received())["items"]) == sorted(sent)


async def _all_in(platform, subscription, status, n) -> bool:
    items = await deliveries(platform, subscription)
    return len(items) == n and all(i["status"] == status for i in items)


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
async def test_replay_range_with_until_before_since_is_a_422(platform):
    receiver, subscription = await start(platform, webhook_dispatcher_enabled=False)

    async with platform.client("permits", OFFICER) as client:
        response = await client.post(f"{SUBSCRIPTIONS}/{subscription['id']}/deliveries/replay",
                                     json={"since": "2026-01-02T00:00:00Z", "until": "2026-01-01T00:00:00Z"})

    assert response.status_code == 422
    assert response.json()["field"] == "until"


async def test_every_attempt_is_logged_per_subscription_and_the_exhausted_delivery_flagged(platform):
    receiver, subscription = await start(platform)
    await receiver.control(behaviour="fail")  # until reset

    webhook_id = await send_test(platform, subscription)

    exhausted = await eventually(lambda: delivery_in(platform, subscription, "exhausted"), message="exhausted")
    async with platform.client("permits", OFFICER) as client:
        attempts = (await client.get(f"{SUBSCRIPTIONS}/{subscription['id']}/attempts")).json()["items"]
        of_delivery = (await client.get(f"/permits/v1/webhook-deliveries/{exhausted['id']}/attempts")).json()
        flagged = (await client.get("/permits/v1/webhook-deliveries", params={"status": "exhausted"})).json()
    assert exhausted["flagged"] is True
    assert [a["attempt"] for a in attempts] == [4, 3, 2, 1]
    assert {a["webhook_id"] for a in attempts} == {webhook_id}
    assert [a["status_code"] for a in attempts] == [500] * 4
    assert [a["outcome"] for a in attempts] == ["exhausted", "pending", "pending", "pending"]
    assert all(a["duration_ms"] >= 0 and a["attempted_at"] for a in attempts)
    assert of_delivery["items"] == attempts
    assert [d["webhook_id"] for d in flagged["items"]] == [webhook_id]


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
async def test_a_network_error_is_logged_as_the_attempts_error(platform):
    receiver, subscription = await start(platform, webhook_retry_schedule_seconds=[])

    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    platform.apps["permits"].state.runtime.extras.dispatcher.transport = httpx.MockTransport(refuse)
    await platform.apps["permits"].state.runtime.extras.dispatcher.close()
    await send_test(platform, subscription)

    await eventually(lambda: delivery_in(platform, subscription, "exhausted"), message="exhausted")
    async with platform.client("permits", OFFICER) as client:
        [attempt] = (await client.get(f"{SUBSCRIPTIONS}/{subscription['id']}/attempts")).json()["items"]
    assert attempt["status_code"] is None
    assert "ConnectError" in attempt["error"]
