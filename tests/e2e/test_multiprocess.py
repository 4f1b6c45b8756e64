"""The plumbing across real processes, real HTTP, PostgreSQL and RabbitMQ, with faults injected."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
import uuid

import aio_pika
import httpx
import pytest

from tests.e2e.conftest import free_port
from tests.support import infra
from tests.support.data import employer
from tests.support.platform import eventually
from tests.support.tokens import auth

pytestmark = [pytest.mark.postgres, pytest.mark.rabbit, pytest.mark.slow]

ADMIN = auth("admin")


def start_all(cluster, **extra):
    for proc in cluster.procs.values():
        proc.start(**extra.get(proc.service, {}))
    for proc in cluster.procs.values():
        proc.wait_ready()


async def test_employer_registered_in_one_process_reaches_the_other(cluster):
    start_all(cluster)
    response = cluster.register_employer(employer(name="Shunyi Avionics"))
    assert response.status_code == 201, response.text
    employer_id = response.json()["id"]
    await eventually(lambda: employer_id in cluster.replica_ids(), message="replica in the intake process")


async def test_event_committed_before_sigkill_is_published_after_restart(cluster):
    directory = cluster.procs["directory"]
    start_all(cluster, directory={"relay_enabled": "false"})
    ids = [cluster.register_employer(employer()).json()["id"] for _ in range(3)]
    outbox = httpx.get(cluster.url("directory", "/directory/v1/admin/outbox"), headers=ADMIN).json()
    assert outbox == {"unsent": 3}, "committed, not yet published"

    directory.kill()
    directory.start()  # relay enabled again, as after a crash and restart
    directory.wait_ready()

    await eventually(lambda: set(ids) <= cluster.replica_ids(), message="all three events after restart")
    assert httpx.get(cluster.url("directory", "/directory/v1/admin/outbox"), headers=ADMIN).json() == {"unsent": 0}


async def test_broker_restart_while_committing_loses_nothing_and_consumers_come_back(cluster):
    start_all(cluster)
    created: list[str] = []
    failures: list[str] = []
    stop = threading.Event()

    def keep_registering():
        while not stop.is_set():
            try:
                response = cluster.register_employer(employer())
            except httpx.HTTPError as exc:
                failures.append(repr(exc))
                continue
            if response.status_code == 201:
                created.append(response.json()["id"])
            else:
                failures.append(response.text)
            time.sleep(0.05)

    writer = threading.Thread(target=keep_registering)
    writer.start()
    try:
        await asyncio.sleep(1.0)
        before_outage = len(created)
        await asyncio.to_thread(infra.rabbitmqctl, "stop_app")
        await asyncio.sleep(3.0)
        during_outage = len(created) - before_outage
        await asyncio.to_thread(infra.rabbitmqctl, "start_app")
        restarted_at = time.monotonic()
        await asyncio.sleep(1.0)
    finally:
        stop.set()
        writer.join()

    assert failures == [], "the API keeps accepting work while the broker is down"
    assert during_outage > 0, "events were committed while the broker was down"

    def consumer_back():
        try:
            return infra.queue_consumers(cluster.namespace).get(f"{cluster.namespace}intake.events") == 1
        except Exception:
            return False

    await eventually(consumer_back, timeout=30, interval=0.5, message="intake's consumer back on its queue")
    consumers_back_after = time.monotonic() - restarted_at
    assert consumers_back_after <= 30

    await eventually(lambda: set(created) <= cluster.replica_ids(), timeout=60, interval=0.5,
                     message=f"all {len(created)} employers in intake")
    replica = cluster.replica_ids()
    assert replica == set(created), "none lost, none extra"
    metrics = httpx.get(cluster.url("intake", "/intake/metrics")).text
    applied = [line for line in metrics.splitlines() if line.startswith('events_handled_total') and 'outcome="applied"' in line]
    assert applied and float(applied[0].split()[-1]) == len(created), "each event applied exactly once"
    for proc in cluster.procs.values():
        assert httpx.get(f"{proc.base_url}/{proc.service}/readyz").status_code == 200


async def test_poison_message_is_parked_in_rabbitmq_and_good_messages_still_flow(cluster):
    start_all(cluster)
    connection = await aio_pika.connect(infra.AMQP_URL)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange(cluster.namespace + "platform.events")
        poison_id = f"poison-{uuid.uuid4()}"
        await exchange.publish(
            aio_pika.Message(b'{"specversion": "1.0", "type": "EmployerRegistered", "data": "not an object"}',
                             message_id=poison_id, delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
            routing_key="directory.EmployerRegistered.v1",
        )
    good = [cluster.register_employer(employer()).json()["id"] for _ in range(2)]
    await eventually(lambda: set(good) <= cluster.replica_ids(), message="good messages flow around the poison")

    def parked():
        response = httpx.get(cluster.url("intake", "/intake/v1/admin/parked-messages"), headers=ADMIN)
        return [m for m in response.json() if m["message_id"] == poison_id]

    found = await eventually(parked, timeout=30, interval=0.3, message="poison parked after the delivery limit")
    assert found[0]["delivery_count"] >= 1
    replay = httpx.post(cluster.url("intake", "/intake/v1/admin/parked-messages/replay"),
                        json={"message_ids": [poison_id]}, headers=ADMIN)
    assert replay.json() == {"replayed": 1}
    # Still poison: it goes round its delivery limit again and is parked again, not lost.
    await eventually(parked, timeout=30, interval=0.3, message="replayed poison parked again")
    assert set(good) <= cluster.replica_ids()


async def test_embedded_process_killed_before_publishing_publishes_after_restart(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "embedded", "--port", str(port), "--var-dir", str(tmp_path), "--no-demo"]

    def launch(**env):
        log = open(tmp_path / "embedded.log", "ab")
        proc = subprocess.Popen(command, cwd=infra.REPO, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
        return proc

    async def ready(proc):
        def check():
            assert proc.poll() is None, (tmp_path / "embedded.log").read_text()[-2000:]
            try:
                return httpx.get(f"{base}/intake/readyz", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False
        await eventually(check, timeout=60, interval=0.2, message="embedded process ready")

    proc = launch(DIRECTORY_RELAY_ENABLED="false")
    try:
        await ready(proc)
        response = httpx.post(f"{base}/directory/v1/employers", json=employer(), headers=auth("bureau_officer"))
        assert response.status_code == 201, response.text
        employer_id = response.json()["id"]
        proc.kill()
        proc.wait(timeout=10)
        proc = launch()
        await ready(proc)

        def replicated():
            return httpx.get(f"{base}/intake/v1/employers/{employer_id}", headers=auth("bureau_officer")).status_code == 200

        await eventually(replicated, timeout=30, message="the event published after restart")
    finally:
        proc.kill()




async def test_relay_runs_as_a_separate_process(cluster):
    """The API process with its relay disabled; a `relay` process of the same service publishes."""
    directory = cluster.procs["directory"]
    start_all(cluster, directory={"relay_enabled": "false"})
    employer_id = cluster.register_employer(employer()).json()["id"]
    relay = subprocess.Popen([sys.executable, "-m", "services.directory", "relay"], cwd=infra.REPO,
                             env={**os.environ, **directory.env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        await eventually(lambda: employer_id in cluster.replica_ids(), message="published by the relay process")
    finally:
        relay.terminate()
        relay.wait(timeout=15)
    assert relay.returncode == 0, "the relay process shuts down cleanly on SIGTERM"
