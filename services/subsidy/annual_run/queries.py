"""Reads of the annual runs: where a run stands, and a year's run still running (no writes, no unit of work)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.subsidy.annual_run.models import annual_runs
from services.subsidy.annual_run.domain import AnnualRunStatus
from services.subsidy.disbursements.domain import ACTIVE, DisbursementStatus
from services.subsidy.disbursements.models import disbursements
from shared.queries import one_or_404
from shared.runtime import ServiceRuntime


async def running_run(session, funding_year: int) -> uuid.UUID | None:
    """The id of the year's run still running, if any (one runs at a time)."""
    return (await session.execute(sa.select(annual_runs.c.id).where(
        annual_runs.c.funding_year == funding_year, annual_runs.c.status == AnnualRunStatus.running))).scalar()


async def annual_run_status(runtime: ServiceRuntime, *, run_id: uuid.UUID) -> dict:
    """The run as recorded, and where its disbursements stand at finance."""
    async with runtime.db.session() as session:
        run = await one_or_404(session, sa.select(annual_runs).where(annual_runs.c.id == run_id),
                               f"no annual run {run_id}")
        counts = dict((await session.execute(sa.select(disbursements.c.status, sa.func.count()).where(
            disbursements.c.run_id == run_id).group_by(disbursements.c.status))).all())
    result = dict(run._mapping)
    result.pop("leased_until", None)
    result["disbursements"] = {status.value: counts.get(status, 0) for status in DisbursementStatus}
    result["complete"] = run.status == AnnualRunStatus.issued and not any(counts.get(s, 0) for s in ACTIVE)
    return result
