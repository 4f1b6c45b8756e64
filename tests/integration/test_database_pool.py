"""The connection pool on PostgreSQL: a connection the server dropped is never handed to a request, and
a connection in steady use is not pinged before each one (shared/db.py, ``_validate_on_checkout``)."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa

from shared.db import Database
from tests.support import infra

pytestmark = pytest.mark.postgres


@pytest.fixture
async def database():
    urls = await infra.create_databases(("pool",))
    db = Database(urls["pool"], pool_size=4, max_overflow=0, ping_after_idle_seconds=0.5)
    pings: list[object] = []
    dialect = db.engine.sync_engine.dialect
    original = dialect.do_ping

    def counted(dbapi_connection):
        pings.append(dbapi_connection)
        return original(dbapi_connection)

    dialect.do_ping = counted
    try:
        yield db, pings
    finally:
        await db.dispose()
        await infra.drop_databases(urls)


async def backend_pid(db: Database) -> int:
    async with db.session() as session:
        return (await session.execute(sa.text("SELECT pg_backend_pid()"))).scalar_one()


async def test_a_connection_in_steady_use_is_not_pinged_and_one_left_idle_is(database):
    db, pings = database
    first = await backend_pid(db)
    for _ in range(20):
        assert await backend_pid(db) == first  # the same pooled connection, back within the window
    assert pings == []
    await asyncio.sleep(0.7)  # idle past ping_after_idle_seconds
    assert await backend_pid(db) == first
    assert len(pings) == 1


async def test_a_connection_the_server_terminated_is_replaced_before_the_request_uses_it(database):
    """pg_terminate_backend closes the socket, as a server restart does: the request still succeeds, on a
    new connection, without a ping (the driver already knows)."""
    db, pings = database
    first = await backend_pid(db)
    admin = Database(db.url.render_as_string(hide_password=False), pool_size=1, max_overflow=0)
    try:
        async with admin.session() as session:
            await session.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        for _ in range(100):  # until the backend has exited (its socket closed); a transaction per look, as
            async with admin.session() as session:  # pg_stat_activity holds still within one
                query = sa.text("SELECT 1 FROM pg_stat_activity WHERE pid = :pid")
                if (await session.execute(query, {"pid": first})).first() is None:
                    break
            await asyncio.sleep(0.05)
    finally:
        await admin.dispose()
    await asyncio.sleep(0.05)  # the event loop reads the server's goodbye while the connection sits in the pool
    second = await backend_pid(db)
    assert second != first
    assert pings == []


async def test_an_idle_connection_that_fails_its_ping_is_replaced(database):
    """A connection the driver still believes open but that no longer answers (a silent drop): the ping
    fails, the pool is invalidated and a new connection serves the request."""
    db, pings = database
    first = await backend_pid(db)
    dialect = db.engine.sync_engine.dialect
    counted = dialect.do_ping

    def dead(dbapi_connection):
        counted(dbapi_connection)
        raise ConnectionResetError("no answer")

    dialect.do_ping = dead
    await asyncio.sleep(0.7)
    second = await backend_pid(db)
    assert second != first
    assert len(pings) == 1
