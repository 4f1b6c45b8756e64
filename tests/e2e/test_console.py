"""The console in headless Chromium (Debian's package) against an embedded platform these tests start.

Playwright (console/e2e) walks the whole selection by four roles, the breach and its revocation on the expert's
timeline, every main page through axe-core, the change of language; the development sign-in is tried against a
directory service running with production settings (on PostgreSQL and RabbitMQ), which must refuse it.
Screenshots of each step: console/test-results/screenshots.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
import time
import uuid

import httpx
import pytest

from tests.e2e.conftest import free_port
from tests.support import infra
from tests.support.infra import REPO
from tests.support.processes import ServiceProcess, migrate, service_env

CONSOLE = REPO / "console"

pytestmark = pytest.mark.skipif(shutil.which("npx") is None, reason="the console's tests need Node.js and npm")


def _wait(url: str, proc: subprocess.Popen, log, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the platform exited with {proc.returncode}; see {log}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} not ready after {timeout}s; see {log}")


@pytest.fixture
def embedded_platform(tmp_path):
    """``python -m embedded`` on a free port with a fresh var dir, serving the built console."""
    if not (CONSOLE / "dist" / "index.html").exists():
        pytest.fail("console/dist is missing: `make test` builds it (scripts/console.sh build)")
    port = free_port()
    log_path = tmp_path / "embedded.log"
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "embedded", "--port", str(port), "--var-dir", str(tmp_path / "var")],
            cwd=REPO, env={**os.environ, "EMBEDDED_CONSOLE_BUILD": "0", "LOG_LEVEL": "WARNING"},
            stdout=log, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/directory/readyz", proc, log_path)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
async def production_directory(tmp_path):
    """The directory service alone with production settings (its own secrets, PostgreSQL, RabbitMQ)."""
    await infra.check_rabbit()
    namespace = f"c{uuid.uuid4().hex[:8]}."
    urls = await infra.create_databases(("directory",))
    key = base64.b64encode(os.urandom(32)).decode()
    env = service_env(
        "directory", database_url=urls["directory"], amqp_url=infra.AMQP_URL, namespace=namespace,
        ENVIRONMENT="production", JWT_SECRET=base64.b64encode(os.urandom(48)).decode(),
        PASSPORT_KEYS=f'{{"1": "{key}"}}', PASSPORT_HASH_KEY=base64.b64encode(os.urandom(32)).decode(),
    )
    proc = ServiceProcess("directory", env, port=free_port(), log_dir=tmp_path)
    try:
        migrate("directory", env)
        proc.start()
        proc.wait_ready(timeout=60)
        yield proc.base_url
    finally:
        proc.stop()
        await infra.drop_databases(urls)
        await infra.delete_namespace(namespace)


def test_console_in_headless_chromium(embedded_platform, production_directory):
    screenshots = CONSOLE / "test-results" / "screenshots"
    shutil.rmtree(screenshots, ignore_errors=True)
    screenshots.mkdir(parents=True)
    started = time.monotonic()
    result = subprocess.run(
        ["npx", "playwright", "test"], cwd=CONSOLE, capture_output=True, text=True, timeout=1200,
        env={**os.environ, "CONSOLE_E2E_URL": embedded_platform, "CONSOLE_E2E_PRODUCTION_URL": production_directory,
             "CI": "1"},
    )
    print(result.stdout[-20000:], result.stderr[-5000:], sep="\n")
    print(f"console e2e: {time.monotonic() - started:.1f} s; screenshots in {screenshots}")
    assert result.returncode == 0, "the console's Playwright tests failed (output above)"
    assert len(list(screenshots.glob("*.png"))) >= 10, "each step of the walk leaves a screenshot"
