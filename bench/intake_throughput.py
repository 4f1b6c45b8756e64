"""intake_throughput: a service's write endpoint under 32 concurrent clients, beside a bare FastAPI + SQLAlchemy insert.

One service process (uvicorn, one worker) on a fresh PostgreSQL database, and in the same run
the bare baseline (``bench.bare_app``: FastAPI, one validated body, one INSERT, nothing else) as
its own process on its own fresh database. Each is driven by the same closed-loop generator
(``bench.load``): ``clients`` concurrent clients for ``seconds`` after ``warmup``, the same JSON
body shape, HTTP keep-alive. Figures: requests/s, p50/p99 latency, and platform/bare ratios.

The target request is pluggable (``-p target=<name>``, see ``TARGETS``):

* ``intake-application``: ``POST /intake/v1/applications`` by the employer (the application
  submission), with its employer and catalogue entry replicated from the directory first;
* ``directory-employer``: ``POST /directory/v1/employers`` (an existing write endpoint with the
  same machinery: token, validation, one unit of work with its outbox row and audit record);
* ``auto`` (the default): the first when the intake service has it, else the second.

Parameters: ``target`` (auto), ``clients`` (32), ``seconds`` (15, quick 5), ``warmup`` (3, quick 1),
``rounds`` (2, quick 1: bare, platform, then platform, bare; figures are the better round of each).
"""

from __future__ import annotations

import asyncio
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import httpx

from bench.load import LoadResult, closed_loop
from bench.registry import Options, Outcome, Progress, Table, benchmark

NAME = "intake_throughput"
TARGET_RATIO = 0.70
"""Platform requests/s ÷ bare requests/s must stay at or above this."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Prepared:
    path: str
    make_request: Callable[[int], tuple[dict, dict]]
    expect: int = 201


@dataclass(frozen=True)
class Target:
    name: str
    services: tuple[str, ...]
    """Started as processes; the last one is the service measured."""
    prepare: Callable[["Harness"], Awaitable[Prepared]]
    description: str


# ------------------------------------------------------------------------------------- targets


async def _prepare_directory_employer(h: "Harness") -> Prepared:
    from tests.support.data import employer
    from tests.support.tokens import auth

    headers = auth("bureau_officer", ttl=4 * 3600)
    return Prepared("/directory/v1/employers", lambda i: (employer(), headers))


async def _prepare_intake_application(h: "Harness") -> Prepared:
    """An employer and a published catalogue entry, replicated into intake; then applications by that employer."""
    from tests.support.data import employer
    from tests.support.tokens import auth

    officer = auth("bureau_officer", ttl=4 * 3600)
    async with httpx.AsyncClient(timeout=30) as client:
        reg = await client.post(h.url("directory", "/directory/v1/employers"), json=employer(), headers=officer)
        reg.raise_for_status()
        employer_id = reg.json()["id"]
        taxonomy = (await client.get(h.url("directory", "/directory/v1/taxonomy"))).json()
        focus, field_ = _first_field(taxonomy)
        today = date.today()
        edition = await client.post(h.url("directory", "/directory/v1/catalogue-editions"), headers=officer,
                                    json={"title": "Benchmark catalogue", "valid_from": str(today - timedelta(days=30)),
                                          "valid_until": str(today + timedelta(days=365))})
        edition.raise_for_status()
        edition_id = edition.json()["id"]
        entry = await client.post(h.url("directory", f"/directory/v1/catalogue-editions/{edition_id}/entries"),
                                  headers=officer, json={"focus_area": focus, "field": field_,
                                                         "demand": "Benchmark demand", "number_sought": 1000})
        entry.raise_for_status()
        entry_id = entry.json()["id"]
        (await client.post(h.url("directory", f"/directory/v1/catalogue-editions/{edition_id}/publish"),
                           headers=officer)).raise_for_status()
        headers = auth("employer", employer_id, ttl=4 * 3600)

        def body(i: int) -> dict:
            rng = random.Random(i)
            return {
                "catalogue_entry_id": entry_id,
                "candidate": {"name": f"Candidate {i}", "nationality": rng.choice(["GB", "DE", "FR", "US", "JP"]),
                              "passport_number": f"P{i:08d}", "date_of_birth": "1975-03-04", "field": field_,
                              "achievements": "Led a national laboratory; 40 papers.", "current_post": "Professor"},
                "position": "Chief scientist",
                "contract": {"start": str(today + timedelta(days=60)), "end": str(today + timedelta(days=60 + 3 * 365)),
                             "annual_salary": "850000.00"},
                "track": "haiju_long_term",
                "intent_date": str(today),
            }

        # The replicas arrive through the broker: wait until intake accepts one application.
        deadline = time.monotonic() + 60
        while True:
            probe = await client.post(h.url("intake", "/intake/v1/applications"), json=body(-1), headers=headers)
            if probe.status_code == 201:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"intake never accepted an application: {probe.status_code} {probe.text[:500]}")
            await asyncio.sleep(0.5)
    return Prepared("/intake/v1/applications", lambda i: (body(i), headers))


def _first_field(taxonomy: dict) -> tuple[str, str]:
    """(focus area, field) from the directory's taxonomy, whatever its exact shape."""
    areas = taxonomy.get("focus_areas") or taxonomy.get("items") or []
    for area in areas:
        fields = area.get("fields") or []
        if fields:
            f = fields[0]
            return area.get("code") or area.get("id"), f.get("code") if isinstance(f, dict) else f
    return "strategic_emerging_industries", "new_generation_it"


