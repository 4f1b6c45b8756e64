"""webhook_delivery: signed webhook deliveries per second from permits to the entry-exit simulator.

Permits (uvicorn, PostgreSQL) and the entry-exit bureau simulator as processes. An officer
subscribes the simulator (``POST /permits/v1/webhook-subscriptions``), the simulator is given
the subscription's ``whsec_`` secret so it verifies every Standard Webhooks signature, and
``deliveries`` test messages are queued (``POST .../test``) while permits runs with its delivery
worker disabled. Permits is then restarted with the worker on; the figure is deliveries per
second from the first attempt to the last ``delivered_at`` (the permits database), and every
message must be accepted by the simulator (signature verified, no duplicate).

Parameters: ``deliveries`` (1000, quick 200), ``batch_size`` (permits' ``webhook_batch_size``, 20),
``poll_seconds`` (permits' ``webhook_poll_seconds``, 1.0).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx

from bench.registry import Options, Outcome, Progress, Table, benchmark
from bench.stats import summary

NAME = "webhook_delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@benchmark(NAME, "signed webhook deliveries per second, permits → entry-exit simulator")
async def run(options: Options, progress: Progress) -> Outcome:
    from tests.support import infra
    from tests.support.processes import ServiceProcess, migrate, service_env
    from tests.support.tokens import auth

    count = options.get("deliveries", 1000, quick=200)
    batch = options.get("batch_size", 20)
    poll = options.get("poll_seconds", 1.0)
    officer = auth("bureau_officer", ttl=4 * 3600)
    log_dir = Path(tempfile.mkdtemp(prefix="bench-webhooks-"))
    namespace = f"benchwh{uuid.uuid4().hex[:8]}."
    urls = await infra.create_databases(("permits",))
    env = service_env("permits", database_url=urls["permits"], amqp_url=infra.AMQP_URL, namespace=namespace,
                      log_level="WARNING", webhook_allowed_cidrs='["127.0.0.1/32"]', webhook_batch_size=str(batch),
                      webhook_poll_seconds=str(poll))
    permits = ServiceProcess("permits", env, port=_free_port(), log_dir=log_dir)
    sim_port = _free_port()
    sim: subprocess.Popen | None = None
    db: asyncpg.Connection | None = None
    try:
        await asyncio.to_thread(migrate, "permits", env)
        sim = subprocess.Popen([sys.executable, "-m", "simulators.entry_exit", "--port", str(sim_port)],
                               cwd=infra.REPO, env=os.environ.copy(), stdout=open(log_dir / "sim.log", "ab"),
                               stderr=subprocess.STDOUT)
        permits.start(webhook_dispatcher_enabled="false")
        await asyncio.to_thread(permits.wait_ready, 60)
        sim_base = f"http://127.0.0.1:{sim_port}/entry-exit"
        async with httpx.AsyncClient(timeout=30) as client:
            for _ in range(100):
                try:
                    if (await client.get(f"{sim_base}/healthz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)
            created = await client.post(permits.base_url + "/permits/v1/webhook-subscriptions", headers=officer,
                                        json={"url": f"{sim_base}/webhooks", "event_types": ["WorkPermitIssued"],
                                              "description": "benchmark"})
            if created.status_code != 201:
                raise RuntimeError(f"subscription refused: {created.status_code} {created.text[:300]}")
            subscription = created.json()
            (await client.post(f"{sim_base}/control", json={"secrets": [subscription["secret"]]})).raise_for_status()
            progress(f"queueing {count} test deliveries (worker off)")
            sem = asyncio.Semaphore(16)

            async def queue_one() -> None:
                async with sem:
                    r = await client.post(permits.base_url + f"/permits/v1/webhook-subscriptions/{subscription['id']}/test",
                                          headers=officer)
                    r.raise_for_status()

            await asyncio.gather(*(queue_one() for _ in range(count)))
        await asyncio.to_thread(permits.stop)
        progress(f"permits restarted with its delivery worker (batch {batch}, poll {poll:g} s)")
        started = time.time()
        permits.start(webhook_dispatcher_enabled="true")
        db = await asyncpg.connect(urls["permits"].replace("postgresql+asyncpg://", "postgresql://", 1))
        deadline = time.monotonic() + max(120.0, count / 5)
        while True:
            done = await db.fetchval("SELECT count(*) FROM webhook_deliveries WHERE status <> 'pending'")
            if done >= count:
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"{done} of {count} deliveries settled before the time-out")
            await asyncio.sleep(0.2)
        rows = await db.fetch("SELECT status, attempts, last_attempt_at, delivered_at FROM webhook_deliveries")
        async with httpx.AsyncClient(timeout=30) as client:
            received = (await client.get(f"{sim_base}/received")).json()
    finally:
        if db is not None:
            await db.close()
        await asyncio.to_thread(permits.stop)
        if sim is not None:
            sim.terminate()
            sim.wait(timeout=15)
        await infra.drop_databases(urls)
        await infra.delete_namespace(namespace)

    delivered = [r for r in rows if r["status"] == "delivered"]
    first = min(r["last_attempt_at"] for r in rows if r["last_attempt_at"]) if rows else None
    last = max(r["delivered_at"] for r in delivered) if delivered else None
    span = (last - first).total_seconds() if first and last else None
    rate = len(delivered) / span if span else None
    per_second: dict[int, int] = {}
    for r in delivered:
        second = int((r["delivered_at"] - first).total_seconds())
        per_second[second] = per_second.get(second, 0) + 1
    figures = {
        "deliveries": count, "delivered": len(delivered),
        "statuses": {s: sum(1 for r in rows if r["status"] == s) for s in {r["status"] for r in rows}},
        "attempts_max": max((r["attempts"] for r in rows), default=0),
        "first_attempt_to_last_delivered_s": round(span, 3) if span else None,
        "deliveries_per_s": round(rate, 1) if rate else None,
        "per_second": summary([float(v) for v in per_second.values()], 1),
        "startup_to_first_attempt_s": round(first.timestamp() - started, 2) if first else None,
        "simulator": {k: received.get(k) for k in ("accepted", "duplicates", "refused", "injected")},
        "batch_size": batch, "poll_seconds": poll,
    }
    table = Table(
        title="webhook_delivery — permits delivery worker → entry-exit simulator (Standard Webhooks, signed)",
        columns=["metric", "value"],
        rows=[
            ["deliveries queued", count],
            ["delivered (first attempt → last delivered_at)", f"{len(delivered)} in {figures['first_attempt_to_last_delivered_s']} s"],
            ["deliveries per second", figures["deliveries_per_s"]],
            ["simulator accepted / refused / duplicates", f"{received.get('accepted')} / {received.get('refused')} / "
                                                          f"{received.get('duplicates')}"],
            ["most attempts of one delivery", figures["attempts_max"]],
        ],
        notes=[f"one permits process (batch {batch}, poll {poll:g} s) and the simulator verifying every signature; "
               "both uvicorn, same machine."],
    )
    return Outcome(figures=figures, tables=[table])
