"""Partner webhooks across real processes: the permits service and the entry-exit simulator, on PostgreSQL
and RabbitMQ. The simulator is down for a while and restarted; with the retry schedule compressed, every
delivery arrives after it comes back and takes effect once; 410 disables; forged requests change nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
import pytest

from services.permits.domain import add_years
from shared.bus.rabbitmq import RabbitBus
from shared.events import CloudEvent
from shared.webhooks import generate_secret, webhook_headers
from tests.e2e.conftest import free_port
from tests.support import infra
from tests.support.infra import REPO
from tests.support.permits import approval, breach, today
from tests.support.platform import eventually
from tests.support.processes import ServiceProcess, migrate, service_env
from tests.support.tokens import auth

pytestmark = [pytest.mark.postgres, pytest.mark.rabbit, pytest.mark.slow]

OFFICER = auth("bureau_officer")
EVENT_TYPES = ["PermitCaseOpened", "WorkPermitIssued", "ResidencePermitIssued", "PermitExpiring",
               "PermitRevocationRequested"]
RETRY_SCHEDULE = [0.2, 0.5] + [1.0] * 20
"""Compressed: about 20 s of retries before a delivery is exhausted (the real schedule spans 1.5 days)."""


class SimulatorProcess:
    """``python -m simulators.entry_exit`` with a journal, so what it took survives a restart."""

    def __init__(self, *, port: int, secret: str, tmp_path: Path) -> None:
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}/entry-exit"
        self.env = {"ENTRY_EXIT_SIM_WEBHOOK_SECRETS": json.dumps([secret]),
                    "ENTRY_EXIT_SIM_STATE_PATH": str(tmp_path / "entry-exit-received.jsonl")}
        self.log_path = tmp_path / f"entry-exit-{port}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "simulators.entry_exit", "--port", str(self.port)],
            cwd=REPO, env={**os.environ, **self.env}, stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the simulator exited; see {self.log_path}")
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"simulator not ready; see {self.log_path}")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def received(self) -> dict:
        return httpx.get(f"{self.base_url}/received", timeout=5).json()


@pytest.fixture
async def permits(tmp_path):
    await infra.check_rabbit()
    namespace = f"w{uuid.uuid4().hex[:8]}."
    urls = await infra.create_databases(("permits",))
    env = service_env(
        "permits", database_url=urls["permits"], amqp_url=infra.AMQP_URL, namespace=namespace,
        webhook_allowed_cidrs=json.dumps(["127.0.0.1/32"]), webhook_retry_schedule_seconds=json.dumps(RETRY_SCHEDULE),
        webhook_retry_jitter="0.1", webhook_poll_seconds="0.1",
    )
    proc = ServiceProcess("permits", env, port=free_port(), log_dir=tmp_path)
    bus = RabbitBus(infra.AMQP_URL, namespace=namespace)
    try:
        migrate("permits", proc.env)
        proc.start()
        proc.wait_ready()
        await bus.start()
        proc.bus = bus
        yield proc
    finally:
        proc.stop()
        await bus.close()
        await infra.drop_databases(urls)
        await infra.delete_namespace(namespace)


async def announce(bus: RabbitBus, event) -> None:
    """What the review service's relay does: the event on the topic exchange."""
    envelope = CloudEvent.wrap(event, source="/services/review")
    await bus.publish(envelope.routing_key(), envelope.to_bytes(), message_id=str(envelope.id))


def api(proc, method: str, path: str, **kwargs) -> httpx.Response:
    return httpx.request(method, proc.base_url + "/permits/v1" + path, headers=OFFICER, timeout=10, **kwargs)


def deliveries(proc, subscription_id: str) -> list[dict]:
    items, cursor = [], None
    while True:
        page = api(proc, "GET", f"/webhook-subscriptions/{subscription_id}/deliveries",
                   params={"limit": 200, **({"cursor": cursor} if cursor else {})}).json()
        items += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return items


def case_id_of(proc, event) -> str | None:
    items = api(proc, "GET", "/cases", params={"application_id": str(event.application_id)}).json()["items"]
    return items[0]["id"] if items else None


