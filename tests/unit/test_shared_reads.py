"""Keyset pages and one-or-404 (shared/queries.py), on a real SQLite database in memory."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from shared.errors import NotFound, Unprocessable
from shared.queries import Keyset, fetch_page, one_or_404, where_given
from shared.schemas import decode_cursor

pytestmark = pytest.mark.unit

metadata = sa.MetaData()
things = sa.Table("things", metadata, sa.Column("id", sa.Uuid, primary_key=True),
                  sa.Column("seq", sa.Integer, nullable=False), sa.Column("at", sa.DateTime, nullable=False))
T0 = datetime(2026, 1, 1, 8, 0)
IDS = sorted(uuid.UUID(int=n) for n in range(1, 8))
ROWS = [  # two rows share a timestamp: the id breaks the tie
    {"id": IDS[i], "seq": i + 1, "at": T0 + timedelta(minutes=min(i, 5))} for i in range(7)
]


@pytest.fixture
async def session():
    engine = create_async_engine("sqlite+aiosqlite://")
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)  # a table of the test's own, not a service's
        await conn.execute(sa.insert(things), ROWS)
    async with engine.connect() as conn:
        yield conn
    await engine.dispose()


async def every_page(session, keyset: Keyset, limit: int) -> list[list[int]]:
    pages, cursor = [], None
    while True:
        rows, cursor = await fetch_page(session, sa.select(things), keyset, cursor=cursor, limit=limit)
        pages.append([r.seq for r in rows])
        if cursor is None:
            return pages


async def test_oldest_first_pages_follow_time_then_id(session):
    keyset = Keyset.oldest_first(things.c.at, things.c.id)

    assert await every_page(session, keyset, 3) == [[1, 2, 3], [4, 5, 6], [7]]


async def test_newest_first_pages_follow_the_integer_key_down(session):
    keyset = Keyset.newest_first(things.c.seq)

    assert await every_page(session, keyset, 3) == [[7, 6, 5], [4, 3, 2], [1]]
    rows, cursor = await fetch_page(session, sa.select(things), keyset, cursor=None, limit=2)
    assert ([r.seq for r in rows], decode_cursor(cursor)) == ([7, 6], {"id": 6})


async def test_an_exact_last_page_has_no_next_cursor(session):
    assert await every_page(session, Keyset.oldest_first(things.c.at, things.c.id), 7) == [[1, 2, 3, 4, 5, 6, 7]]


async def test_a_filter_of_the_query_is_kept(session):
    rows, cursor = await fetch_page(session, sa.select(things).where(things.c.seq > 4),
                                    Keyset.oldest_first(things.c.at, things.c.id), cursor=None, limit=5)
    assert ([r.seq for r in rows], cursor) == ([5, 6, 7], None)


@pytest.mark.parametrize("keyset", [Keyset.oldest_first(things.c.at, things.c.id), Keyset.newest_first(things.c.seq)])
async def test_a_malformed_cursor_is_a_422_naming_it(session, keyset):
    with pytest.raises(Unprocessable) as raised:
        await fetch_page(session, sa.select(things), keyset, cursor="bm90IGpzb24", limit=2)
    assert raised.value.extensions == {"field": "cursor"}


async def test_one_or_404(session):
    row = await one_or_404(session, sa.select(things).where(things.c.seq == 3), "no thing 3")
    assert row.id == IDS[2]
    with pytest.raises(NotFound) as raised:
        await one_or_404(session, sa.select(things).where(things.c.seq == 99), "no thing 99")
    assert raised.value.detail == "no thing 99"


def test_position_cursor_reads_back_as_aware_or_naive_time():
    keyset = Keyset.oldest_first(things.c.at, things.c.id)
    row = type("Row", (), {"at": T0.replace(tzinfo=UTC), "id": IDS[0]})()
    items, cursor = keyset.split([row, row], 1)
    assert items == [row]
    assert decode_cursor(cursor) == {"at": T0.replace(tzinfo=UTC).isoformat(), "id": str(IDS[0])}


def test_a_naive_position_leaves_as_utc_as_a_reply_shows_it():
    keyset = Keyset.oldest_first(things.c.at, things.c.id)
    row = type("Row", (), {"at": T0, "id": IDS[0]})()  # SQLite hands back a naive UTC timestamp
    _, cursor = keyset.split([row, row], 1)
    assert decode_cursor(cursor)["at"] == "2026-01-01T08:00:00+00:00"


async def test_latest_first_pages_follow_time_then_id_down(session):
    keyset = Keyset.latest_first(things.c.at, things.c.id)

    assert await every_page(session, keyset, 3) == [[7, 6, 5], [4, 3, 2], [1]]


async def test_where_given_narrows_by_the_filters_given_only(session):
    query = where_given(sa.select(things.c.seq), (things.c.seq, 3), (things.c.at, None))

    assert (await session.execute(query)).scalars().all() == [3]
    assert len((await session.execute(where_given(sa.select(things), (things.c.seq, None)))).all()) == 7
