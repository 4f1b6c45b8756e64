"""The annual run as a real process, SIGKILLed half-way and run again: nothing is paid twice.

Subsidy's ``annual-run --send`` and the finance simulator are separate processes on real HTTP and
PostgreSQL; the simulator times out after committing a tenth of the instructions, so the killed
run leaves both unsent instructions and payments whose answer it never recorded.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from decimal import Decimal

import asyncpg
import httpx
import pytest

from tests.e2e.conftest import free_port
from tests.support import infra
from tests.support.processes import migrate, service_env
from tests.support.subsidy_seed import seed, total_granted

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

N = 300


def _subsidy_env(url: str, namespace: str, finance_port: int) -> dict[str, str]:
    env = service_env("subsidy", database_url=url, amqp_url=infra.AMQP_URL, namespace=namespace,
                      finance_base_url=f"http://127.0.0.1:{finance_port}", finance_timeout_seconds="0.5",
                      finance_attempts="2", finance_backoff_seconds="0.02", disbursement_lease_seconds="2",
                      disbursement_status_poll_after_seconds="0.3", disbursement_poll_seconds="0.05",
                      disbursement_retry_max_seconds="0.5", annual_run_lease_seconds="2")
    return env


def _annual_run(env: dict[str, str], log_path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "services.subsidy", "annual-run", "--year", "2024", "--send", "--batch-size", "10"],
        cwd=infra.REPO, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=open(log_path, "ab"))


async def test_annual_run_killed_half_way_and_run_again_pays_nobody_twice(tmp_path):
    await infra.check_rabbit()
    urls = await infra.create_databases(("subsidy",))
    namespace = f"k{os.urandom(4).hex()}."
    finance_port = free_port()
    finance = subprocess.Popen(
        [sys.executable, "-m", "simulators.finance", "--port", str(finance_port)], cwd=infra.REPO,
        env={**os.environ, "FINANCE_SIM_LATENCY_SECONDS": "0.01", "FINANCE_SIM_TIMEOUT_RATE": "0.1",
             "FINANCE_SIM_HANG_SECONDS": "2", "FINANCE_SIM_SETTLE_DELAY_SECONDS": "0.05",
             "FINANCE_SIM_CALLBACKS_ENABLED": "false", "FINANCE_SIM_SEED": "11"},
        stdout=subprocess.DEVNULL, stderr=open(tmp_path / "finance.log", "ab"))
    base = f"http://127.0.0.1:{finance_port}"
    try:
        env = _subsidy_env(urls["subsidy"], namespace, finance_port)
        await asyncio.to_thread(migrate, "subsidy", env)
        await seed(urls["subsidy"], N)
        await _wait_http(f"{base}/finance/healthz")

        first = _annual_run(env, tmp_path / "run-1.log")
        await _wait_payments(base, at_least=30)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        paid_before = len(await _payments(base))
        assert 30 <= paid_before < N, f"killed half-way: {paid_before} of {N} instructed"

        second = _annual_run(env, tmp_path / "run-2.log")
        out, _ = await asyncio.to_thread(second.communicate, timeout=240)
        assert second.returncode == 0, (tmp_path / "run-2.log").read_text()[-2000:]

        payments = await _payments(base)
        per_reference = Counter(p["reference"] for p in payments)
        assert len(per_reference) == N and max(per_reference.values()) == 1, "no disbursement paid twice"
        assert sum(Decimal(p["amount"]) for p in payments if p["status"] == "settled") == total_granted(N)
        conn = await asyncpg.connect(urls["subsidy"].replace("postgresql+asyncpg://", "postgresql://"))
        try:
            runs = await conn.fetch("SELECT status, disbursements_issued FROM annual_runs")
            per_entitlement = await conn.fetchval(
                "SELECT max(n) FROM (SELECT count(*) n FROM disbursements GROUP BY entitlement_id) c")
            ledger = await conn.fetchval("SELECT sum(amount) FROM ledger_entries WHERE kind = 'disbursement'")
        finally:
            await conn.close()
        assert [tuple(r) for r in runs] == [("issued", N)], "one run, resumed, not a second one"
        assert per_entitlement == 1
        assert ledger == total_granted(N)
    finally:
        finance.send_signal(signal.SIGTERM)
        try:
            finance.wait(timeout=10)
        except subprocess.TimeoutExpired:
            finance.kill()
        await infra.drop_databases(urls)
        await infra.delete_namespace(namespace)


async def _wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(url, timeout=1)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise TimeoutError(url)


async def _payments(base: str) -> list[dict]:
    async with httpx.AsyncClient() as client:
        return (await client.get(f"{base}/finance/v1/payments", timeout=10)).json()


async def _wait_payments(base: str, *, at_least: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(await _payments(base)) >= at_least:
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"fewer than {at_least} payments after {timeout}s")
