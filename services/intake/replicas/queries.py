"""Reads of the employer replica, for officers."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.intake.replicas.models import employer_replica
from shared.queries import one_or_404
from shared.runtime import ServiceRuntime
from shared.schemas import decode_cursor, encode_cursor


async def list_employers(runtime: ServiceRuntime, *, cursor: str | None, limit: int):
    """Replicated employers by id; returns (rows, next cursor). The cursor is the last employer's id (``{"id":
    "<uuid>"}``): neither of the two keyset orders of shared.queries, so the page is cut here."""
    query = sa.select(employer_replica).order_by(employer_replica.c.employer_id).limit(limit + 1)
    after = decode_cursor(cursor)
    if after:
        query = query.where(employer_replica.c.employer_id > uuid.UUID(after["id"]))
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    items = rows[:limit]
    return items, (encode_cursor({"id": str(items[-1].employer_id)}) if len(rows) > limit else None)


async def get_employer(runtime: ServiceRuntime, employer_id: uuid.UUID):
    async with runtime.db.session() as session:
        return await one_or_404(session, sa.select(employer_replica).where(employer_replica.c.employer_id == employer_id),
                                f"employer {employer_id} has not reached intake")
