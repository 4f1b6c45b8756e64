"""The entry-exit bureau simulator over HTTP: it verifies, deduplicates, records, and misbehaves on request."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from standardwebhooks.webhooks import Webhook

from shared.errors import PROBLEM_JSON
from shared.webhooks import generate_secret, webhook_headers
from simulators.entry_exit.app import create_app
from simulators.entry_exit.settings import EntryExitSimulatorSettings

SECRET = generate_secret()
URL = "/entry-exit/webhooks"


def payload(case_id: str = "case-1", event: str = "PermitRevocationRequested") -> bytes:
    return json.dumps({"type": event, "timestamp": "2026-11-27T12:00:00Z",
                       "data": {"case_id": case_id, "state": "revocation_requested"}}).encode()


def signed(body: bytes, *, secret: str | list[str] = SECRET, msg_id: str | None = None,
           timestamp: int | None = None) -> dict:
    headers = webhook_headers(secret, msg_id=msg_id or f"msg_{uuid.uuid4().hex}", body=body, timestamp=timestamp)
    return {**headers, "content-type": "application/json"}


@pytest.fixture
async def simulator():
    app = create_app(EntryExitSimulatorSettings(webhook_secrets=[SECRET]))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://entry-exit.test") as client:
        yield client


async def deliver(client, body: bytes | None = None, **kwargs) -> httpx.Response:
    body = body if body is not None else payload()
    return await client.post(URL, content=body, headers=signed(body, **kwargs))


async def received(client) -> dict:
    response = await client.get("/entry-exit/received")
    assert response.status_code == 200
    return response.json()


async def control(client, **body) -> dict:
    response = await client.post("/entry-exit/control", json=body)
    assert response.status_code == 200, response.text
    return response.json()


# -- accepting ----------------------------------------------------------------------------------

async def test_signed_webhook_is_accepted_and_recorded(simulator):
    body = payload("case-42")

    response = await deliver(simulator, body, msg_id="msg_1")

    assert response.status_code == 200, response.text
    assert response.json() == {"status": "accepted", "webhook_id": "msg_1"}
    log = await received(simulator)
    assert [(r["webhook_id"], r["type"], r["payload"]["data"]["case_id"]) for r in log["items"]] == [
        ("msg_1", "PermitRevocationRequested", "case-42")
    ]
    assert log["accepted"] == 1


async def test_webhook_signed_by_the_standardwebhooks_package_is_accepted(simulator):
    body = payload("case-7")
    msg_id = "msg_from_reference_library"
    now = datetime.now(UTC).replace(microsecond=0)
    headers = {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(SECRET).sign(msg_id, now, body.decode()),
        "content-type": "application/json",
    }

    response = await simulator.post(URL, content=body, headers=headers)

    assert response.status_code == 200, response.text
    assert [r["webhook_id"] for r in (await received(simulator))["items"]] == [msg_id]


async def test_repeated_webhook_id_answers_200_and_records_nothing_new(simulator):
    body = payload()
    first = await deliver(simulator, body, msg_id="msg_twice")
    # A retry is re-signed with a fresh timestamp but keeps its webhook-id.
    second = await deliver(simulator, body, msg_id="msg_twice", timestamp=int(time.time()) + 1)

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["status"] == "duplicate"
    log = await received(simulator)
    assert len(log["items"]) == 1
    assert (log["accepted"], log["duplicates"]) == (1, 1)


# -- refusing, with no effect -------------------------------------------------------------------

async def assert_refused_without_effect(client, response, status: int, reason: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["reason"] == reason
    log = await received(client)
    assert log["items"] == [] and log["accepted"] == 0


async def test_tampered_body_is_refused_with_no_effect(simulator):
    body = payload("case-1")
    headers = signed(body)

    response = await simulator.post(URL, content=payload("case-2"), headers=headers)

    await assert_refused_without_effect(simulator, response, 401, "invalid-signature")


async def test_wrong_secret_is_refused_with_no_effect(simulator):
    response = await deliver(simulator, secret=generate_secret())

    await assert_refused_without_effect(simulator, response, 401, "invalid-signature")


async def test_stale_timestamp_is_refused_with_no_effect(simulator):
    response = await deliver(simulator, timestamp=int(time.time()) - 301)

    await assert_refused_without_effect(simulator, response, 400, "stale-timestamp")


async def test_future_timestamp_is_refused_with_no_effect(simulator):
    response = await deliver(simulator, timestamp=int(time.time()) + 3600)  # an hour ahead: far outside the 300 s tolerance

    await assert_refused_without_effect(simulator, response, 400, "future-timestamp")


async def test_unsigned_request_is_refused_with_no_effect(simulator):
    response = await simulator.post(URL, content=payload(), headers={"content-type": "application/json"})

    await assert_refused_without_effect(simulator, response, 400, "missing-headers")


async def test_refused_id_is_not_remembered_so_a_correct_retry_is_accepted(simulator):
    body = payload()
    bad = await simulator.post(URL, content=body, headers=signed(body, msg_id="msg_x", secret=generate_secret()))
    good = await deliver(simulator, body, msg_id="msg_x")

    assert (bad.status_code, good.status_code) == (401, 200)
    assert good.json()["status"] == "accepted"


async def test_signed_body_that_is_not_json_is_refused(simulator):
    response = await deliver(simulator, b"not json")

    await assert_refused_without_effect(simulator, response, 400, "not-json")


# -- secrets ------------------------------------------------------------------------------------

async def test_secret_configured_at_runtime_replaces_the_settings_secret(simulator):
    new = generate_secret()

    state = await control(simulator, secrets=[new])

    assert state["secrets_configured"] == 1
    assert (await deliver(simulator, secret=new)).status_code == 200
    assert (await deliver(simulator, secret=SECRET)).status_code == 401


async def test_rotation_with_two_signatures_is_accepted_by_either_secret(simulator):
    new = generate_secret()
    body = payload()

    assert (await deliver(simulator, body, secret=[new, SECRET])).status_code == 200
    await control(simulator, secrets=[new])
    assert (await deliver(simulator, body, secret=[new, SECRET])).status_code == 200


async def test_without_a_secret_nothing_is_accepted():
    app = create_app(EntryExitSimulatorSettings(webhook_secrets=[]))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await deliver(client)

        assert response.status_code == 503
        assert (await received(client))["items"] == []


async def test_malformed_secret_in_control_is_a_422_problem(simulator):
    response = await simulator.post("/entry-exit/control", json={"secrets": ["not-a-whsec-secret"]})

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    assert (await simulator.get("/entry-exit/control")).json()["secrets_configured"] == 1


# -- told to misbehave --------------------------------------------------------------------------

async def test_told_to_fail_for_the_next_2_requests_it_answers_500_then_accepts(simulator):
    await control(simulator, behaviour="fail", requests=2)

    statuses = [(await deliver(simulator)).status_code for _ in range(3)]

    assert statuses == [500, 500, 200]
    log = await received(simulator)
    assert (len(log["items"]), log["injected"]) == (1, 2)
    assert (await simulator.get("/entry-exit/control")).json()["behaviour"] == "accept"


async def test_failed_delivery_is_accepted_once_when_retried_after_recovery(simulator):
    body = payload()
    await control(simulator, behaviour="fail", requests=1)

    down = await deliver(simulator, body, msg_id="msg_retry")
    up = await deliver(simulator, body, msg_id="msg_retry")
    again = await deliver(simulator, body, msg_id="msg_retry")

    assert [down.status_code, up.status_code, again.status_code] == [500, 200, 200]
    assert [r["webhook_id"] for r in (await received(simulator))["items"]] == ["msg_retry"]


async def test_told_to_be_gone_it_answers_410_until_reset(simulator):
    await control(simulator, behaviour="gone")

    statuses = [(await deliver(simulator)).status_code for _ in range(4)]
    await simulator.post("/entry-exit/control/reset")
    after_reset = await deliver(simulator)

    assert statuses == [410] * 4
    assert after_reset.status_code == 200
    assert len((await received(simulator))["items"]) == 1


async def test_told_to_throttle_it_answers_429_with_retry_after(simulator):
    await control(simulator, behaviour="throttle", retry_after_seconds=7, requests=1)

    throttled = await deliver(simulator)
    then = await deliver(simulator)

    assert throttled.status_code == 429
    assert throttled.headers["retry-after"] == "7"
    assert throttled.headers["content-type"] == PROBLEM_JSON
    assert then.status_code == 200


async def test_told_to_delay_it_answers_late_and_still_accepts(simulator):
    await control(simulator, delay_seconds=0.3, requests=1)

    started = time.perf_counter()
    slow = await deliver(simulator)
    slow_elapsed = time.perf_counter() - started
    started = time.perf_counter()
    fast = await deliver(simulator)
    fast_elapsed = time.perf_counter() - started

    assert (slow.status_code, fast.status_code) == (200, 200)
    assert slow_elapsed >= 0.3
    assert fast_elapsed < 0.3
    assert len((await received(simulator))["items"]) == 2


async def test_delay_combines_with_a_failure(simulator):
    await control(simulator, behaviour="fail", delay_seconds=0.2, requests=1)

    started = time.perf_counter()
    response = await deliver(simulator)

    assert response.status_code == 500
    assert time.perf_counter() - started >= 0.2


async def test_control_reports_the_behaviour_in_force(simulator):
    state = await control(simulator, behaviour="throttle", retry_after_seconds=3, requests=5)

    assert state == {"behaviour": "throttle", "delay_seconds": 0.0, "retry_after_seconds": 3,
                     "remaining_requests": 5, "secrets_configured": 1}
    await deliver(simulator)
    assert (await simulator.get("/entry-exit/control")).json()["remaining_requests"] == 4


async def test_forgetting_received_clears_records_and_seen_ids(simulator):
    body = payload()
    await deliver(simulator, body, msg_id="msg_f")

    assert (await simulator.delete("/entry-exit/received")).status_code == 204
    assert (await received(simulator))["items"] == []
    assert (await deliver(simulator, body, msg_id="msg_f")).json()["status"] == "accepted"


def test_settings_refuse_a_malformed_secret():
    with pytest.raises(ValueError):
        EntryExitSimulatorSettings(webhook_secrets=["whsec_***"])


def test_settings_default_to_port_8102_and_read_their_prefix(monkeypatch):
    secret = generate_secret()
    monkeypatch.setenv("ENTRY_EXIT_SIM_WEBHOOK_SECRETS", json.dumps([secret]))

    settings = EntryExitSimulatorSettings()

    assert settings.port == 8102
    assert settings.webhook_secrets == [secret]


async def test_a_restarted_simulator_with_a_journal_still_takes_each_webhook_id_once(tmp_path):
    import httpx as _httpx

    from shared.webhooks import generate_secret, webhook_headers
    from simulators.entry_exit.app import create_app as _create
    from simulators.entry_exit.settings import EntryExitSimulatorSettings as _Settings

    secret = generate_secret()
    settings = _Settings(webhook_secrets=[secret], state_path=tmp_path / "received.jsonl")
    body = b'{"type":"PermitCaseOpened","timestamp":"2026-11-27T12:00:00+00:00","data":{"case_id":"c-1"}}'
    headers = {**webhook_headers([secret], msg_id="msg_once", body=body), "content-type": "application/json"}

    async def post(app):
        async with _httpx.AsyncClient(transport=_httpx.ASGITransport(app=app), base_url="http://sim") as client:
            answer = await client.post("/entry-exit/webhooks", content=body, headers=headers)
            return answer.json()["status"], (await client.get("/entry-exit/received")).json()

    first, _ = await post(_create(settings))
    second, log = await post(_create(settings))  # a new process on the same journal

    assert (first, second) == ("accepted", "duplicate")
    assert [r["webhook_id"] for r in log["items"]] == ["msg_once"]
