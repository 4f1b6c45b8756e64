"""The annual run's batch in one statement on PostgreSQL: a set-based ``INSERT ... SELECT`` of every
disbursement the batch issues, no object per expert.

A fast path, kept for its measurement: docs/performance.md section 4 ("The annual subsidy run"), 100,000
experts assessed and issued at 33,577 a second with memory flat. SQLite (the embedded mode) takes the same
batch row by row (``handlers._issue_batch_in_python``); the tests run both."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from services.subsidy.disbursements.domain import COMMITTED, DisbursementStatus
from services.subsidy.ledger.domain import LedgerKind
from services.subsidy.disbursements.models import disbursements
from services.subsidy.entitlements.models import entitlements
from services.subsidy.ledger.models import ledger_entries


async def issue_batch(session, batch, run, now, batch_size: int):
    done = run.entitlements_assessed // batch_size
    if done & (done - 1) == 0:
        # The run grows `disbursements` fast: statistics refreshed after batches 0, 1, 2, 4, 8 ... keep the
        # planner on the indexes (a plan made for a nearly empty table turns quadratic as the run fills it).
        await session.execute(sa.text("ANALYZE disbursements"))
    # The batch's entitlements locked first, in a statement of their own: an officer's instruction (which locks
    # its entitlement) either committed before, and the INSERT below (its snapshot taken after the lock) counts
    # it, or waits and counts what the batch issued. In one statement the snapshot would predate the lock.
    await session.execute(batch.with_for_update(of=entitlements))
    ids = batch.cte("batch")
    granted = (sa.select(ledger_entries.c.entitlement_id, sa.func.sum(ledger_entries.c.amount).label("amount"))
               .where(ledger_entries.c.entitlement_id.in_(sa.select(ids.c.id)),
                      ledger_entries.c.kind == LedgerKind.grant, ledger_entries.c.funding_year == run.funding_year)
               .group_by(ledger_entries.c.entitlement_id).cte("granted"))
    committed = (sa.select(disbursements.c.entitlement_id, sa.func.sum(disbursements.c.amount).label("amount"))
                 .where(disbursements.c.entitlement_id.in_(sa.select(ids.c.id)),
                        disbursements.c.funding_year == run.funding_year,
                        disbursements.c.status.in_(COMMITTED))
                 .group_by(disbursements.c.entitlement_id).cte("committed"))
    due = (granted.c.amount - sa.func.coalesce(committed.c.amount, 0))
    pending = sa.literal(DisbursementStatus.pending.value)  # the value, so that the literal is typed (a String)
    select = (sa.select(sa.func.gen_random_uuid(), ids.c.id, ids.c.expert_id, ids.c.track, ids.c.employer_district,
                        sa.literal(run.funding_year), due, sa.literal(run.id, sa.Uuid), pending,
                        sa.false(), sa.literal(0), sa.literal(now, sa.DateTime(timezone=True)),
                        sa.literal(now, sa.DateTime(timezone=True)), sa.literal(now, sa.DateTime(timezone=True)))
              .select_from(ids.join(granted, granted.c.entitlement_id == ids.c.id)
                           .outerjoin(committed, committed.c.entitlement_id == ids.c.id))
              .where(due > 0))
    inserted = (insert(disbursements).from_select(
        ["id", "entitlement_id", "expert_id", "track", "district", "funding_year", "amount", "run_id", "status",
         "cancel_requested", "attempts", "next_attempt_at", "created_at", "updated_at"], select)
        .on_conflict_do_nothing(index_elements=["run_id", "entitlement_id"])
        .returning(disbursements.c.amount)).cte("inserted")
    row = (await session.execute(sa.select(
        sa.select(sa.func.count()).select_from(ids).scalar_subquery(),
        sa.select(ids.c.id).order_by(ids.c.id.desc()).limit(1).scalar_subquery(),
        sa.select(sa.func.count()).select_from(inserted).scalar_subquery(),
        sa.select(sa.func.coalesce(sa.func.sum(inserted.c.amount), 0)).scalar_subquery(),
    ))).one()
    assessed, last, issued, amount = row
    return assessed, issued, Decimal(amount).quantize(Decimal("0.01")), last
