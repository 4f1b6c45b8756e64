"""Reads of the assessed claims, as the caller may read them (no writes, no unit of work)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.subsidy.claims.models import claims
from services.subsidy.scope import Scope
from shared.queries import Keyset, fetch_page, one_or_404, where_given
from shared.runtime import ServiceRuntime

OLDEST_FIRST = Keyset.oldest_first(claims.c.assessed_at, claims.c.id)


async def list_claims(runtime: ServiceRuntime, scope: Scope, *, entitlement_id: uuid.UUID | None = None,
                      expert_id: uuid.UUID | None = None, funding_year: int | None = None,
                      cursor: str | None = None, limit: int = 50):
    query = sa.select(claims).where(scope.limits(claims.c.entitlement_id))
    query = where_given(query, (claims.c.entitlement_id, entitlement_id),
                        (claims.c.expert_id, expert_id),
                        (claims.c.funding_year, funding_year))
    async with runtime.db.session() as session:
        return await fetch_page(session, query, OLDEST_FIRST, cursor=cursor, limit=limit)


async def get_claim(runtime: ServiceRuntime, scope: Scope, claim_id: uuid.UUID):
    async with runtime.db.session() as session:
        return await one_or_404(session, sa.select(claims).where(
            claims.c.id == claim_id, scope.limits(claims.c.entitlement_id)), f"no claim {claim_id}")