TARGETS = {
    "intake-application": Target("intake-application", ("directory", "intake"), _prepare_intake_application,
                                 "POST /intake/v1/applications (employer), intake on PostgreSQL"),
    "directory-employer": Target("directory-employer", ("directory",), _prepare_directory_employer,
                                 "POST /directory/v1/employers (bureau officer), directory on PostgreSQL"),
}


def intake_has_applications() -> bool:
    """Whether this checkout's intake service serves POST /intake/v1/applications (no I/O: the app's document)."""
    from services.intake.app import create_app

    try:
        paths = create_app().openapi()["paths"]
    except Exception:
        return False
    return "post" in paths.get("/intake/v1/applications", {})


# ------------------------------------------------------------------------------------- harness


class Harness:
    def __init__(self, target: Target, progress: Progress) -> None:
        from tests.support import infra

        self.infra = infra
        self.target = target
        self.progress = progress
        self.namespace = f"benchtp{uuid.uuid4().hex[:8]}."
        self.log_dir = Path(tempfile.mkdtemp(prefix="bench-intake-"))
        self.procs: dict = {}
        self.urls: dict[str, str] = {}
        self.bare: subprocess.Popen | None = None
        self.bare_port = _free_port()

    def url(self, service: str, path: str) -> str:
        return self.procs[service].base_url + path

    async def start(self) -> None:
        from tests.support.processes import ServiceProcess, migrate, service_env

        self.urls = await self.infra.create_databases(self.target.services + ("bare",))
        for service in self.target.services:
            env = service_env(service, database_url=self.urls[service], amqp_url=self.infra.AMQP_URL,
                              namespace=self.namespace, log_level="WARNING")
            self.procs[service] = ServiceProcess(service, env, port=_free_port(), log_dir=self.log_dir)
        await asyncio.gather(*(asyncio.to_thread(migrate, s, self.procs[s].env) for s in self.target.services))
        for proc in self.procs.values():
            proc.start()
        log = open(self.log_dir / "bare.log", "ab")
        self.bare = subprocess.Popen(
            [sys.executable, "-m", "bench.bare_app", "--port", str(self.bare_port), "--database-url", self.urls["bare"]],
            cwd=self.infra.REPO, stdout=log, stderr=subprocess.STDOUT)
        for proc in self.procs.values():
            await asyncio.to_thread(proc.wait_ready, 60)
        deadline = time.monotonic() + 60
        async with httpx.AsyncClient() as client:
            while True:
                try:
                    if (await client.get(f"http://127.0.0.1:{self.bare_port}/bare/readyz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if self.bare.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"bare baseline did not start; see {self.log_dir / 'bare.log'}")
                await asyncio.sleep(0.1)

    async def stop(self) -> None:
        for proc in self.procs.values():
            await asyncio.to_thread(proc.stop)
        if self.bare is not None and self.bare.poll() is None:
            self.bare.terminate()
            try:
                self.bare.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.bare.kill()
        await self.infra.drop_databases(self.urls)
        await self.infra.delete_namespace(self.namespace)


def _fmt(value, digits=1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


@benchmark(NAME, "a write endpoint at 32 concurrent clients beside a bare FastAPI + SQLAlchemy insert")
async def run(options: Options, progress: Progress) -> Outcome:
    name = options.get("target", "auto")
    if name == "auto":
        name = "intake-application" if intake_has_applications() else "directory-employer"
    if name not in TARGETS:
        raise ValueError(f"unknown target {name!r}; known: {', '.join(TARGETS)}")
    target = TARGETS[name]
    clients = options.get("clients", 32)
    seconds = options.get("seconds", 15.0, quick=5.0)
    warmup = options.get("warmup", 3.0, quick=1.0)
    rounds = options.get("rounds", 2, quick=1)
    harness = Harness(target, progress)
    progress(f"target {target.name}: {target.description}; {clients} clients, {seconds:g} s after {warmup:g} s warm-up")
    await harness.start()
    try:
        prepared = await target.prepare(harness)
        service = target.services[-1]
        platform_url = harness.url(service, prepared.path)
        bare_url = f"http://127.0.0.1:{harness.bare_port}/bare/v1/items"

        def bare_request(i: int) -> tuple[dict, dict]:
            body, headers = prepared.make_request(i)
            return {"name": f"item {i}", **body}, headers

        async def measure(which: str) -> LoadResult:
            if which == "bare":
                result = await closed_loop(url=bare_url, make_request=bare_request, expect=201,
                                           clients=clients, seconds=seconds, warmup=warmup,
                                           watch={"server": harness.bare.pid})
            else:
                result = await closed_loop(url=platform_url, make_request=prepared.make_request,
                                           expect=prepared.expect, clients=clients, seconds=seconds, warmup=warmup,
                                           watch={"server": harness.procs[service].proc.pid})
            progress(f"{which}: {result.throughput:,.0f} req/s, p50 {_p(result, 50):.1f} ms, "
                     f"p99 {_p(result, 99):.1f} ms, errors {result.errors}, "
                     f"server CPU {_pct(result.cpu_share('server'))} of one CPU "
                     f"({_fmt(result.cpu_ms_per_request('server'), 2)} ms/request), "
                     f"generator {_pct(result.cpu_share('generator'))}"
                     + (f" (first error: {result.first_error})" if result.errors else ""))
            return result

        order = ["bare", "platform"] + (["platform", "bare"] if rounds >= 2 else [])
        results: dict[str, list[LoadResult]] = {"bare": [], "platform": []}
        for which in order:
            results[which].append(await measure(which))
    finally:
        await harness.stop()

    best = {k: max(v, key=lambda r: r.throughput) for k, v in results.items()}
    ratio = best["platform"].throughput / best["bare"].throughput if best["bare"].throughput else None
    ok = ratio is not None and ratio >= TARGET_RATIO and best["platform"].errors == 0
    figures = {
        "target": target.name, "request": target.description, "clients": clients, "seconds": seconds,
        "warmup": warmup, "rounds": {k: [r.figures() for r in v] for k, v in results.items()},
        "platform": best["platform"].figures(), "bare": best["bare"].figures(),
        "throughput_ratio": round(ratio, 3) if ratio is not None else None,
        "target_ratio": TARGET_RATIO, "meets_target": ok,
    }
    p, b = best["platform"], best["bare"]
    table = Table(
        title=f"intake_throughput — {target.description} vs bare FastAPI + SQLAlchemy, {clients} clients",
        columns=["metric", "platform", "bare", "platform/bare", "target", "meets target"],
        rows=[
            ["throughput (req/s)", _fmt(p.throughput), _fmt(b.throughput), f"{ratio:.1%}" if ratio else "-",
             f">= {TARGET_RATIO:.0%}", "yes" if ok else "NO"],
            ["latency p50 (ms)", _fmt(_p(p, 50), 2), _fmt(_p(b, 50), 2), _ratio(_p(p, 50), _p(b, 50)), "", ""],
            ["latency p99 (ms)", _fmt(_p(p, 99), 2), _fmt(_p(b, 99), 2), _ratio(_p(p, 99), _p(b, 99)), "", ""],
            ["errors", p.errors, b.errors, "", "", ""],
            ["server CPU (share of one CPU)", _pct(p.cpu_share("server")), _pct(b.cpu_share("server")), "", "", ""],
            ["server CPU per request (ms)", _fmt(p.cpu_ms_per_request("server"), 2),
             _fmt(b.cpu_ms_per_request("server"), 2),
             _ratio(p.cpu_ms_per_request("server") or 0, b.cpu_ms_per_request("server") or 0), "", ""],
            ["generator CPU (share of one CPU)", _pct(p.cpu_share("generator")), _pct(b.cpu_share("generator")),
             "", "", ""],
        ],
        notes=[
            "one uvicorn process each, same machine, same run; closed loop, keep-alive; the generator (raw "
            "HTTP/1.1 over asyncio streams) runs in the bench process and shares the CPUs.",
            "a server near 100% of one CPU is the bottleneck (one process, one event loop); CPU per request "
            "is the cost the ratio reflects.",
            "bare = FastAPI, a validated body, one INSERT on its own PostgreSQL database; platform = the service "
            "with token check, validation, the passport sealed, the application with its history row and audit "
            "record (one statement on PostgreSQL), problem details, middleware.",
        ],
    )
    return Outcome(figures=figures, tables=[table])


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"


def _p(result: LoadResult, q: int) -> float:
    from bench.stats import percentile

    return percentile(result.latencies_ms, q)


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"
