"""`make demo` as a user runs it: on the embedded default, and against the services as separate processes
(PostgreSQL, RabbitMQ, real HTTP between review and subsidy for the funding-plan quote)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import uuid

import pytest

from tests.e2e.conftest import Cluster
from tests.support import infra

pytestmark = pytest.mark.slow

DEMO = [sys.executable, "scripts/demo.py"]
FLOW = ("state returned", "submission 2", "state 'recused'", "outcome approved: 4 for, 1 against, 1 recused",
        "salary_subsidy (Art. 11(1)) 170000.00 a year", "R-WAGE-TOTAL", "state 'approved'",
        "intake shows the approval", "entitlement opened", "Done:")


def run_demo(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*DEMO, *args], cwd=infra.REPO, capture_output=True, text=True, timeout=240)


def test_demo_on_the_embedded_default_runs_the_whole_flow():
    result = run_demo()

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for step in FLOW:
        assert step in result.stdout, f"missing {step!r} in:\n{result.stdout[-3000:]}"


@pytest.mark.postgres
@pytest.mark.rabbit
async def test_demo_against_the_services_as_separate_processes(tmp_path):
    await infra.check_rabbit()
    namespace = f"d{uuid.uuid4().hex[:8]}."
    services = ("directory", "intake", "review", "subsidy")
    urls = await infra.create_databases(services)
    cluster = Cluster(tmp_path, urls, namespace)
    try:
        from tests.support.processes import migrate
        for service, proc in cluster.procs.items():
            await asyncio.to_thread(migrate, service, proc.env)
        subsidy = cluster.procs["subsidy"].base_url
        for proc in cluster.procs.values():
            proc.start(**({"subsidy_url": subsidy} if proc.service == "review" else {}))
        for proc in cluster.procs.values():
            await asyncio.to_thread(proc.wait_ready, 120)  # a loaded machine starts slowly

        result = await asyncio.to_thread(
            run_demo, *[f"--service={s}={p.base_url}" for s, p in cluster.procs.items()])

        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        for step in FLOW:
            assert step in result.stdout, f"missing {step!r} in:\n{result.stdout[-3000:]}"
    finally:
        for proc in cluster.procs.values():
            proc.stop()
        await infra.drop_databases(urls)
        await infra.delete_namespace(namespace)
