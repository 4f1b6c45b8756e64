"""Service workers without HTTP (``python -m services.<name> relay|consume``) as processes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.support.infra import REPO
from tests.support.processes import ServiceProcess


class WorkerProcess(ServiceProcess):
    """Same life cycle as ``ServiceProcess`` (start, stop, kill), another command, no readiness URL."""

    def __init__(self, service: str, env: dict[str, str], *, port: int, log_dir: Path, command: str) -> None:
        super().__init__(service, env, port=port, log_dir=log_dir)
        self.command = command
        self.log_path = log_dir / f"{service}-{command}.log"

    def start(self, **extra_env: str) -> "WorkerProcess":
        env = {**os.environ, **self.env,
               **{f"{self.service.upper()}_{k.upper()}": v for k, v in extra_env.items()}}
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", f"services.{self.service}", self.command],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        return self

    def wait_ready(self, timeout: float = 30) -> None:
        """No health endpoint: alive after a moment is as ready as it gets."""
        time.sleep(1.0)
        if self.proc is None or self.proc.poll() is not None:
            raise RuntimeError(f"{self.service} {self.command} exited; see {self.log_path}")
