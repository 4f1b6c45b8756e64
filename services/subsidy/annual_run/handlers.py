"""The annual run of a funding year: started once at a time, leased to a runner, and carried out in batches that
each issue what every open entitlement with a claim has still to receive, with the run's cursor."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy.annual_run import set_based
from services.subsidy.annual_run.domain import AnnualRunStatus
from services.subsidy.annual_run.models import annual_runs
from services.subsidy.annual_run.queries import running_run
from services.subsidy.claims.models import claims
from services.subsidy.disbursements.domain import DisbursementStatus
from services.subsidy.disbursements.queries import still_due
from services.subsidy.entitlements.domain import EntitlementStatus
from services.subsidy.disbursements.models import disbursements
from services.subsidy.entitlements.models import entitlements
from shared import clock
from shared.errors import Conflict
from shared.runtime import ServiceRuntime


def _run_candidates(funding_year: int):
    """Open entitlements with a claim for the year: the run's population, in keyset order."""
    return sa.and_(entitlements.c.status == EntitlementStatus.open, sa.exists().where(
        claims.c.entitlement_id == entitlements.c.id, claims.c.funding_year == funding_year))


_ANNUAL_RUN_LOCK = 0x53554244
"""The first key of the PostgreSQL advisory lock that serialises the starts of a year's annual run."""


async def start_annual_run(runtime: ServiceRuntime, *, funding_year: int, actor: str) -> uuid.UUID:
    """Record a run for ``funding_year``; one run of a year at a time (409 naming the one running)."""
    now = clock.now()
    async with runtime.uow() as uow:
        if not runtime.db.is_sqlite:
            # Starts of one year queue here: there is no row to lock before the first run exists (on SQLite,
            # BEGIN IMMEDIATE runs them one after the other already).
            await uow.session.execute(sa.select(sa.func.pg_advisory_xact_lock(_ANNUAL_RUN_LOCK, funding_year)))
        running = await running_run(uow.session, funding_year)
        if running is not None:
            raise Conflict(f"the annual run {running} of {funding_year} is still running",
                           current_state=AnnualRunStatus.running.value,
                           run_id=str(running))
        total = (await uow.session.execute(sa.select(sa.func.count()).select_from(entitlements).where(
            _run_candidates(funding_year)))).scalar_one()
        run_id = uuid.uuid4()
        await uow.session.execute(sa.insert(annual_runs).values(
            id=run_id, funding_year=funding_year, status=AnnualRunStatus.running, cursor=None, entitlements_total=total,
            entitlements_assessed=0, disbursements_issued=0, amount_issued=Decimal("0"), started_by=actor,
            started_at=now, updated_at=now))
        uow.audit("start_annual_run", object_type="annual_run", object_id=run_id,
                  detail={"funding_year": funding_year, "entitlements": total})
        uow.after_commit(runtime.extras.annual_runner.wake)  # carried out now, not at the runner's next poll
        await uow.commit()
    return run_id


async def claim_annual_run(runtime: ServiceRuntime, *, lease_seconds: float, run_id: uuid.UUID | None = None):
    """Lease a running run nobody holds (a crashed runner's lease has expired): the one to resume."""
    now = clock.now()
    async with runtime.uow() as uow:
        query = sa.select(annual_runs).where(
            annual_runs.c.status == AnnualRunStatus.running,
            sa.or_(annual_runs.c.leased_until.is_(None), annual_runs.c.leased_until <= now)).limit(1)
        if run_id is not None:
            query = query.where(annual_runs.c.id == run_id)
        if runtime.db.supports_skip_locked:
            query = query.with_for_update(skip_locked=True)
        row = (await uow.session.execute(query)).first()
        if row is None:
            return None
        await uow.session.execute(sa.update(annual_runs).where(annual_runs.c.id == row.id).values(
            leased_until=now + timedelta(seconds=lease_seconds)))
        await uow.commit()
    return row


async def annual_run_batch(runtime: ServiceRuntime, *, run_id: uuid.UUID, batch_size: int,
                           lease_seconds: float) -> tuple[int, int, bool]:
    """Assess the next ``batch_size`` entitlements after the run's cursor and issue what each has still to
    receive for the year (granted, less what is paid or in payment), with the cursor, in one transaction.

    Set-based: on PostgreSQL one INSERT ... SELECT per batch; no object per expert. A run killed at any
    point resumes after the last committed batch, and (run, entitlement) is unique besides, so no
    entitlement is issued twice by one run. Returns (assessed, issued, done).
    """
    now = clock.now()
    async with runtime.uow() as uow:
        session = uow.session
        run = (await session.execute(sa.select(annual_runs).where(annual_runs.c.id == run_id)
                                     .with_for_update())).one()
        if run.status != AnnualRunStatus.running:
            return 0, 0, True
        year = run.funding_year
        batch = (sa.select(entitlements.c.id, entitlements.c.expert_id, entitlements.c.track,
                           entitlements.c.employer_district)
                 .where(_run_candidates(year)).order_by(entitlements.c.id).limit(batch_size))
        if run.cursor is not None:
            batch = batch.where(entitlements.c.id > run.cursor)
        if runtime.db.is_sqlite:
            assessed, issued, amount, last = await _issue_batch_in_python(session, batch, run, now)
        else:
            assessed, issued, amount, last = await set_based.issue_batch(session, batch, run, now, batch_size)
        done = assessed < batch_size
        values = {"entitlements_assessed": run.entitlements_assessed + assessed,
                  "disbursements_issued": run.disbursements_issued + issued,
                  "amount_issued": run.amount_issued + amount, "updated_at": now,
                  "leased_until": now + timedelta(seconds=lease_seconds)}
        if last is not None:
            values["cursor"] = last
        if done:
            values.update(status=AnnualRunStatus.issued, issued_at=now, leased_until=None)
            uow.audit("annual_run_issued", object_type="annual_run", object_id=run_id,
                      detail={"funding_year": year, "disbursements": values["disbursements_issued"],
                              "amount": f"{values['amount_issued']:.2f}"})
        await session.execute(sa.update(annual_runs).where(annual_runs.c.id == run_id).values(**values))
        if issued:
            uow.after_commit(runtime.extras.sender.wake)  # the batch's disbursements go now
        await uow.commit()
    return assessed, issued, done


async def _issue_batch_in_python(session, batch, run, now):
    rows = (await session.execute(batch)).all()
    if not rows:
        return 0, 0, Decimal("0"), None
    ids = [r.id for r in rows]
    due = {entitlement_id: amount for (entitlement_id, _), amount in
           (await still_due(session, ids, funding_year=run.funding_year)).items()}
    already = set((await session.execute(sa.select(disbursements.c.entitlement_id).where(
        disbursements.c.run_id == run.id, disbursements.c.entitlement_id.in_(ids)))).scalars())
    values = [{"id": uuid.uuid4(), "entitlement_id": r.id, "expert_id": r.expert_id, "track": r.track,
               "district": r.employer_district, "funding_year": run.funding_year, "amount": due[r.id],
               "run_id": run.id, "status": DisbursementStatus.pending, "cancel_requested": False, "attempts": 0,
               "next_attempt_at": now, "created_at": now, "updated_at": now}
              for r in rows if due.get(r.id, Decimal("0")) > 0 and r.id not in already]
    if values:
        await session.execute(sa.insert(disbursements), values)
    return len(rows), len(values), sum((v["amount"] for v in values), Decimal("0")), rows[-1].id
