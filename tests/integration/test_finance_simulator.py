"""The finance simulator enforces idempotency keys as a payment API does; subsidy's client copes with it."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from decimal import Decimal

import httpx
import pytest

from services.subsidy.adapters.finance import CallbackRefused, FinanceClient, Unavailable, idempotency_key, verify_callback
from shared import clock
from simulators.finance.app import sign
from tests.support.finance import FINANCE_BASE, bank, client_of, finance_simulator

BODY = {"reference": "d-1", "amount": "1000.00", "currency": "CNY", "payee": "expert", "purpose": "test"}


def finance_client(app, **kwargs) -> FinanceClient:
    options = {"timeout": 1.0, "attempts": 3, "backoff": 0.01, **kwargs}
    return FinanceClient(FINANCE_BASE, transport=httpx.ASGITransport(app=app), **options)


async def test_same_key_same_body_answers_the_first_payment_again():
    async with finance_simulator(latency_seconds=0) as app, client_of(app) as c:
        first = await c.post("/finance/v1/payments", json=BODY, headers={"Idempotency-Key": "k1"})
        again = await c.post("/finance/v1/payments", json=BODY, headers={"Idempotency-Key": "k1"})
        assert first.status_code == 201 and again.status_code == 200
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.json()["payment_id"] == first.json()["payment_id"]
        assert len(bank(app).payments) == 1


async def test_same_key_with_another_body_is_422_and_pays_nothing():
    async with finance_simulator(latency_seconds=0) as app, client_of(app) as c:
        await c.post("/finance/v1/payments", json=BODY, headers={"Idempotency-Key": "k1"})
        other = await c.post("/finance/v1/payments", json={**BODY, "amount": "2000.00"},
                             headers={"Idempotency-Key": "k1"})
        missing = await c.post("/finance/v1/payments", json=BODY)
        assert other.status_code == 422 and other.json()["errors"][0]["field"] == "Idempotency-Key"
        assert missing.status_code == 422
        assert len(bank(app).payments) == 1


async def test_same_key_while_the_first_is_in_flight_is_409():
    async with finance_simulator(latency_seconds=0.3) as app, client_of(app) as c:
        first, second = await asyncio.gather(
            c.post("/finance/v1/payments", json=BODY, headers={"Idempotency-Key": "k1"}),
            _after(0.05, c.post("/finance/v1/payments", json=BODY, headers={"Idempotency-Key": "k1"})))
        assert (first.status_code, second.status_code) == (201, 409)
        assert len(bank(app).payments) == 1


async def _after(seconds, coro):
    await asyncio.sleep(seconds)
    return await coro


async def test_a_503_commits_nothing_and_the_client_retries_with_the_same_key():
    async with finance_simulator(latency_seconds=0, error_rate=1.0) as app:
        client = finance_client(app)
        disbursement = uuid.uuid4()
        with pytest.raises(Unavailable):
            await client.instruct(disbursement_id=disbursement, amount=Decimal("10.00"), payee="p", purpose="x")
        assert bank(app).payments == {} and bank(app).counts["errors_injected"] == 3
        bank(app).behaviour.error_rate = 0.0
        payment = await client.instruct(disbursement_id=disbursement, amount=Decimal("10.00"), payee="p", purpose="x")
        assert payment.reference == str(disbursement) and payment.amount == Decimal("10.00")
        await client.close()


async def test_a_time_out_after_committing_is_found_by_polling_and_a_retry_pays_once():
    async with finance_simulator(latency_seconds=0, timeout_rate=1.0, hang_seconds=5) as app:
        client = finance_client(app, timeout=0.2, attempts=1)
        disbursement = uuid.uuid4()
        with pytest.raises(Unavailable):
            await client.instruct(disbursement_id=disbursement, amount=Decimal("10.00"), payee="p", purpose="x")
        found = await client.find(disbursement)
        assert found is not None and found.reference == str(disbursement)
        bank(app).behaviour.timeout_rate = 0.0
        again = await client.instruct(disbursement_id=disbursement, amount=Decimal("10.00"), payee="p", purpose="x")
        assert again.payment_id == found.payment_id and len(bank(app).payments) == 1
        assert list(bank(app).keys) == [idempotency_key(disbursement)]
        await client.close()


async def test_statement_lists_what_was_booked_and_cancel_stops_an_unsettled_payment():
    async with finance_simulator(latency_seconds=0, settle_delay_seconds=0.05) as app:
        client = finance_client(app)
        paid = await client.instruct(disbursement_id=uuid.uuid4(), amount=Decimal("5.00"), payee="p", purpose="x")
        bank(app).behaviour.settle_delay_seconds = 60
        stopped = await client.instruct(disbursement_id=uuid.uuid4(), amount=Decimal("7.00"), payee="p", purpose="x")
        assert (await client.cancel(stopped.payment_id)).status == "cancelled"
        await asyncio.sleep(0.2)
        entries = {p.payment_id: p.status for p in await client.statement(clock.beijing_today())}
        assert entries == {paid.payment_id: "settled", stopped.payment_id: "cancelled"}
        assert (await client.cancel(paid.payment_id)).status == "settled", "a settled payment cannot be cancelled"
        await client.close()


def test_callback_signature_timestamp_tolerance_and_tampering():
    body = json.dumps({"status": "settled"}).encode()
    now = int(time.time())
    verify_callback("s3cret", sign("s3cret", now, body), body, tolerance=300)
    for header, reason in [(None, "missing-signature"), ("v1=abc", "malformed-signature"),
                           (sign("s3cret", now - 301, body), "stale-or-future-timestamp"),
                           (sign("s3cret", now + 301, body), "stale-or-future-timestamp"),
                           (sign("other", now, body), "invalid-signature")]:
        with pytest.raises(CallbackRefused) as refused:
            verify_callback("s3cret", header, body, tolerance=300)
        assert refused.value.reason == reason
    with pytest.raises(CallbackRefused):
        verify_callback("s3cret", sign("s3cret", now, body), body + b" ", tolerance=300)
