"""Reads of supervision (R-SUPERVISE): selections, contracts, evaluations, breaches and appeals.

Officers read everything; the employer and the expert concerned their own; anyone else is told a
record does not exist (404), or, for a listing, that supervision records are not theirs (403)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.review.supervision.models import (
    breach_appeals, contract_breaches, performance_evaluations, signed_contracts, supervised_selections,
)
from shared.auth import Principal, Role
from shared.errors import Forbidden, NotFound
from shared.queries import Keyset, one_or_404
from shared.runtime import ServiceRuntime

SELECTIONS_IN_ORDER = Keyset.oldest_first(supervised_selections.c.recorded_at, supervised_selections.c.application_id)
BREACHES_IN_ORDER = Keyset.oldest_first(contract_breaches.c.reported_at, contract_breaches.c.id)
APPEALS_IN_ORDER = Keyset.oldest_first(breach_appeals.c.lodged_at, breach_appeals.c.id)


def may_read(principal: Principal, record) -> bool:
    """An officer, the employer of the record (a selection or a breach) or its expert."""
    return (principal.is_officer or principal.acts_for(Role.employer, record.employer_id)
            or principal.is_expert(record.expert_id))


async def readable_selection(session, application_id: uuid.UUID, principal: Principal):
    """The selection, for an officer, its employer or its expert; anyone else is told it does not exist."""
    row = (await session.execute(sa.select(supervised_selections).where(
        supervised_selections.c.application_id == application_id))).first()
    if row is None or not may_read(principal, row):
        raise NotFound(f"no selected application {application_id}")
    return row


def _uuid_or_none(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def scope(principal: Principal, employer_column, expert_column):
    """The WHERE clause limiting a listing to what the caller may see (None: everything)."""
    if principal.is_officer:
        return None
    clauses = []
    if principal.has_any(Role.employer) and (employer_id := _uuid_or_none(principal.organisation)):
        clauses.append(employer_column == employer_id)
    if principal.has_any(Role.expert) and (expert_id := _uuid_or_none(principal.subject)):
        clauses.append(expert_column == expert_id)
    if not principal.has_any(Role.employer, Role.expert):
        raise Forbidden("supervision records are for bureau officers, the employer and the expert concerned")
    return sa.or_(*clauses) if clauses else sa.false()


def _where(query: sa.Select, *clauses) -> sa.Select:
    for clause in clauses:
        if clause is not None:
            query = query.where(clause)
    return query


async def get_selection(runtime: ServiceRuntime, *, application_id: uuid.UUID, principal: Principal):
    async with runtime.db.session() as session:
        return await readable_selection(session, application_id, principal)


async def list_selections(runtime: ServiceRuntime, *, principal: Principal, expert_id: uuid.UUID | None,
                          employer_id: uuid.UUID | None, cursor: str | None, limit: int):
    """Selections oldest first, limited to the caller's own; returns (rows, next cursor)."""
    table = supervised_selections
    query = SELECTIONS_IN_ORDER.apply(_where(
        sa.select(table), scope(principal, table.c.employer_id, table.c.expert_id),
        None if expert_id is None else table.c.expert_id == expert_id,
        None if employer_id is None else table.c.employer_id == employer_id), cursor, limit)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    return SELECTIONS_IN_ORDER.split(rows, limit)


async def get_contract(runtime: ServiceRuntime, *, application_id: uuid.UUID, principal: Principal):
    async with runtime.db.session() as session:
        await readable_selection(session, application_id, principal)
        return await one_or_404(session, sa.select(signed_contracts).where(
            signed_contracts.c.application_id == application_id),
            f"no contract registered yet for application {application_id}")


async def list_evaluations(runtime: ServiceRuntime, *, application_id: uuid.UUID, principal: Principal):
    async with runtime.db.session() as session:
        await readable_selection(session, application_id, principal)
        return (await session.execute(sa.select(performance_evaluations).where(
            performance_evaluations.c.application_id == application_id,
        ).order_by(performance_evaluations.c.funding_year))).all()


async def appeals_of(session, breach_ids: list[uuid.UUID]) -> dict[uuid.UUID, list]:
    found: dict[uuid.UUID, list] = {i: [] for i in breach_ids}
    if breach_ids:
        rows = (await session.execute(sa.select(breach_appeals).where(breach_appeals.c.breach_id.in_(breach_ids))
                                      .order_by(breach_appeals.c.lodged_at, breach_appeals.c.id))).all()
        for row in rows:
            found[row.breach_id].append(row)
    return found


async def get_breach(runtime: ServiceRuntime, *, breach_id: uuid.UUID, principal: Principal):
    """A breach and its appeals, for an officer or the employer or expert concerned (404 for anyone else)."""
    async with runtime.db.session() as session:
        row = (await session.execute(sa.select(contract_breaches).where(contract_breaches.c.id == breach_id))).first()
        if row is None or not may_read(principal, row):
            raise NotFound(f"no breach {breach_id}")
        return row, (await appeals_of(session, [row.id]))[row.id]


async def list_breaches(runtime: ServiceRuntime, *, principal: Principal, application_id: uuid.UUID | None = None,
                        state: str | None = None, cursor: str | None = None, limit: int = 50):
    """Breaches oldest first, limited to what the caller may see; returns (rows with appeals, next cursor)."""
    table = contract_breaches
    query = BREACHES_IN_ORDER.apply(_where(
        sa.select(table), scope(principal, table.c.employer_id, table.c.expert_id),
        None if application_id is None else table.c.application_id == application_id,
        None if state is None else table.c.state == state), cursor, limit)
    async with runtime.db.session() as session:
        if application_id is not None:
            await readable_selection(session, application_id, principal)
        page, next_cursor = BREACHES_IN_ORDER.split((await session.execute(query)).all(), limit)
        appeals = await appeals_of(session, [r.id for r in page])
    return [(r, appeals[r.id]) for r in page], next_cursor


async def list_appeals(runtime: ServiceRuntime, *, state: str | None, cursor: str | None, limit: int):
    """Appeals oldest first, for officers to decide."""
    table = breach_appeals
    query = APPEALS_IN_ORDER.apply(_where(sa.select(table), None if state is None else table.c.state == state),
                                   cursor, limit)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    return APPEALS_IN_ORDER.split(rows, limit)
