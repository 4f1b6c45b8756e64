"""Async database engine and sessions, built from settings in the lifespan (never at import).

A database session here is a Core ``AsyncConnection`` from the pool: the services speak SQLAlchemy Core
(tables and statements, no mapped classes), so the ORM session's identity map and state tracking would be
work done for nothing on every statement."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import DateTime, event, exc, text
from sqlalchemy.dialects.sqlite import DATETIME as SQLITE_DATETIME
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine


class Database:
    """One service's database: an engine and a session factory."""

    def __init__(self, url: str, *, pool_size: int = 32, max_overflow: int = 16,
                 ping_after_idle_seconds: float = 1.0) -> None:
        self.url = make_url(url)
        kwargs: dict = {}
        if self.is_sqlite:
            if self.url.database and self.url.database != ":memory:":
                Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs = {"connect_args": {"timeout": 30}}
        else:
            kwargs.update(pool_size=pool_size, max_overflow=max_overflow)
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            dialect = self.engine.sync_engine.dialect
            dialect.colspecs = {**dialect.colspecs, DateTime: SQLiteAwareDateTime}
        else:
            _validate_on_checkout(self.engine, ping_after_idle_seconds)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def writes_in_with(self) -> bool:
        """Whether a statement may carry INSERTs in its WITH clause (PostgreSQL; SQLite may not)."""
        return self.url.get_backend_name() == "postgresql"

    @property
    def supports_skip_locked(self) -> bool:
        return self.url.get_backend_name() == "postgresql"

    def session(self) -> AsyncConnection:
        """A connection, begun on first use: ``async with db.session() as session`` (reads; closing rolls
        back), ``async with db.session() as session, session.begin()`` (commits at the end), or awaited."""
        return self.engine.connect()

    async def begin_write(self, session: AsyncConnection) -> None:
        """Begin a transaction that will write, so that every check it makes sees the committed state.

        PostgreSQL: a plain ``BEGIN``; the checks that must hold until commit lock their rows
        (``SELECT ... FOR UPDATE``) or guard their statement. SQLite ignores ``FOR UPDATE``, and its driver
        would begin a transaction only at the first write, so a check made before it reads outside any
        transaction and two requests can both pass it. ``BEGIN IMMEDIATE`` takes the database's write lock
        before the first read instead: writing transactions run one after the other (as SQLite's single
        writer runs them anyway), readers go on beside them (WAL), and a writer waits for the lock
        (``busy_timeout``) rather than failing when another committed in between."""
        await session.begin()
        if self.is_sqlite:
            await session.exec_driver_sql("BEGIN IMMEDIATE")

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


def dialect_insert(session):
    """``insert`` of the session's dialect (PostgreSQL or SQLite), for ``ON CONFLICT`` clauses."""
    if session.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _validate_on_checkout(engine: AsyncEngine, ping_after_idle_seconds: float) -> None:
    """Hand out only live connections, pinging the ones that sat idle (HikariCP's rule, not SQLAlchemy's).

    SQLAlchemy's ``pool_pre_ping`` pings on every checkout: with asyncpg three round trips (BEGIN, ``;``,
    ROLLBACK) before each request's own, most of a short request's database time. Here a connection is
    checked without a round trip when it was last used less than ``ping_after_idle_seconds`` ago: its
    driver says whether the server closed it (a restart, ``pg_terminate_backend``, an idle timeout all
    close the socket, and the event loop has read that while the connection sat in the pool). A connection
    idle for longer is pinged, since a silent network or firewall drop leaves no trace on the socket. A dead
    connection, either way, invalidates the pool as SQLAlchemy's pre-ping does (the others were likely
    dropped with it); the pool then connects afresh and the request goes on."""
    pool = engine.sync_engine.pool
    dialect = engine.sync_engine.dialect
    clock = time.monotonic

    def used(_dbapi_connection, record, *_proxy) -> None:
        record.info["used_at"] = clock()

    def checkout(dbapi_connection, record, _proxy) -> None:
        driver = record.driver_connection
        if driver is not None and driver.is_closed():
            raise exc.InvalidatePoolError("the server closed this pooled connection")
        if clock() - record.info.get("used_at", 0.0) > ping_after_idle_seconds:
            try:
                dialect.do_ping(dbapi_connection)
            except Exception as error:
                raise exc.InvalidatePoolError(f"ping failed: {error}") from error

    event.listen(pool, "connect", used)
    event.listen(pool, "checkout", checkout)
    event.listen(pool, "checkin", used)


class SQLiteAwareDateTime(SQLITE_DATETIME):
    """``DateTime(timezone=True)`` on SQLite, which keeps no offset: stored as UTC, read back aware in UTC.

    PostgreSQL's ``timestamptz`` does both by itself. SQLite's driver returned such columns naive, so a
    timestamp read back (the audit record's ``at``, an API reply, an event built from a row) left the
    platform without its offset, and it stored an instant given with another offset as that offset's wall
    clock. Every service's database on SQLite uses this type for every ``DateTime(timezone=True)`` column
    (the dialect's type map, set in ``Database``); columns without a time zone are left as they are."""

    def bind_processor(self, dialect):
        process = super().bind_processor(dialect)
        if not self.timezone:
            return process

        def to_utc(value):
            if isinstance(value, datetime) and value.tzinfo is not None:
                value = value.astimezone(UTC).replace(tzinfo=None)
            return process(value)

        return to_utc

    def result_processor(self, dialect, coltype):
        process = super().result_processor(dialect, coltype)
        if not self.timezone:
            return process

        def aware(value):
            value = process(value) if process is not None else value
            return value.replace(tzinfo=UTC) if isinstance(value, datetime) and value.tzinfo is None else value

        return aware


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets the API, the relay and the consumer of one service share the file.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
