"""Building blocks of the reads every service serves: a keyset page, and one row or a 404.

Three keyset orders cover every list of the platform: oldest first or latest first by (timestamp, id),
with a ``position_cursor``; and newest first by an integer id, with an ``{"id": n}`` cursor. A page asks for one
row more than its limit: that row's presence says there is a next page, and is not returned."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

import sqlalchemy as sa

from shared.errors import NotFound
from shared.schemas import after_position, cursor_int, decode_position, encode_cursor, position_cursor


@dataclass(frozen=True)
class Keyset:
    """How a list is ordered and resumed. Build one with ``oldest_first`` or ``newest_first``."""

    time_column: sa.ColumnElement | None
    id_column: sa.ColumnElement
    descending: bool = False

    @classmethod
    def oldest_first(cls, time_column: sa.ColumnElement, id_column: sa.ColumnElement) -> "Keyset":
        """By (timestamp, id) ascending; the cursor is the last row's position."""
        return cls(time_column, id_column)

    @classmethod
    def newest_first(cls, id_column: sa.ColumnElement) -> "Keyset":
        """By an integer id descending; the cursor is the last row's id."""
        return cls(None, id_column, descending=True)

    @classmethod
    def latest_first(cls, time_column: sa.ColumnElement, id_column: sa.ColumnElement) -> "Keyset":
        """By (timestamp, id) descending; the cursor is the last row's position."""
        return cls(time_column, id_column, descending=True)

    def apply(self, query: sa.Select, cursor: str | None, limit: int) -> sa.Select:
        """``query`` ordered, resumed after ``cursor`` (422 naming it if malformed) and cut at ``limit`` + 1."""
        if self.time_column is None:
            query = query.order_by(self.id_column.desc())
            before = cursor_int(cursor)
            if before is not None:
                query = query.where(self.id_column < before)
        elif self.descending:
            query = query.order_by(self.time_column.desc(), self.id_column.desc())
            before = _before_position(cursor, self.time_column, self.id_column)
            if before is not None:
                query = query.where(before)
        else:
            query = query.order_by(self.time_column, self.id_column)
            after = after_position(cursor, self.time_column, self.id_column)
            if after is not None:
                query = query.where(after)
        return query.limit(limit + 1)

    def split(self, rows: Sequence[Any], limit: int) -> tuple[list[Any], str | None]:
        """The page's rows, and the cursor of the next page (None on the last)."""
        items = list(rows[:limit])
        if len(rows) <= limit:
            return items, None
        last = items[-1]
        if self.time_column is None:
            return items, encode_cursor({"id": getattr(last, self.id_column.key)})
        at = getattr(last, self.time_column.key)
        if at.tzinfo is None:  # a naive timestamp is UTC, as it leaves in a reply (shared.schemas.UtcDateTime)
            at = at.replace(tzinfo=UTC)
        return items, position_cursor(at, getattr(last, self.id_column.key))


def _before_position(cursor: str | None, time_column: sa.ColumnElement, id_column: sa.ColumnElement):
    """The WHERE clause for rows before a ``position_cursor`` (a latest-first page), or None on the first."""
    position = decode_position(cursor)
    if position is None:
        return None
    at, last_id = position
    return sa.or_(time_column < at, sa.and_(time_column == at, id_column < last_id))


def where_given(query: sa.Select, *filters: tuple[sa.ColumnElement, Any]) -> sa.Select:
    """``query`` narrowed to ``column == value`` for each filter whose value was given (not None)."""
    for column, value in filters:
        if value is not None:
            query = query.where(column == value)
    return query


async def fetch_page(session, query: sa.Select, keyset: Keyset, *, cursor: str | None, limit: int
                     ) -> tuple[list[Any], str | None]:
    """One page of ``query``'s rows in ``keyset`` order, and the next page's cursor."""
    rows = (await session.execute(keyset.apply(query, cursor, limit))).all()
    return keyset.split(rows, limit)


async def one_or_404(session, query: sa.Select, detail: str) -> Any:
    """The first row of ``query``, or a 404 problem saying ``detail`` (e.g. ``"no case <id>"``)."""
    row = (await session.execute(query)).first()
    if row is None:
        raise NotFound(detail)
    return row


__all__ = ["Keyset", "fetch_page", "one_or_404", "where_given"]
