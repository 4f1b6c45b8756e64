"""Fixtures shared by every tier of the suite."""

from __future__ import annotations

import asyncio

import pytest

from tests.support import infra
from tests.support.platform import Platform, drop_sqlite_templates


@pytest.fixture(scope="session", autouse=True)
def _migrated_templates():
    """The migrated template databases live for the session (see ``Platform.start``), then go."""
    yield
    drop_sqlite_templates()
    if infra._TEMPLATES:
        asyncio.run(infra.drop_templates())


@pytest.fixture(params=["embedded", pytest.param("real", marks=[pytest.mark.postgres, pytest.mark.rabbit])])
async def platform(request, tmp_path):
    """The five services in-process: on SQLite and the embedded bus, then on PostgreSQL and RabbitMQ."""
    p = Platform(request.param, tmp_path)
    yield p
    await p.stop()
