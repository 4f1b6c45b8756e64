"""The platform in-process for integration tests: embedded (SQLite + embedded bus) or real (PostgreSQL + RabbitMQ).

The same test runs on both; only the fixture's ``mode`` differs.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import sqlalchemy as sa

from embedded.app import SERVICES as ENTRIES, create_embedded_app
from shared.migrations import upgrade
from shared.runtime import ServiceRuntime
from shared.settings import BusKind
from tests.support import infra

FAST = {"retry_backoff_seconds": 0.05, "delivery_limit": 3, "relay_poll_seconds": 0.2}
"""Compressed schedules for tests: same semantics, shorter waits."""


_SQLITE_TEMPLATES: dict[str, Path] = {}
_SQLITE_TEMPLATE_DIR: list[Path] = []


def copy_migrated_sqlite(service: str, migrations_dir: Path, database_url: str) -> None:
    """Put at ``database_url`` a SQLite file at the head of ``service``'s migrations (migrated once per session)."""
    if service not in _SQLITE_TEMPLATES:
        if not _SQLITE_TEMPLATE_DIR:
            _SQLITE_TEMPLATE_DIR.append(Path(tempfile.mkdtemp(prefix="platform-templates-")))
        path = _SQLITE_TEMPLATE_DIR[0] / f"{service}.db"
        upgrade(migrations_dir, f"sqlite+aiosqlite:///{path}")
        _SQLITE_TEMPLATES[service] = path
    target = Path(database_url.split("///", 1)[-1])
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_SQLITE_TEMPLATES[service], target)


def drop_sqlite_templates() -> None:
    for directory in _SQLITE_TEMPLATE_DIR:
        shutil.rmtree(directory, ignore_errors=True)
    _SQLITE_TEMPLATE_DIR.clear()
    _SQLITE_TEMPLATES.clear()


class Platform:
    def __init__(self, mode: str, tmp_path: Path) -> None:
        self.mode = mode
        self.tmp_path = tmp_path
        self.apps: dict = {}
        self._stack = contextlib.AsyncExitStack()
        self.namespace = f"t{uuid.uuid4().hex[:8]}."
        self.database_urls: dict[str, str] = {}
        self.settings: dict = {}

    # -- life cycle -------------------------------------------------------------------------
    async def start(self, *, consumers: dict[str, bool] | None = None, relays: dict[str, bool] | None = None,
                    settings: dict[str, dict] | None = None) -> "Platform":
        """``settings``: per service, setting overrides (``{"permits": {"webhook_poll_seconds": 0.05}}``)."""
        consumers = consumers or {}
        relays = relays or {}
        settings = settings or {}
        for entry in ENTRIES:
            overrides = dict(FAST, var_dir=self.tmp_path,
                             consumer_enabled=consumers.get(entry.name, True),
                             relay_enabled=relays.get(entry.name, True),
                             **settings.get(entry.name, {}))
            if self.mode == "real":
                overrides.update(bus=BusKind.rabbitmq, amqp_url=infra.AMQP_URL, bus_namespace=self.namespace)
            self.settings[entry.name] = entry.settings_class().model_copy(update=overrides)
        # Each service's database at the head of its real Alembic migrations, copied from a template
        # that this test session migrated once (PostgreSQL: CREATE DATABASE ... TEMPLATE; SQLite: the file).
        if self.mode == "real":
            await infra.check_rabbit()
            self.database_urls = await infra.create_migrated_databases(
                {entry.name: entry.migrations_dir for entry in ENTRIES})
            self._stack.push_async_callback(infra.drop_databases, self.database_urls)
            self._stack.push_async_callback(infra.delete_namespace, self.namespace)
            for name, url in self.database_urls.items():
                self.settings[name] = self.settings[name].model_copy(update={"database_url": url})
        else:
            for entry in ENTRIES:
                copy_migrated_sqlite(entry.name, entry.migrations_dir, self.settings[entry.name].resolved_database_url)
        if self.mode == "embedded":
            dispatcher = create_embedded_app(self.tmp_path, settings=self.settings)
            self.apps = dispatcher.apps
            self.bus = dispatcher.bus
            await self._stack.enter_async_context(dispatcher.lifespan())
        else:
            for entry in ENTRIES:
                app = entry.create_app(self.settings[entry.name])
                self.apps[entry.name] = app
                await self._stack.enter_async_context(app.router.lifespan_context(app))
            self.bus = self.runtime("directory").bus
        return self

    async def stop(self) -> None:
        await self._stack.aclose()

    # -- access -----------------------------------------------------------------------------
    def runtime(self, service: str) -> ServiceRuntime:
        return self.apps[service].state.runtime

    @contextlib.asynccontextmanager
    async def client(self, service: str, headers: dict | None = None):
        transport = httpx.ASGITransport(app=self.apps[service])
        async with httpx.AsyncClient(transport=transport, base_url="http://platform.test", headers=headers) as c:
            yield c

    async def count(self, service: str, table: sa.Table | str, where=None) -> int:
        runtime = self.runtime(service)
        if isinstance(table, str):
            table = runtime.tables.__dict__.get(table) if table in ("outbox", "inbox", "audit_log") else sa.table(table)
        query = sa.select(sa.func.count()).select_from(table)
        if where is not None:
            query = query.where(where)
        async with runtime.db.session() as session:
            return (await session.execute(query)).scalar_one()

    async def start_consumer(self, service: str) -> None:
        runtime = self.runtime(service)
        await runtime.bus.consume(service, runtime.consumer)


async def eventually(predicate, *, timeout: float = 15.0, interval: float = 0.05, message: str = "condition"):
    """Await ``predicate()`` (sync or async) until truthy; fail with ``message`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if asyncio.iscoroutine(last):
            last = await last
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message} (last value: {last!r})")


__all__ = ["Platform", "eventually"]
