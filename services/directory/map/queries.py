"""Reads of the distribution map (R-PLATFORM (1)): experts counted by the database."""

from __future__ import annotations

import sqlalchemy as sa

from services.directory.experts.models import experts


async def distribution(session, *, field: str | None = None, focus_area: str | None = None
                       ) -> tuple[dict[str, int], dict[str, int]]:
    """(experts by nationality, experts by field), counted by the database (R-PLATFORM (1) map)."""
    conditions = []
    if field is not None:
        conditions.append(experts.c.field == field)
    if focus_area is not None:
        conditions.append(experts.c.focus_area == focus_area)
    by_country = dict((await session.execute(
        sa.select(experts.c.nationality, sa.func.count()).where(*conditions).group_by(experts.c.nationality)
    )).all())
    by_field = dict((await session.execute(
        sa.select(experts.c.field, sa.func.count()).where(*conditions).group_by(experts.c.field)
    )).all())
    return by_country, by_field
