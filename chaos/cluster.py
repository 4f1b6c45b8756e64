"""The services a chaos run needs, as real processes on fresh PostgreSQL databases and a private bus namespace."""

from __future__ import annotations

import asyncio
import socket
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


class Cluster:
    def __init__(self, services: list[str], *, log_dir: Path | None = None, **settings: str) -> None:
        from tests.support import infra
        from tests.support.tokens import auth

        self.infra = infra
        self.services = services
        self.settings = settings
        self.namespace = f"chaos{uuid.uuid4().hex[:8]}."
        self.log_dir = log_dir or Path(tempfile.mkdtemp(prefix="chaos-"))
        self.officer = auth("bureau_officer", ttl=4 * 3600)
        self.urls: dict[str, str] = {}
        self.procs: dict = {}
        self._pg: dict[str, asyncpg.Connection] = {}
        self._pg_lock = asyncio.Lock()
        self.http = httpx.AsyncClient(limits=httpx.Limits(max_connections=32))

    async def start(self) -> None:
        from tests.support.processes import ServiceProcess, migrate, service_env

        self.urls = await self.infra.create_databases(tuple(self.services))
        for service in self.services:
            env = service_env(service, database_url=self.urls[service], amqp_url=self.infra.AMQP_URL,
                              namespace=self.namespace, **self.settings)
            self.procs[service] = ServiceProcess(service, env, port=_free_port(), log_dir=self.log_dir)
        await asyncio.gather(*(asyncio.to_thread(migrate, s, self.procs[s].env) for s in self.services))
        for proc in self.procs.values():
            proc.start()
        for proc in self.procs.values():
            await asyncio.to_thread(proc.wait_ready, 60)

    async def stop(self) -> None:
        await self.http.aclose()
        for conn in self._pg.values():
            try:
                await conn.close()
            except Exception:
                pass
        for proc in self.procs.values():
            await asyncio.to_thread(proc.stop)
        await self.infra.drop_databases(self.urls)
        await self.infra.delete_namespace(self.namespace)

    def url(self, service: str, path: str) -> str:
        return self.procs[service].base_url + path

    async def pg(self, service: str) -> asyncpg.Pool:
        """A small pool on the service's database (the harness reads and writes truth directly)."""
        async with self._pg_lock:
            if service not in self._pg:
                self._pg[service] = await asyncpg.create_pool(_dsn(self.urls[service]), min_size=1, max_size=4)
            return self._pg[service]

    async def rows(self, service: str, sql: str) -> list:
        pool = await self.pg(service)
        return [r[0] for r in await pool.fetch(sql)]

    async def unsent(self, service: str) -> int:
        pool = await self.pg(service)
        return await pool.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL")

    # -- faults ---------------------------------------------------------------------------------
    async def kill(self, service: str) -> None:
        await asyncio.to_thread(self.procs[service].kill)

    async def restart(self, service: str) -> None:
        """Start again after a kill; alive is enough (readiness needs the broker, which may be down)."""
        proc = self.procs[service]
        proc.start()
        await asyncio.sleep(0.5)
        if proc.proc.poll() is not None:
            raise RuntimeError(f"{service} exited on restart; see {proc.log_path}")

    def alive(self, service: str) -> bool:
        proc = self.procs[service].proc
        return proc is not None and proc.poll() is None

    async def ready(self, service: str) -> bool:
        try:
            response = await self.http.get(self.url(service, f"/{service}/readyz"), timeout=2)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    async def wait_all_ready(self, timeout: float = 90) -> float:
        started = time.monotonic()
        while True:
            states = [await self.ready(s) for s in self.services]
            if all(states):
                return time.monotonic() - started
            for service in self.services:
                if not self.alive(service):
                    await self.restart(service)
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"services not ready after {timeout}s: "
                                   f"{[s for s, ok in zip(self.services, states) if not ok]}")
            await asyncio.sleep(0.5)

    def log_tail(self, service: str, lines: int = 40) -> str:
        try:
            return "\n".join(self.procs[service].log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"
