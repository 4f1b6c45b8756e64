"""Services as real processes (uvicorn), for the multi-process tests and the benchmarks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.infra import REPO

PORTS = {"intake": 8001, "review": 8002, "subsidy": 8003, "permits": 8004, "directory": 8005}


class ServiceProcess:
    """One service as ``python -m services.<name> serve``, configured by environment variables alone."""

    def __init__(self, service: str, env: dict[str, str], *, port: int, log_dir: Path) -> None:
        self.service = service
        self.port = port
        self.env = env
        self.log_path = log_dir / f"{service}-{port}.log"
        self.proc: subprocess.Popen | None = None
        self.base_url = f"http://127.0.0.1:{port}"

    def start(self, **extra_env: str) -> "ServiceProcess":
        env = {**os.environ, **self.env, **{f"{self.service.upper()}_{k.upper()}": v for k, v in extra_env.items()}}
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", f"services.{self.service}", "serve", "--port", str(self.port)],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        return self

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc and self.proc.poll() is not None:
                raise RuntimeError(f"{self.service} exited with {self.proc.returncode}; see {self.log_path}")
            try:
                if httpx.get(f"{self.base_url}/{self.service}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"{self.service} not ready after {timeout}s; see {self.log_path}")

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no flush; whatever was committed is all that survives."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def service_env(service: str, *, database_url: str, amqp_url: str, namespace: str, **settings: str) -> dict[str, str]:
    prefix = service.upper() + "_"
    env = {
        "ENVIRONMENT": "test",
        "DATABASE_URL": database_url,
        "BUS": "rabbitmq",
        "AMQP_URL": amqp_url,
        "BUS_NAMESPACE": namespace,
        "RETRY_BACKOFF_SECONDS": "0.05",
        "DELIVERY_LIMIT": "3",
        "RELAY_POLL_SECONDS": "0.2",
        "LOG_LEVEL": "WARNING",
        **settings,
    }
    return {prefix + key.upper(): str(value) for key, value in env.items()}


def migrate(service: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", f"services.{service}", "migrate"], cwd=REPO,
                   env={**os.environ, **env}, check=True, capture_output=True, timeout=120)
