"""The annual run on both run modes: every open entitlement with a claim for the year paid once, in batches."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy.models import disbursements
from tests.support.finance import bank, finance_simulator
from tests.support.platform import eventually
from tests.support.subsidy import (
    FAST_SENDER, OFFICER, claim, haiju_claim, ledger_disbursed, open_entitlement, short_claim,
)
from shared.events.review import Track


async def start_run(platform, year: int) -> dict:
    async with platform.client("subsidy", OFFICER) as client:
        response = await client.post("/subsidy/v1/annual-runs", json={"funding_year": year})
    assert response.status_code == 202, response.text
    return response.json()


async def run_status(platform, run_id) -> dict:
    async with platform.client("subsidy", OFFICER) as client:
        return (await client.get(f"/subsidy/v1/annual-runs/{run_id}")).json()


async def test_annual_run_pays_every_claimed_entitlement_once_and_a_second_run_only_what_failed(platform):
    await platform.start(settings={"subsidy": {**FAST_SENDER, "annual_run_batch_size": 4}})
    claimed = []
    for i in range(9):
        entitlement = await open_entitlement(platform, track=Track.short_term if i % 3 == 0 else Track.haiju_long_term)
        body = short_claim() if i % 3 == 0 else haiju_claim()
        assert (await claim(platform, entitlement, body)).status_code == 201
        claimed.append(entitlement)
    unclaimed = await open_entitlement(platform)  # no claim for 2024: not part of the run
    other_year = await open_entitlement(platform)
    assert (await claim(platform, other_year, haiju_claim(period_end="2025-06-30"))).status_code == 201

    async with finance_simulator(platform, latency_seconds=0, settle_delay_seconds=0.01, failure_rate=0.3) as finance:
        first = await start_run(platform, 2024)
        assert first["entitlements_total"] == 9
        done = await eventually(lambda: _complete(platform, first["id"]), timeout=60, message="first run complete")
        assert done["entitlements_assessed"] == 9 and done["disbursements_issued"] == 9
        failed = done["disbursements"]["failed"]
        assert failed > 0, "with a 30 % failure rate over 9 payments (seeded), some fail"
        bank(finance).behaviour.failure_rate = 0.0
        second = await start_run(platform, 2024)
        again = await eventually(lambda: _complete(platform, second["id"]), timeout=60, message="second run")
        assert again["disbursements_issued"] == failed and again["disbursements"]["settled"] == failed

    granted = Decimal(done["amount_issued"])
    assert await ledger_disbursed(platform) == granted, "every grant of 2024 paid exactly once"
    async with platform.runtime("subsidy").db.session() as session:
        paid_to = (await session.execute(sa.select(disbursements.c.entitlement_id, sa.func.count()).where(
            disbursements.c.status == "settled").group_by(disbursements.c.entitlement_id))).all()
    assert {str(e) for e, n in paid_to} == {e["id"] for e in claimed} and all(n == 1 for _, n in paid_to)
    assert str(unclaimed["id"]) not in {str(e) for e, _ in paid_to}


async def _complete(platform, run_id):
    status = await run_status(platform, run_id)
    return status if status["complete"] else None


async def test_one_annual_run_of_a_year_at_a_time(platform):
    await platform.start(settings={"subsidy": {"annual_runner_enabled": False}})
    await start_run(platform, 2024)
    async with platform.client("subsidy", OFFICER) as client:
        second = await client.post("/subsidy/v1/annual-runs", json={"funding_year": 2024})
        bad = await client.post("/subsidy/v1/annual-runs", json={"funding_year": "2024"})
    assert second.status_code == 409 and second.json()["current_state"] == "running"
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "funding_year"
    await asyncio.sleep(0)
