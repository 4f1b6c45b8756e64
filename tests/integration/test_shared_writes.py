"""Writes the services share, on both run modes: ``uow.after_commit`` and the breach-replica upsert."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from services.intake.models import metadata as intake_metadata
from shared.breaches import upsert_breach

BREACHES = intake_metadata.tables["application_breaches"]  # intake's replica (R-SUPERVISE)
CONFIRMED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
WITHDRAWN = datetime(2026, 4, 1, 15, 0, tzinfo=UTC)


def breach_values(breach_id, application_id, expert_id) -> dict:
    return {"breach_id": breach_id, "application_id": application_id, "expert_id": expert_id,
            "attributable_to": "expert", "breach_date": date(2026, 3, 1), "confirmed_at": CONFIRMED}


def withdrawal_values(breach_id, application_id, expert_id) -> dict:
    return {"breach_id": breach_id, "application_id": application_id, "expert_id": expert_id,
            "withdrawn_at": WITHDRAWN}


async def record(runtime, values, update, **options):
    async with runtime.uow() as uow:
        written = await upsert_breach(uow.session, BREACHES, values, update=update, **options)
        await uow.commit()
    return written


async def replica(runtime, breach_id):
    async with runtime.db.session() as session:
        return (await session.execute(sa.select(BREACHES).where(BREACHES.c.breach_id == breach_id))).one()


async def test_after_commit_runs_once_after_a_commit_and_never_after_a_rollback(platform):
    await platform.start()
    runtime = platform.runtime("intake")
    called: list[str] = []

    async with runtime.uow() as uow:
        uow.after_commit(lambda: called.append("committed"))
        uow.audit("test_after_commit")
        assert called == []  # not before the commit
        await uow.commit()
    async with runtime.uow() as uow:
        uow.after_commit(lambda: called.append("left"))
        uow.audit("test_after_commit")
    with pytest.raises(RuntimeError):
        async with runtime.uow() as uow:
            uow.after_commit(lambda: called.append("failed"))
            raise RuntimeError("the handler failed")
    async with runtime.uow() as uow:
        uow.after_commit(lambda: called.append("rolled back"))
        await uow.rollback()
        uow.audit("test_after_commit")
        await uow.commit()

    assert called == ["committed"]


@pytest.mark.parametrize("order", ["breach first", "withdrawal first"])
async def test_the_breach_replica_ends_the_same_in_either_order(platform, order):
    await platform.start()
    runtime = platform.runtime("intake")
    ids = (uuid.uuid4(), uuid.uuid4(), uuid.uuid4())
    breach = (breach_values(*ids), ["attributable_to", "breach_date", "confirmed_at"])
    withdrawal = (withdrawal_values(*ids), ["withdrawn_at"])

    for values, update in ([breach, withdrawal] if order == "breach first" else [withdrawal, breach]):
        await record(runtime, values, update)

    row = await replica(runtime, ids[0])
    assert (row.attributable_to, row.breach_date, row.withdrawn_at) == ("expert", date(2026, 3, 1), WITHDRAWN)
    assert row.confirmed_at == CONFIRMED


async def test_a_guarded_upsert_leaves_a_known_row_and_returns_nothing(platform):
    await platform.start()
    runtime = platform.runtime("intake")
    ids = (uuid.uuid4(), uuid.uuid4(), uuid.uuid4())
    first = await record(runtime, breach_values(*ids), ["attributable_to"], where=BREACHES.c.attributable_to.is_(None),
                         returning=[BREACHES.c.attributable_to])

    again = {**breach_values(*ids), "attributable_to": "employer"}
    second = await record(runtime, again, ["attributable_to"], where=BREACHES.c.attributable_to.is_(None),
                          returning=[BREACHES.c.attributable_to])

    assert first.attributable_to == "expert"
    assert second is None
    assert (await replica(runtime, ids[0])).attributable_to == "expert"
