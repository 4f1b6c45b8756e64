"""console: what a user of the console waits for — its JavaScript, its pages, the lists its screens call.

Against the embedded platform as ``make run`` serves it (a process on loopback, SQLite, the built console):

- ``initial_js_gzip_kb``: the JavaScript the first page loads (index.html's module script and the chunks it
  preloads), gzip level 6 as a gateway would send it; every other chunk is loaded by its route (React.lazy). The
  largest lazy chunks are listed. Target ≤ 350 KB.
- First contentful paint and time to interactive of the main pages in headless Chromium (Debian's), cold loads in a
  new context each (``console/scripts/bench-pages.mjs`` says how TTI is taken), median of ``runs``; signed-in pages
  as in-app navigations. Target ≤ 1 s.
- The p50 of each list the screens call (every GET of the combined OpenAPI answering a cursor page without a path
  parameter), over HTTP with a bureau officer's token, after ``employers`` employers and ``drafts`` drafts are made
  through the APIs. Target ≤ 20 ms.

Parameters: ``runs`` (5, quick 2), ``requests`` per list (50, quick 10), ``employers`` (200, quick 20),
``drafts`` (200, quick 20).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.registry import Options, Outcome, Progress, Table, benchmark
from bench.stats import summary

NAME = "console"
ROOT = Path(__file__).resolve().parent.parent
CONSOLE = ROOT / "console"
COLD_PAGES = ("", "sign-in")
"""Pages anyone may load cold; the areas' public pages are added from the built routes (``_public_pages``)."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bundle_figures(dist: Path) -> dict:
    """The initial route's JavaScript (gzip) and the largest chunks loaded later by their routes."""
    index = (dist / "index.html").read_text()
    initial = re.findall(r'<script[^>]+src="/console/([^"]+\.js)"', index)
    initial += re.findall(r'<link[^>]+rel="modulepreload"[^>]+href="/console/([^"]+\.js)"', index)
    sizes = {}
    for path in (dist / "assets").glob("*.js"):
        raw = path.read_bytes()
        sizes[f"assets/{path.name}"] = (len(raw), len(gzip.compress(raw, compresslevel=6)))
    initial_gzip = sum(sizes[name][1] for name in dict.fromkeys(initial) if name in sizes)
    lazy = sorted(((name, gz) for name, (_raw, gz) in sizes.items() if name not in initial), key=lambda x: -x[1])
    return {
        "initial_files": list(dict.fromkeys(initial)),
        "initial_js_gzip_kb": round(initial_gzip / 1024, 1),
        "initial_js_raw_kb": round(sum(sizes[n][0] for n in dict.fromkeys(initial) if n in sizes) / 1024, 1),
        "chunks": len(sizes),
        "total_js_gzip_kb": round(sum(gz for _raw, gz in sizes.values()) / 1024, 1),
        "largest_lazy_chunks_gzip_kb": {name: round(gz / 1024, 1) for name, gz in lazy[:5]},
    }


def _wait(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the embedded platform exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} not ready after {timeout}s")


def _token(base: str, role: str, organisation: str | None = None) -> str:
    response = httpx.post(f"{base}/directory/v1/sign-in/token", json={"role": role, "organisation": organisation})
    response.raise_for_status()
    return response.json()["access_token"]


def _list_operations(document: dict) -> list[str]:
    """GET paths answering a cursor page (``next_cursor``), with no path parameter: the screens' lists."""
    schemas = document.get("components", {}).get("schemas", {})
    found = []
    for path, item in sorted(document["paths"].items()):
        get = item.get("get")
        if not get or "{" in path or "/admin/" in path:
            continue
        content = get.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
        ref = content.get("schema", {}).get("$ref", "")
        schema = schemas.get(ref.rsplit("/", 1)[-1], {})
        if "next_cursor" in schema.get("properties", {}):
            found.append(path)
    return found


async def _seed(base: str, officer: str, employers: int, drafts: int, progress: Progress) -> None:
    from services.directory.employers.domain import credit_code_check_character

    headers = {"Authorization": f"Bearer {officer}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        made = []
        for i in range(employers):
            stem = f"91110108{i:09d}"
            body = {"name": f"Bench Employer {i}", "credit_code": stem + credit_code_check_character(stem),
                    "district": "haidian", "competent_department": None, "municipal_state_owned": False}
            response = await client.post("/directory/v1/employers", json=body)
            response.raise_for_status()
            made.append(response.json()["id"])
        progress(f"{employers} employers registered")
        # Drafts by the first employer on a published catalogue entry, once intake has both replicas (the bus
        # carries EmployerRegistered and the catalogue's publication).
        if not made or drafts == 0:
            return
        from tests.support import data

        edition = (await client.post("/directory/v1/catalogue-editions", json=data.catalogue_edition())).json()
        entry = (await client.post(f"/directory/v1/catalogue-editions/{edition['id']}/entries",
                                   json=data.catalogue_entry())).json()
        (await client.post(f"/directory/v1/catalogue-editions/{edition['id']}/publish")).raise_for_status()
        draft_headers = {"Authorization": f"Bearer {_token(base, 'employer', made[0])}"}
        deadline = time.monotonic() + 30
        for i in range(drafts):
            body = data.application(entry["id"], candidate={"passport_number": f"K{i:07d}"})
            while True:
                response = await client.post("/intake/v1/applications", json=body, headers=draft_headers)
                if response.status_code not in (404, 422) or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.2)  # a replica is not there yet
            response.raise_for_status()
        progress(f"{drafts} drafts made")


