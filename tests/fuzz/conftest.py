"""The whole platform as one real process (``python -m embedded``) on fresh PostgreSQL databases, for fuzzing.

PostgreSQL rather than SQLite: it refuses more (NUL bytes in text, integers beyond bigint,
invalid dates), which is exactly what a fuzzer should reach.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid

import httpx
import pytest

from shared.auth import Role, issue_token
from shared.settings import DEV_JWT_SECRET
from tests.support import infra
from tests.support.tokens import AUDIENCE, ISSUER

SERVICES = ("directory", "intake", "review", "subsidy", "permits")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
"""Generated cases per operation (``make fuzz FUZZ_EXAMPLES=200`` for a longer run)."""
COVERAGE = os.environ.get("FUZZ_COVERAGE") == "1"
EMPLOYER_ORG = str(uuid.uuid4())


def all_roles_token() -> str:
    """Every role at once but the preliminary reviewer: the positive cases pass every role check and reach the
    handlers. A token acts for one organisation, and an employer's (a UUID) is no district bureau's or competent
    department's, so the verifier refuses a token that is both (shared.auth.ORGANISATION_OF_ROLE)."""
    return issue_token(secret=DEV_JWT_SECRET, issuer=ISSUER, audience=AUDIENCE, subject="fuzzer",
                       roles=[r.value for r in Role if r is not Role.preliminary_reviewer], organisation=EMPLOYER_ORG,
                       ttl_seconds=3600)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def platform_url(tmp_path_factory):
    """Base URL of the embedded platform (its own PostgreSQL databases, migrated at start)."""
    tmp = tmp_path_factory.mktemp("fuzz")
    urls = asyncio.run(infra.create_databases(SERVICES))
    env = {**os.environ, **{f"{s.upper()}_DATABASE_URL": url for s, url in urls.items()},
           "DIRECTORY_LOG_LEVEL": "WARNING"}
    port = _free_port()
    log = open(tmp / "embedded.log", "ab")
    proc = subprocess.Popen([sys.executable, "-m", "embedded", "--port", str(port), "--var-dir", str(tmp), "--no-demo"],
                            cwd=infra.REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, (tmp / "embedded.log").read_text()[-3000:]
            try:
                if httpx.get(f"{base}/directory/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "embedded platform not ready in 90 s"
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        asyncio.run(infra.drop_databases(urls))
        print(f"\nfuzz: server log {tmp / 'embedded.log'}")
