"""What the figures were measured on: CPUs, memory, CPU model, Python, date, commit, servers."""

from __future__ import annotations

import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _cpu_model() -> str | None:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or None
    for key in ("model name", "Hardware", "Processor", "cpu model"):
        for line in text.splitlines():
            name, _, value = line.partition(":")
            if name.strip() == key and value.strip():
                return value.strip()
    return platform.processor() or None


def _memory_bytes() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _nproc() -> int | None:
    """What `nproc` prints: the CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count()


def git_commit(repo: Path = REPO) -> str | None:
    """The checked-out commit, read from .git without running git; None outside a checkout."""
    try:
        git = repo / ".git"
        if git.is_file():  # a worktree: "gitdir: <path>"
            git = (repo / git.read_text().split(":", 1)[1].strip()).resolve()
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref:"):
            return head or None
        ref = head.split(":", 1)[1].strip()
        for base in (git, _common_dir(git)):
            if (base / ref).is_file():
                return (base / ref).read_text().strip() or None
            packed = base / "packed-refs"
            if packed.is_file():
                for line in packed.read_text().splitlines():
                    parts = line.split()
                    if len(parts) == 2 and parts[1] == ref:
                        return parts[0]
    except (OSError, IndexError):
        pass
    return None


def _common_dir(git: Path) -> Path:
    common = git / "commondir"
    if common.is_file():
        return (git / common.read_text().strip()).resolve()
    return git


def describe() -> dict:
    memory = _memory_bytes()
    return {
        "nproc": _nproc(),
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_bytes": memory,
        "memory_gib": round(memory / 2**30, 1) if memory else None,
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "python_executable": sys.executable,
        "os": f"{platform.system()} {platform.release()}",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "load_average_at_start": load_average(),
    }


def load_average() -> list[float] | None:
    """1, 5 and 15 minute load averages: other work on the machine skews every figure."""
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except OSError:
        return None


async def server_versions(database_url_base: str, amqp_url: str) -> dict:
    """PostgreSQL and RabbitMQ versions, best effort (None when unreachable)."""
    versions: dict = {"postgresql": None, "rabbitmq": None}
    try:
        import asyncpg

        conn = await asyncpg.connect(database_url_base.replace("postgresql+asyncpg", "postgresql") + "/postgres",
                                     timeout=5)
        try:
            versions["postgresql"] = await conn.fetchval("SHOW server_version")
        finally:
            await conn.close()
    except Exception:
        pass
    try:
        import aio_pika

        connection = await aio_pika.connect(amqp_url, timeout=5)
        try:
            props = connection.transport.connection.server_properties  # aiormq
            version = props.get("version")
            versions["rabbitmq"] = version.decode() if isinstance(version, bytes) else version
        finally:
            await connection.close()
    except Exception:
        pass
    return versions
