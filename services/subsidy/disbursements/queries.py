"""Reads of the disbursements, as the caller may read them (no writes, no unit of work)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.subsidy.scope import Scope
from services.subsidy.tables import disbursements
from shared.queries import Keyset, fetch_page, one_or_404
from shared.runtime import ServiceRuntime

OLDEST_FIRST = Keyset.oldest_first(disbursements.c.created_at, disbursements.c.id)


async def list_disbursements(runtime: ServiceRuntime, scope: Scope, *, expert_id: uuid.UUID | None = None,
                             entitlement_id: uuid.UUID | None = None, status: str | None = None,
                             cursor: str | None = None, limit: int = 100):
    query = sa.select(disbursements).where(scope.limits(disbursements.c.entitlement_id))
    for column, value in ((disbursements.c.expert_id, expert_id), (disbursements.c.entitlement_id, entitlement_id),
                          (disbursements.c.status, status)):
        if value is not None:
            query = query.where(column == value)
    async with runtime.db.session() as session:
        return await fetch_page(session, query, OLDEST_FIRST, cursor=cursor, limit=limit)


async def get_disbursement(runtime: ServiceRuntime, scope: Scope, disbursement_id: uuid.UUID):
    async with runtime.db.session() as session:
        return await one_or_404(session, sa.select(disbursements).where(
            disbursements.c.id == disbursement_id, scope.limits(disbursements.c.entitlement_id)),
            f"no disbursement {disbursement_id}")