def _pages(base: str, runs: int, cold: list[str]) -> dict:
    plan = {"base": base, "runs": runs, "cold": cold,
            "signedIn": [{"role": "bureau_officer", "roleLabel": "市外专局工作人员", "paths": _officer_pages()}]}
    result = subprocess.run(["node", "scripts/bench-pages.mjs", json.dumps(plan)], cwd=CONSOLE,
                            capture_output=True, text=True, timeout=900)
    if result.returncode:
        raise RuntimeError(f"bench-pages.mjs failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _officer_pages() -> list[str]:
    return [p.strip() for p in os.environ.get("CONSOLE_BENCH_OFFICER_PAGES", "").split(",") if p.strip()]


@benchmark(NAME, "the console: initial JavaScript, first paint and interactivity of main pages, p50 of its lists")
async def run(options: Options, progress: Progress) -> Outcome:
    runs = options.get("runs", 5, quick=2)
    requests = options.get("requests", 50, quick=10)
    n_employers = options.get("employers", 200, quick=20)
    n_drafts = options.get("drafts", 200, quick=20)
    if shutil.which("node") is None:
        raise RuntimeError("the console benchmark needs Node.js and npm")
    subprocess.run(["bash", str(ROOT / "scripts" / "console.sh"), "build"], check=True, timeout=900)
    bundle = bundle_figures(CONSOLE / "dist")
    progress(f"initial JavaScript {bundle['initial_js_gzip_kb']} KB gzip in {len(bundle['initial_files'])} file(s)")

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as var_dir:
        proc = subprocess.Popen(
            [sys.executable, "-m", "embedded", "--port", str(port), "--var-dir", var_dir],
            cwd=ROOT, env={**os.environ, "EMBEDDED_CONSOLE_BUILD": "0", "LOG_LEVEL": "WARNING"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            _wait(f"{base}/directory/readyz", proc)
            officer = _token(base, "bureau_officer")
            await _seed(base, officer, n_employers, n_drafts, progress)
            document = httpx.get(f"{base}/openapi.json", timeout=30).json()
            lists = {}
            async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {officer}"},
                                         timeout=30) as client:
                for path in _list_operations(document):
                    first = await client.get(path)
                    if first.status_code != 200:
                        lists[path] = {"status": first.status_code}
                        continue
                    times = []
                    for _ in range(requests):
                        started = time.perf_counter()
                        response = await client.get(path)
                        times.append((time.perf_counter() - started) * 1000)
                        response.raise_for_status()
                    lists[path] = {**summary(times), "rows": len(first.json().get("items", []))}
            progress(f"{len(lists)} lists timed")
            pages = _pages(base, runs, [*COLD_PAGES, *_public_pages()])
            progress(f"{len(pages['cold'])} pages loaded cold, {len(pages['navigation'])} navigations")
        finally:
            proc.terminate()
            proc.wait(timeout=30)

    timed = {path: figures for path, figures in lists.items() if "p50" in figures}
    figures = {"bundle": bundle, "pages": pages, "lists": lists,
               "lists_over_20ms": sorted(p for p, f in timed.items() if f["p50"] > 20),
               "pages_over_1s": sorted(p for p, f in pages["cold"].items() if f["tti_ms"] > 1000)}
    tables = [
        Table(title="console: JavaScript", columns=["what", "KB (gzip)"],
              rows=[["initial route", bundle["initial_js_gzip_kb"]], ["all chunks", bundle["total_js_gzip_kb"]],
                    *[[f"lazy {name}", size] for name, size in bundle["largest_lazy_chunks_gzip_kb"].items()]],
              notes=["target: initial route ≤ 350 KB gzip"]),
        Table(title=f"console: pages in headless Chromium (median of {runs})", columns=["page", "FCP ms", "TTI ms"],
              rows=[*[[path, f["fcp_ms"], f["tti_ms"]] for path, f in pages["cold"].items()],
                    *[[path, "", f["interactive_ms"]] for path, f in pages["navigation"].items()]],
              notes=["cold loads in a new context; signed-in pages as in-app navigations; target ≤ 1 s"]),
        Table(title=f"console: lists the screens call ({requests} requests each, officer)",
              columns=["GET", "rows", "p50 ms", "p90 ms", "max ms"],
              rows=[[path, f.get("rows", ""), f.get("p50", f.get("status")), f.get("p90", ""), f.get("max", "")]
                    for path, f in lists.items()],
              notes=[f"{n_employers} employers and {n_drafts} drafts made first; target p50 ≤ 20 ms"]),
    ]
    return Outcome(figures=figures, tables=tables)


def _public_pages() -> list[str]:
    """The public areas' menu pages, from the console's routes (``roles: "public"``, shown in the menu)."""
    pages = []
    for routes in (CONSOLE / "src" / "areas").glob("*/routes.tsx"):
        text = routes.read_text()
        for match in re.finditer(r'path:\s*"([^"]+)"[^}]*?roles:\s*"public"', text, re.DOTALL):
            if ":" not in match.group(1) and "menu: false" not in match.group(0):
                pages.append(match.group(1))
    return sorted(pages)
