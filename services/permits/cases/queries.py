"""Reads of green-channel cases: one case as its reader may see it, the list (oldest first), the SLA report."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import sqlalchemy as sa

from services.permits import domain
from services.permits.cases.domain import SlaState, may_see_case, sla_state
from services.permits.cases.schemas import CaseSla, SlaReport
from services.permits.domain import CaseStatus
from services.permits.settings import PermitsSettings
from services.permits.cases.models import green_channel_cases
from shared.auth import Principal
from shared.errors import NotFound
from shared.queries import Keyset, fetch_page
from shared.runtime import ServiceRuntime

CASES = Keyset.oldest_first(green_channel_cases.c.opened_at, green_channel_cases.c.id)


async def case_for(session, case_id: uuid.UUID, principal: Principal, *, lock: bool = False) -> Any:
    """The case, if ``principal`` may see it (404 otherwise, as if it did not exist).

    ``lock``: held FOR UPDATE until the caller's unit of work ends (a handler's step on the case)."""
    query = sa.select(green_channel_cases).where(green_channel_cases.c.id == case_id)
    if lock:
        query = query.with_for_update()
    case = (await session.execute(query)).first()
    if case is None or not may_see_case(principal, case):
        raise NotFound(f"no green-channel case {case_id}")
    return case


async def on_visible_case(session, table: sa.Table, row_id: uuid.UUID, principal: Principal, *, lock: bool,
                          detail: str) -> Any:
    """A row of ``table`` filed on a case (with the case's employer), if ``principal`` may see the case (404
    saying ``detail`` otherwise). ``lock``: the row (not its case) held FOR UPDATE until the caller's unit of
    work ends."""
    c = green_channel_cases
    query = sa.select(table, c.c.employer_id).join(c, c.c.id == table.c.case_id).where(table.c.id == row_id)
    if lock:
        query = query.with_for_update(of=table)
    row = (await session.execute(query)).first()
    if row is None or not may_see_case(principal, row):
        raise NotFound(detail)
    return row


async def get_case(runtime: ServiceRuntime, *, case_id: uuid.UUID, principal: Principal) -> Any:
    async with runtime.db.session() as session:
        return await case_for(session, case_id, principal)


def _organisation_uuid(principal: Principal) -> uuid.UUID | None:
    try:
        return uuid.UUID(principal.organisation or "")
    except ValueError:
        return None


async def list_cases(
    runtime: ServiceRuntime, *, principal: Principal, expert_id: uuid.UUID | None,
    application_id: uuid.UUID | None, status: CaseStatus | None, cursor: str | None, limit: int,
) -> tuple[list[Any], str | None]:
    """Officers see every case; an employer its own."""
    c = green_channel_cases
    query = sa.select(c)
    if not principal.is_officer:
        query = query.where(c.c.employer_id == _organisation_uuid(principal))
    if expert_id is not None:
        query = query.where(c.c.expert_id == expert_id)
    if application_id is not None:
        query = query.where(c.c.application_id == application_id)
    if status is not None:
        query = query.where(c.c.status == status.value)
    async with runtime.db.session() as session:
        return await fetch_page(session, query, CASES, cursor=cursor, limit=limit)


async def sla_report(runtime: ServiceRuntime, *, as_of: date) -> SlaReport:
    """R-GREEN: each case not revoked, on time, late, open or overdue as of ``as_of``."""
    settings: PermitsSettings = runtime.settings  # type: ignore[assignment]
    holidays = frozenset(settings.green_channel_public_holidays)
    cases = green_channel_cases
    async with runtime.db.session() as session:
        rows = (await session.execute(
            sa.select(cases).where(cases.c.status == CaseStatus.open.value)
            .order_by(cases.c.opened_at, cases.c.id)
        )).all()
    counts = dict.fromkeys(SlaState, 0)
    items = []
    for row in rows:
        opened_on = domain.beijing_date(row.opened_at)
        if opened_on > as_of:
            continue
        issued_on = domain.beijing_date(row.documents_issued_at) if row.documents_issued_at else None
        if issued_on is not None and issued_on > as_of:
            issued_on = None  # as it stood on as_of
        state = sla_state(due_by=row.due_by, documents_issued_on=issued_on, today=as_of)
        counts[state] += 1
        taken = domain.working_days_between(opened_on, issued_on, holidays) if issued_on else None
        items.append(CaseSla(case_id=row.id, expert_id=row.expert_id, opened_at=row.opened_at, due_by=row.due_by,
                             documents_issued_on=issued_on, sla_state=state, working_days_taken=taken))
    return SlaReport(as_of=as_of, cases=items, **{state.value: n for state, n in counts.items()})
