"""Disbursements through municipal finance on both run modes: idempotent instructions, callbacks, polling, reconciliation."""

from __future__ import annotations

import json
import time
import uuid
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy.disbursements import handlers
from services.subsidy.models import disbursements
from shared import clock
from simulators.finance.app import sign
from tests.support.finance import bank, finance_simulator
from tests.support.platform import eventually
from tests.support.subsidy import FAST_SENDER, OFFICER, granted_entitlement, ledger_disbursed


async def statuses(platform) -> dict[str, int]:
    async with platform.runtime("subsidy").db.session() as session:
        rows = (await session.execute(
            sa.select(disbursements.c.status, sa.func.count()).group_by(disbursements.c.status))).all()
    return {status: count for status, count in rows}


async def test_1000_disbursements_with_30_percent_faults_pay_exactly_once_and_reconcile(platform):
    # PostgreSQL takes concurrent writers; SQLite serialises them, and more would only queue on its lock.
    concurrency = 48 if platform.mode == "real" else 16
    await platform.start(settings={"subsidy": {**FAST_SENDER, "disbursement_concurrency": concurrency,
                                               "disbursement_batch_size": 3 * concurrency}})
    entitlements = [await granted_entitlement(platform) for _ in range(10)]
    async with finance_simulator(platform, latency_seconds=0.002, error_rate=0.1, timeout_rate=0.1, hang_seconds=1.0,
                                 failure_rate=0.1, settle_delay_seconds=0.05, duplicate_callback_rate=0.2) as finance:
        runtime = platform.runtime("subsidy")
        amounts = [Decimal(f"{i % 97 + 1}.{i % 100:02d}") for i in range(1000)]
        await handlers.issue_disbursements(
            runtime, [(uuid.UUID(entitlements[i % 10]["id"]), 2024, amount) for i, amount in enumerate(amounts)],
            actor="test")
        runtime.extras.sender.wake()

        async def all_final():
            counts = await statuses(platform)
            return counts if set(counts) <= {"settled", "failed"} and sum(counts.values()) == 1000 else None

        final = await eventually(all_final, timeout=120, interval=0.5, message="every disbursement settled or failed")
        b = bank(finance)
        assert b.counts["errors_injected"] > 50 and b.counts["timeouts_injected"] > 50, b.counts
        assert b.counts["callbacks_duplicated"] > 0
        per_reference = [len(ids) for ids in b.by_reference.values()]
        assert len(per_reference) == 1000 and max(per_reference) == 1, "0 double payments"
        paid_by_finance = sum((p.amount for p in b.payments.values() if p.status == "settled"), Decimal("0"))
        failed_by_finance = sum((p.amount for p in b.payments.values() if p.status == "failed"), Decimal("0"))
        assert paid_by_finance + failed_by_finance == sum(amounts)
        assert final["failed"] == sum(1 for p in b.payments.values() if p.status == "failed") > 0
        assert await ledger_disbursed(platform) == paid_by_finance, "the ledger equals the expected total exactly"

        async with platform.client("subsidy", OFFICER) as client:
            report = await client.post("/subsidy/v1/reconciliations",
                                       json={"date": clock.beijing_today().isoformat()})
        assert report.status_code == 201, report.text
        assert report.json()["ours"] == 1000 and report.json()["theirs"] == 1000
        assert report.json()["differences"] == []


async def test_signed_callback_settles_once_and_bad_signatures_change_nothing(platform):
    await platform.start(settings={"subsidy": {**FAST_SENDER, "disbursement_status_poll_after_seconds": 600}})
    entitlement = await granted_entitlement(platform)
    async with finance_simulator(platform, latency_seconds=0, callbacks_enabled=False, settle_delay_seconds=0.01) as f:
        async with platform.client("subsidy", OFFICER) as client:
            response = await client.post(f"/subsidy/v1/entitlements/{entitlement['id']}/disbursements",
                                         json={"funding_year": 2024, "amount": "1000.00"})
            assert response.status_code == 201, response.text
            disbursement_id = response.json()["id"]
            too_much = await client.post(f"/subsidy/v1/entitlements/{entitlement['id']}/disbursements",
                                         json={"funding_year": 2024, "amount": "137000.01"})
            assert too_much.status_code == 422 and too_much.json()["errors"][0]["field"] == "amount"

            async def accepted():
                return (await client.get(f"/subsidy/v1/disbursements/{disbursement_id}")).json()["status"] == "accepted"

            await eventually(accepted, message="finance accepted the instruction")
            await eventually(lambda: bank(f).payments and all(p.status == "settled" for p in bank(f).payments.values()),
                             message="settled at finance")
            payment = next(iter(bank(f).payments.values()))
            body = json.dumps({"event_id": "e1", **payment.read().model_dump(mode="json")}).encode()
            secret = platform.settings["subsidy"].callback_secret
            now = int(time.time())
            url = "/subsidy/v1/finance/callbacks"
            forged = await client.post(url, content=body, headers={"Finance-Signature": sign("wrong", now, body)})
            stale = await client.post(url, content=body, headers={"Finance-Signature": sign(secret, now - 3600, body)})
            assert (forged.status_code, stale.status_code) == (401, 400)
            assert (await client.get(f"/subsidy/v1/disbursements/{disbursement_id}")).json()["status"] == "accepted"
            first = await client.post(url, content=body, headers={"Finance-Signature": sign(secret, now, body)})
            again = await client.post(url, content=body, headers={"Finance-Signature": sign(secret, now, body)})
            assert (first.json(), again.json()) == ({"outcome": "settled"}, {"outcome": "duplicate"})
            assert (await client.get(f"/subsidy/v1/disbursements/{disbursement_id}")).json()["status"] == "settled"
    assert await ledger_disbursed(platform) == Decimal("1000.00")


async def test_without_callbacks_polling_finds_the_final_status(platform):
    await platform.start(settings={"subsidy": {**FAST_SENDER, "disbursement_status_poll_after_seconds": 0.2}})
    entitlement = await granted_entitlement(platform)
    async with finance_simulator(platform, latency_seconds=0, callbacks_enabled=False, failure_rate=1.0,
                                 settle_delay_seconds=0.01):
        disbursement_id = await handlers.issue_disbursement(
            platform.runtime("subsidy"), entitlement_id=uuid.UUID(entitlement["id"]), funding_year=2024,
            amount=Decimal("500.00"), actor="test")
        platform.runtime("subsidy").extras.sender.wake()

        async def failed():
            async with platform.client("subsidy", OFFICER) as client:
                row = (await client.get(f"/subsidy/v1/disbursements/{disbursement_id}")).json()
            return row if row["status"] == "failed" else None

        row = await eventually(failed, message="the failure learnt by polling")
        assert "refused" in row["failure_reason"]
    assert await ledger_disbursed(platform) == 0
