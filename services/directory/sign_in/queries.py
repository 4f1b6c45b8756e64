"""Reads of the development sign-in: the registered employers and the competent departments they named."""

from __future__ import annotations

import sqlalchemy as sa

from services.directory.employers.models import employers

EMPLOYERS_OFFERED = 500
"""A development registry is small; a larger one (a benchmark's) is offered its first employers by name."""


async def employer_choices(session) -> list[tuple]:
    """(id, name) of the registered employers, by name."""
    query = sa.select(employers.c.id, employers.c.name).order_by(employers.c.name, employers.c.id)
    return list((await session.execute(query.limit(EMPLOYERS_OFFERED))).all())


async def competent_departments(session) -> list[str]:
    """The distinct competent departments of the registered employers, by name."""
    column = employers.c.competent_department
    query = sa.select(column).where(column.is_not(None)).distinct().order_by(column)
    return [name for (name,) in (await session.execute(query)).all()]
