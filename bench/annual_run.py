"""annual_run: experts per second of the subsidy annual run on PostgreSQL, and its peak memory as N grows.

For each size N: a fresh PostgreSQL database with subsidy's migrations, N open entitlements each
with a claim and a grant for the year (seeded set-based), then the run as its own process
(``python -m services.subsidy annual-run --year 2024``, the command an operator runs): every
entitlement assessed (granted, less what is paid or in payment) and its disbursement instruction
recorded, in batches. Throughput is N over the run's own clock (``annual_runs.started_at`` →
``issued_at``, both written by the run); peak memory is the run process's maximum resident set
(``wait4`` rusage). Paying the instructions is the sender's work, outside this figure.

Parameters (``-p key=value``): ``sizes`` (comma-separated, default ``10000,100000``; quick
``2000,10000``), ``batch_size`` (5000, the service's default).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg

from bench.registry import Options, Outcome, Progress, Table, benchmark

NAME = "annual_run"
TARGET_EXPERTS_PER_SECOND = 5000


def _run_process(env: dict[str, str], log_path: Path, batch_size: int) -> tuple[int, int, float]:
    """Run the annual run as a child; (exit status, peak RSS in KiB, wall seconds)."""
    from tests.support.infra import REPO

    started = time.monotonic()
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "services.subsidy", "annual-run", "--year", "2024", "--batch-size", str(batch_size)],
            cwd=REPO, env={**os.environ, **env}, stdout=log, stderr=log)
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss, time.monotonic() - started


async def _one_size(n: int, batch_size: int, progress: Progress, log_dir: Path) -> dict:
    from shared.migrations import upgrade
    from tests.support import infra
    from tests.support.processes import service_env
    from tests.support.subsidy_seed import seed, total_granted
    from services.subsidy.app import MIGRATIONS_DIR

    urls = await infra.create_databases(("subsidy",))
    url = urls["subsidy"]
    try:
        await asyncio.to_thread(upgrade, MIGRATIONS_DIR, url)
        began = time.monotonic()
        for start in range(1, n + 1, 50_000):
            await seed(url, min(50_000, n - start + 1), start=start)
        progress(f"N={n}: seeded in {time.monotonic() - began:.1f} s; running")
        env = service_env("subsidy", database_url=url, amqp_url=infra.AMQP_URL, namespace="bench.",
                          log_level="WARNING")
        code, peak_kib, wall = await asyncio.to_thread(_run_process, env, log_dir / f"annual-run-{n}.log", batch_size)
        if code != 0:
            raise RuntimeError(f"annual run exited {code}; see {log_dir / f'annual-run-{n}.log'}")
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
        try:
            run = await conn.fetchrow("SELECT started_at, issued_at, disbursements_issued, amount_issued FROM annual_runs")
            twice = await conn.fetchval(
                "SELECT count(*) FROM (SELECT entitlement_id FROM disbursements GROUP BY entitlement_id "
                "HAVING count(*) > 1) t")
        finally:
            await conn.close()
        seconds = (run["issued_at"] - run["started_at"]).total_seconds()
        result = {
            "experts": n, "run_seconds": round(seconds, 3), "experts_per_second": round(n / seconds),
            "process_wall_seconds": round(wall, 2), "peak_rss_mib": round(peak_kib / 1024, 1),
            "disbursements_issued": run["disbursements_issued"], "issued_twice": twice,
            "amount_exact": run["amount_issued"] == total_granted(n), "batch_size": batch_size,
        }
        progress(f"N={n}: {result['experts_per_second']} experts/s, peak {result['peak_rss_mib']} MiB")
        return result
    finally:
        await infra.drop_databases(urls)


@benchmark(NAME, "subsidy annual run on PostgreSQL: experts/s and peak memory as N grows")
async def run(options: Options, progress: Progress) -> Outcome:
    sizes = [int(s) for s in str(options.get("sizes", "10000,100000", quick="2000,10000")).split(",")]
    batch_size = options.get("batch_size", 5000)
    log_dir = Path(tempfile.mkdtemp(prefix="bench-annual-run-"))
    results = [await _one_size(n, batch_size, progress, log_dir) for n in sizes]
    largest = results[-1]
    growth = round(largest["peak_rss_mib"] / results[0]["peak_rss_mib"], 2) if results[0]["peak_rss_mib"] else None
    figures = {"sizes": results, "target_experts_per_second": TARGET_EXPERTS_PER_SECOND,
               "meets_target": largest["experts_per_second"] >= TARGET_EXPERTS_PER_SECOND,
               "peak_rss_growth_smallest_to_largest": growth, "logs": str(log_dir)}
    table = Table(
        title="annual_run: assess + issue disbursements, PostgreSQL (run process clock)",
        columns=["experts", "run s", "experts/s", "peak RSS MiB", "issued", "issued twice", "amount exact"],
        rows=[[r["experts"], r["run_seconds"], r["experts_per_second"], r["peak_rss_mib"], r["disbursements_issued"],
               r["issued_twice"], r["amount_exact"]] for r in results],
        notes=[f"target >= {TARGET_EXPERTS_PER_SECOND} experts/s at the largest N: "
               f"{'met' if figures['meets_target'] else 'NOT met'}; peak RSS x{growth} from smallest to largest N",
               "paying the instructions (finance calls) is the disbursement sender's work, not in this figure"],
    )
    return Outcome(figures=figures, tables=[table])
