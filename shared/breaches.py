"""The replica of a contract breach that intake, subsidy, permits and directory each keep (R-SUPERVISE).

A breach and its withdrawal on appeal are two events, and either may arrive first: each is an upsert on the
breach's id that fills in its own columns, so the replica ends the same in either order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from shared.db import dialect_insert


async def upsert_breach(
    session,
    table: sa.Table,
    values: Mapping[str, Any],
    *,
    update: Iterable[str],
    where: sa.ColumnElement[bool] | None = None,
    returning: Iterable[sa.ColumnElement] = (),
) -> Any:
    """Insert the breach's row, or, if its ``breach_id`` is known, set the ``update`` columns from ``values``.

    ``where``: update the known row only if it holds (a known row it rejects is left as it is, and returns
    nothing). ``returning``: columns of the row as written, returned as one row (None if nothing was
    written)."""
    insert = dialect_insert(session)
    statement = insert(table).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["breach_id"], set_={name: statement.excluded[name] for name in update}, where=where)
    returning = tuple(returning)
    if returning:
        return (await session.execute(statement.returning(*returning))).first()
    await session.execute(statement)
    return None


__all__ = ["upsert_breach"]
