"""Reads of the employer registry for the API."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.directory.employers.models import employers
from services.directory.employers.schemas import EmployerRead
from shared.queries import Keyset, fetch_page, one_or_404

BY_REGISTRATION = Keyset.oldest_first(employers.c.registered_at, employers.c.id)


async def list_employers(session, *, cursor: str | None, limit: int) -> tuple[list[EmployerRead], str | None]:
    """The registry in registration order, a page at a time."""
    rows, next_cursor = await fetch_page(session, sa.select(employers), BY_REGISTRATION, cursor=cursor, limit=limit)
    return [EmployerRead.model_validate(r._mapping) for r in rows], next_cursor


async def get_employer(session, employer_id: uuid.UUID) -> EmployerRead:
    row = await one_or_404(session, sa.select(employers).where(employers.c.id == employer_id),
                           f"no employer {employer_id}")
    return EmployerRead.model_validate(row._mapping)