async def test_receiver_down_then_back_gets_every_delivery_once_and_forgeries_change_nothing(permits, tmp_path):
    sim_port = free_port()
    subscription = api(permits, "POST", "/webhook-subscriptions", json={
        "url": f"http://127.0.0.1:{sim_port}/entry-exit/webhooks", "event_types": EVENT_TYPES,
        "description": "entry-exit bureau"}).json()
    secret, subscription_id = subscription["secret"], subscription["id"]
    sim = SimulatorProcess(port=sim_port, secret=secret, tmp_path=tmp_path)
    sim.start()
    try:
        # 1. Up: three cases opened, three PermitCaseOpened delivered.
        first = [approval() for _ in range(3)]
        for event in first:
            await announce(permits.bus, event)
        await eventually(lambda: sim.received()["accepted"] == 3, timeout=30, message="three deliveries")

        # 2. Down: more events while the receiver is unreachable.
        sim.kill()
        second = [approval() for _ in range(3)]
        for event in second:
            await announce(permits.bus, event)
        await announce(permits.bus, breach(first[0]))  # expert-attributable: PermitRevocationRequested
        case_id = await eventually(lambda: case_id_of(permits, second[0]), timeout=30, message="case opened")
        work = api(permits, "POST", f"/cases/{case_id}/applications", json={
            "kind": "work_permit", "valid_from": today().isoformat(),
            "valid_until": add_years(today(), 5).isoformat(), "entry_visa": "M"}).json()
        assert api(permits, "POST", f"/permit-applications/{work['id']}/submit").status_code == 200
        issued = api(permits, "POST", f"/permit-applications/{work['id']}/issue", json={"permit_number": "WP-88"})
        assert issued.status_code == 200, issued.text

        def failed_attempts():
            page = api(permits, "GET", f"/webhook-subscriptions/{subscription_id}/attempts",
                       params={"limit": 200}).json()
            return [a for a in page["items"] if a["status_code"] is None and a["error"]]

        await eventually(lambda: len(failed_attempts()) >= 5, timeout=30, message="attempts fail while down")
        await eventually(lambda: len(deliveries(permits, subscription_id)) == 8, timeout=30,
                         message="all eight deliveries queued")
        time.sleep(2)  # down a while longer, across several retries

        # 3. Back: every delivery arrives, once.
        sim.start()
        await eventually(lambda: all(d["status"] == "delivered" for d in deliveries(permits, subscription_id)),
                         timeout=60, interval=0.5, message="every delivery delivered after the restart")
        log = sim.received()
        sent = deliveries(permits, subscription_id)
        assert len(sent) == 8
        taken = [r["webhook_id"] for r in log["items"]]
        assert sorted(taken) == sorted(d["webhook_id"] for d in sent), "every delivery arrived"
        assert len(set(taken)) == len(taken), "and took effect once"
        assert Counter(r["type"] for r in log["items"]) == Counter(
            {"PermitCaseOpened": 6, "PermitRevocationRequested": 1, "WorkPermitIssued": 1})
        assert max(d["attempts"] for d in sent) >= 3, "some needed retries"
        revocation = next(r for r in log["items"] if r["type"] == "PermitRevocationRequested")
        assert revocation["payload"]["data"]["case_id"] == case_id_of(permits, first[0])

        # 4. Forgeries sent straight to the simulator are refused and change nothing.
        accepted = log["accepted"]
        body = json.dumps({"type": "PermitRevocationRequested", "timestamp": "2026-11-27T00:00:00+00:00",
                           "data": {"case_id": str(uuid.uuid4())}}).encode()
        now = int(time.time())

        def post(payload: bytes, headers: dict) -> int:
            return httpx.post(f"{sim.base_url}/webhooks", content=payload, timeout=5,
                              headers={**headers, "content-type": "application/json"}).status_code

        tampered = post(body.replace(b"PermitRevocationRequested", b"PermitCaseOpened"),
                        webhook_headers([secret], msg_id="msg_tampered", body=body))
        stale = post(body, webhook_headers([secret], msg_id="msg_stale", body=body, timestamp=now - 3600))
        future = post(body, webhook_headers([secret], msg_id="msg_future", body=body, timestamp=now + 3600))
        wrong = post(body, webhook_headers([generate_secret()], msg_id="msg_wrong", body=body))
        assert (tampered, stale, future, wrong) == (401, 400, 400, 401)
        after = sim.received()
        assert after["accepted"] == accepted and after["refused"] >= 4
        assert {r["webhook_id"] for r in after["items"]} == set(taken)

        # 5. 410 Gone disables the subscription; nothing more is sent to it.
        assert httpx.post(f"{sim.base_url}/control", json={"behaviour": "gone"}, timeout=5).status_code == 200
        await announce(permits.bus, approval())

        def disabled():
            return api(permits, "GET", f"/webhook-subscriptions/{subscription_id}").json()["enabled"] is False

        await eventually(disabled, timeout=30, message="subscription disabled by 410")
        gone = [d for d in deliveries(permits, subscription_id) if d["status"] == "gone"]
        assert len(gone) == 1 and gone[0]["attempts"] == 1
        await announce(permits.bus, approval())
        time.sleep(1.5)
        assert len(deliveries(permits, subscription_id)) == 9, "a disabled subscription gets no new deliveries"
        assert sim.received()["accepted"] == accepted
    finally:
        sim.kill()
