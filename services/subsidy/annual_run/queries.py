"""Reads of the annual runs: where a run stands, the runs latest first, and a year's run still running (no writes,
no unit of work)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.subsidy.annual_run.models import annual_runs
from services.subsidy.annual_run.domain import AnnualRunStatus
from services.subsidy.disbursements.domain import ACTIVE, DisbursementStatus
from services.subsidy.disbursements.models import disbursements
from shared.queries import Keyset, fetch_page, one_or_404, where_given
from shared.runtime import ServiceRuntime


async def running_run(session, funding_year: int) -> uuid.UUID | None:
    """The id of the year's run still running, if any (one runs at a time)."""
    return (await session.execute(sa.select(annual_runs.c.id).where(
        annual_runs.c.funding_year == funding_year, annual_runs.c.status == AnnualRunStatus.running))).scalar()


LATEST_FIRST = Keyset.latest_first(annual_runs.c.started_at, annual_runs.c.id)


def _shown(run, counts: dict[str, int]) -> dict:
    """A run as recorded, with its disbursements by status at finance and whether it is complete."""
    result = dict(run._mapping)
    result.pop("leased_until", None)
    result["disbursements"] = {status.value: counts.get(status, 0) for status in DisbursementStatus}
    result["complete"] = run.status == AnnualRunStatus.issued and not any(counts.get(s, 0) for s in ACTIVE)
    return result


async def _counts(session, run_ids) -> dict[uuid.UUID, dict[str, int]]:
    counts: dict[uuid.UUID, dict[str, int]] = {run_id: {} for run_id in run_ids}
    if run_ids:
        for run_id, status, n in (await session.execute(
                sa.select(disbursements.c.run_id, disbursements.c.status, sa.func.count())
                .where(disbursements.c.run_id.in_(run_ids))
                .group_by(disbursements.c.run_id, disbursements.c.status))).all():
            counts[run_id][status] = n
    return counts


async def annual_run_status(runtime: ServiceRuntime, *, run_id: uuid.UUID) -> dict:
    """The run as recorded, and where its disbursements stand at finance."""
    async with runtime.db.session() as session:
        run = await one_or_404(session, sa.select(annual_runs).where(annual_runs.c.id == run_id),
                               f"no annual run {run_id}")
        counts = await _counts(session, [run_id])
    return _shown(run, counts[run_id])


async def list_annual_runs(runtime: ServiceRuntime, *, funding_year: int | None = None, cursor: str | None = None,
                           limit: int = 20) -> tuple[list[dict], str | None]:
    """The runs, latest started first, each as ``annual_run_status`` shows it (one count for the whole page)."""
    query = where_given(sa.select(annual_runs), (annual_runs.c.funding_year, funding_year))
    async with runtime.db.session() as session:
        runs, next_cursor = await fetch_page(session, query, LATEST_FIRST, cursor=cursor, limit=limit)
        counts = await _counts(session, [run.id for run in runs])
    return [_shown(run, counts[run.id]) for run in runs], next_cursor
