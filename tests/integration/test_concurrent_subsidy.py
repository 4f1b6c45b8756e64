"""Subsidy's other check-then-writes under simultaneous requests, on both run modes (R-SUB-RECURRING, R-YEAR-CAP).

Claims and disbursements are in ``test_concurrent_money.py``, repayments in ``test_subsidy_recoveries``; here
the officer's evaluations, ledger corrections, the annual run (its start, and its batches beside an officer's
instructions), and finance's duplicated callbacks. Of N identical requests the allowed number take effect,
the others are a clean 409/422 problem, and the money rows add up."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy.annual_run import handlers
from services.subsidy.models import annual_runs, disbursements, ledger_entries, performance_evaluations
from shared.events.review import Track
from simulators.finance.app import sign
from tests.support.concurrent import at_once, settled
from tests.support.subsidy import OFFICER, claim, haiju_claim, open_entitlement

NO_SENDER = {"disbursement_poll_seconds": 3600.0}


async def _post(platform, path: str, body: dict):
    async with platform.client("subsidy", OFFICER) as client:
        return await client.post(f"/subsidy/v1{path}", json=body)


async def test_r_sub_recurring_six_simultaneous_evaluations_of_one_work_year_record_one(platform):
    await platform.start()
    entitlement = await open_entitlement(platform, track=Track.key_industry_recurring)
    grades = ["excellent", "good", "qualified"] * 2

    responses = await at_once(6, lambda: _post(platform, f"/entitlements/{entitlement['id']}/evaluations",
                                               {"funding_year": 2024, "grade": grades.pop()}))

    [won], _ = settled(responses, ok=201)
    async with platform.runtime("subsidy").db.session() as session:
        stored = (await session.execute(sa.select(performance_evaluations.c.grade).where(
            performance_evaluations.c.entitlement_id == uuid.UUID(entitlement["id"])))).scalars().all()
    assert stored == [won.json()["grade"]]


async def test_six_simultaneous_corrections_to_one_amount_append_one_difference(platform):
    await platform.start(settings={"subsidy": NO_SENDER})
    entitlement = await open_entitlement(platform)
    assert (await claim(platform, entitlement, haiju_claim())).status_code == 201  # 120,000 + 18,000 for 2024
    async with platform.runtime("subsidy").db.session() as session:
        salary = (await session.execute(sa.select(ledger_entries).where(
            ledger_entries.c.entitlement_id == uuid.UUID(entitlement["id"]),
            ledger_entries.c.item_code == "salary_subsidy"))).one()

    responses = await at_once(6, lambda: _post(platform, f"/ledger-entries/{salary.id}/corrections", {
        "corrected_amount": "110000.00", "reason": "payroll of December counted twice"}))

    settled(responses, ok=201)
    async with platform.runtime("subsidy").db.session() as session:
        family = (await session.execute(sa.select(ledger_entries.c.amount).where(
            sa.or_(ledger_entries.c.id == salary.id, ledger_entries.c.corrects == salary.id)))).scalars().all()
    assert sorted(family) == [Decimal("-10000.00"), Decimal("120000.00")]


async def test_six_simultaneous_starts_of_one_year_s_annual_run_start_one(platform):
    await platform.start(settings={"subsidy": {**NO_SENDER, "annual_runner_enabled": False}})
    entitlement = await open_entitlement(platform)
    assert (await claim(platform, entitlement, haiju_claim())).status_code == 201

    responses = await at_once(6, lambda: _post(platform, "/annual-runs", {"funding_year": 2024}))

    [won], refused = settled(responses, ok=202)
    assert {r.json()["run_id"] for r in refused} == {won.json()["id"]}
    assert await platform.count("subsidy", annual_runs, annual_runs.c.funding_year == 2024) == 1


async def test_r_year_cap_an_annual_run_batch_and_officers_instructions_together_pay_no_more_than_granted(platform):
    """The run issues what is granted less what is paid or in payment; an officer instructing at the same moment
    is counted by the batch or counts the batch's instruction, never neither."""
    await platform.start(settings={"subsidy": {**NO_SENDER, "annual_runner_enabled": False}})
    entitlement = await open_entitlement(platform)
    assert (await claim(platform, entitlement, haiju_claim())).status_code == 201  # 138,000.00 for 2024
    started = await _post(platform, "/annual-runs", {"funding_year": 2024})
    assert started.status_code == 202, started.text
    runtime = platform.runtime("subsidy")

    async def batch():
        return await handlers.annual_run_batch(runtime, run_id=uuid.UUID(started.json()["id"]), batch_size=100,
                                               lease_seconds=60.0)

    async def instruct():
        return await _post(platform, f"/entitlements/{entitlement['id']}/disbursements",
                           {"funding_year": 2024, "amount": "69000.00"})

    results = await asyncio.gather(instruct(), batch(), instruct(), instruct())

    instructed = [r for r in results if not isinstance(r, tuple)]
    assert all(r.status_code in (201, 422) for r in instructed), [r.text for r in instructed]
    async with runtime.db.session() as session:
        amounts = (await session.execute(sa.select(disbursements.c.amount).where(
            disbursements.c.entitlement_id == uuid.UUID(entitlement["id"])))).scalars().all()
    assert sum(amounts, Decimal("0")) == Decimal("138000.00"), amounts
    _, run_issued, _ = results[1]
    assert sum(1 for r in instructed if r.status_code == 201) + run_issued == len(amounts)


async def test_six_simultaneous_copies_of_one_settlement_callback_book_it_once(platform):
    await platform.start(settings={"subsidy": NO_SENDER})
    entitlement = await open_entitlement(platform)
    assert (await claim(platform, entitlement, haiju_claim())).status_code == 201
    issued = await _post(platform, f"/entitlements/{entitlement['id']}/disbursements",
                         {"funding_year": 2024, "amount": "1000.00"})
    assert issued.status_code == 201, issued.text
    body = json.dumps({"event_id": "e1", "payment_id": "PAY-1", "reference": issued.json()["id"],
                       "status": "settled", "amount": "1000.00", "booked_on": "2024-12-31"}).encode()
    secret = platform.settings["subsidy"].callback_secret

    async def callback():
        async with platform.client("subsidy") as client:
            return await client.post("/subsidy/v1/finance/callbacks", content=body,
                                     headers={"Finance-Signature": sign(secret, int(time.time()), body)})

    responses = await at_once(6, callback)

    assert [r.status_code for r in responses] == [200] * 6, [r.text for r in responses]
    assert sorted(r.json()["outcome"] for r in responses) == ["duplicate"] * 5 + ["settled"]
    async with platform.runtime("subsidy").db.session() as session:
        booked = (await session.execute(sa.select(ledger_entries.c.amount).where(
            ledger_entries.c.kind == "disbursement"))).scalars().all()
    assert booked == [Decimal("1000.00")]
