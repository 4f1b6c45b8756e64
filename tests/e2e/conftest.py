"""A small multi-process platform: directory and intake as separate uvicorn processes on PostgreSQL and RabbitMQ."""

from __future__ import annotations

import asyncio
import socket
import uuid

import httpx
import pytest

from tests.support import infra
from tests.support.processes import ServiceProcess, migrate, service_env
from tests.support.tokens import auth


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, tmp_path, urls: dict[str, str], namespace: str) -> None:
        self.namespace = namespace
        self.urls = urls
        self.procs: dict[str, ServiceProcess] = {}
        for service, url in urls.items():
            env = service_env(service, database_url=url, amqp_url=infra.AMQP_URL, namespace=namespace)
            self.procs[service] = ServiceProcess(service, env, port=free_port(), log_dir=tmp_path)

    def url(self, service: str, path: str) -> str:
        return self.procs[service].base_url + path

    def register_employer(self, body: dict, timeout: float = 10) -> httpx.Response:
        return httpx.post(self.url("directory", "/directory/v1/employers"), json=body,
                          headers=auth("bureau_officer"), timeout=timeout)

    def replica_ids(self) -> set[str]:
        ids, cursor = set(), None
        while True:
            params = {"limit": 200, **({"cursor": cursor} if cursor else {})}
            page = httpx.get(self.url("intake", "/intake/v1/employers"), params=params,
                             headers=auth("bureau_officer"), timeout=10).json()
            ids.update(e["employer_id"] for e in page["items"])
            cursor = page.get("next_cursor")
            if not cursor:
                return ids


@pytest.fixture
async def cluster(tmp_path):
    await infra.check_rabbit()
    namespace = f"e{uuid.uuid4().hex[:8]}."
    urls = await infra.create_databases(("directory", "intake"))
    c = Cluster(tmp_path, urls, namespace)
    try:
        for service, proc in c.procs.items():
            await asyncio.to_thread(migrate, service, proc.env)
        yield c
    finally:
        for proc in c.procs.values():
            proc.stop()
        await infra.drop_databases(urls)
        await infra.delete_namespace(namespace)
