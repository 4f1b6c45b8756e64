"""Where the real PostgreSQL and RabbitMQ are, fresh databases per test, and broker controls."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "review", "subsidy", "permits", "directory")
DATABASE_URL_BASE = os.environ.get("TEST_DATABASE_URL_BASE", "postgresql+asyncpg://platform:platform@127.0.0.1:5432")
AMQP_URL = os.environ.get("TEST_AMQP_URL", "amqp://platform:platform@127.0.0.1:5672/")
REQUIRE_INFRA = os.environ.get("REQUIRE_INFRA") == "1"
"""Set by ``make test``: a missing server is then a failure, not a skip."""


def _unavailable(what: str, exc: Exception):
    message = f"{what} unreachable ({type(exc).__name__}: {exc}); run scripts/infra.sh up"
    if REQUIRE_INFRA:
        pytest.fail(message)
    pytest.skip(message)


async def _admin_execute(statements: list[str]) -> None:
    import asyncpg

    dsn = DATABASE_URL_BASE.replace("postgresql+asyncpg", "postgresql") + "/postgres"
    conn = await asyncpg.connect(dsn, timeout=5)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


async def create_databases(services=SERVICES) -> dict[str, str]:
    """A fresh, empty database per service (migrations not applied); returns their URLs."""
    tag = uuid.uuid4().hex[:8]
    names = {service: f"t_{tag}_{service}" for service in services}
    try:
        await _admin_execute([f'CREATE DATABASE "{name}"' for name in names.values()])
    except (OSError, asyncio.TimeoutError) as exc:
        _unavailable("PostgreSQL", exc)
    return {service: f"{DATABASE_URL_BASE}/{name}" for service, name in names.items()}


_TEMPLATES: dict[str, str] = {}
"""Service → the name of this test session's migrated template database on the server."""


async def create_migrated_databases(migrations: dict[str, Path]) -> dict[str, str]:
    """A fresh database per service at the head of its migrations, as ``CREATE DATABASE ... TEMPLATE``.

    The template of each service is built once per test session by the service's real Alembic
    migrations (``upgrade`` to head on an empty database); copying it costs a tenth of migrating.
    """
    from shared.migrations import upgrade

    missing = [service for service in migrations if service not in _TEMPLATES]
    if missing:
        fresh = await create_databases(missing)
        for service in missing:
            upgrade(migrations[service], fresh[service])  # NullPool engine: no connection stays open
            _TEMPLATES[service] = fresh[service].rsplit("/", 1)[-1]
    tag = uuid.uuid4().hex[:8]
    names = {service: f"t_{tag}_{service}" for service in migrations}
    try:
        await _admin_execute([f'CREATE DATABASE "{names[s]}" TEMPLATE "{_TEMPLATES[s]}"' for s in migrations])
    except (OSError, asyncio.TimeoutError) as exc:
        _unavailable("PostgreSQL", exc)
    return {service: f"{DATABASE_URL_BASE}/{name}" for service, name in names.items()}


async def drop_templates() -> None:
    """End of the test session: the migrated templates go too."""
    if _TEMPLATES:
        await drop_databases({service: f"{DATABASE_URL_BASE}/{name}" for service, name in _TEMPLATES.items()})
        _TEMPLATES.clear()


async def drop_databases(urls: dict[str, str]) -> None:
    names = [url.rsplit("/", 1)[-1] for url in urls.values()]
    try:
        await _admin_execute([f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in names])
    except Exception:
        pass  # best effort: a leftover test database harms nothing


async def check_rabbit() -> None:
    import aio_pika

    try:
        connection = await aio_pika.connect(AMQP_URL, timeout=5)
        await connection.close()
    except Exception as exc:
        _unavailable("RabbitMQ", exc)


def rabbitmqctl(*args: str, timeout: float = 120) -> str:
    tool = shutil.which("rabbitmqctl") or "/usr/sbin/rabbitmqctl"
    result = subprocess.run([tool, *args], capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"rabbitmqctl {' '.join(args)}: {result.stderr or result.stdout}")
    return result.stdout


def queue_consumers(prefix: str) -> dict[str, int]:
    """Consumers per queue whose name starts with ``prefix`` (the broker's own count)."""
    out = rabbitmqctl("list_queues", "-q", "--no-table-headers", "name", "consumers", timeout=30)
    counts = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0].startswith(prefix):
            counts[parts[0]] = int(parts[1])
    return counts


def infra_script(*args: str, timeout: float = 180) -> None:
    subprocess.run(["bash", str(REPO / "scripts" / "infra.sh"), *args], check=True, timeout=timeout,
                   capture_output=True)


async def delete_namespace(namespace: str) -> None:
    """Remove a test run's queues and exchanges from the shared broker."""
    import aio_pika

    try:
        connection = await aio_pika.connect(AMQP_URL, timeout=5)
    except Exception:
        return
    try:
        for service in SERVICES:
            for suffix in ("events", "parked"):
                channel = await connection.channel()
                try:
                    await channel.queue_delete(f"{namespace}{service}.{suffix}")
                except Exception:
                    pass
        channel = await connection.channel()
        for exchange in ("platform.events", "platform.events.dlx"):
            try:
                await channel.exchange_delete(namespace + exchange)
            except Exception:
                channel = await connection.channel()
    finally:
        await connection.close()
