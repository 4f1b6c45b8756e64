"""Fixtures shared by every tier of the suite."""

from __future__ import annotations

import pytest

from tests.support.platform import Platform


@pytest.fixture(params=["embedded", pytest.param("real", marks=[pytest.mark.postgres, pytest.mark.rabbit])])
async def platform(request, tmp_path):
    """The five services in-process: on SQLite and the embedded bus, then on PostgreSQL and RabbitMQ."""
    p = Platform(request.param, tmp_path)
    yield p
    await p.stop()
