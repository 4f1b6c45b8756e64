"""Recoveries after an expert-attributable breach (R-SUPERVISE, Art. 16) on both run modes: listed for the
officer, the employer and the expert (nobody else), repaid in part and in full by an officer's record of
each receipt, never beyond what is outstanding, and reconciled against the ledger."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy.disbursements import handlers
from services.subsidy.models import ledger_entries
from shared.events.review import ContractBreachWithdrawn
from tests.support.events import publish
from tests.support.finance import finance_simulator
from tests.support.platform import eventually
from tests.support.subsidy import (
    FAST_SENDER, OFFICER, _status_is, breach, claim, haiju_claim, open_entitlement, outbox_events,
)
from tests.support.timeline import read_timeline
from tests.support.tokens import auth

RECEIVED = "2025-01-15"


def parties(entitlement) -> dict[str, dict]:
    return {"employer": auth("employer", entitlement["employer_id"]),
            "expert": auth("expert", subject=entitlement["expert_id"])}


def strangers() -> dict[str, dict]:
    return {"another employer": auth("employer", str(uuid.uuid4())),
            "another expert": auth("expert", subject=str(uuid.uuid4()))}


async def recovered_entitlement(platform) -> tuple[dict, dict]:
    """36,600.00 paid for 2024, then a breach on 1 October: 9,100.00 on recovery (91 of 366 days)."""
    entitlement = await open_entitlement(platform)
    assert (await claim(platform, entitlement, haiju_claim())).status_code == 201
    runtime = platform.runtime("subsidy")
    [paid] = await handlers.issue_disbursements(
        runtime, [(uuid.UUID(entitlement["id"]), 2024, Decimal("36600.00"))], actor="test")
    runtime.extras.sender.wake()
    await eventually(lambda: _status_is(platform, paid, "settled"), message="payment settled")
    await publish(platform, breach(entitlement, breach_date=date(2024, 10, 1)))
    recoveries = await eventually(lambda: _recoveries(platform, OFFICER, expert_id=entitlement["expert_id"]),
                                  message="recovery opened")
    return entitlement, recoveries[0]


async def _recoveries(platform, headers, **params) -> list[dict]:
    async with platform.client("subsidy", headers) as client:
        response = await client.get("/subsidy/v1/recoveries", params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def repay(platform, recovery, amount: str, *, headers=OFFICER, received_on: str = RECEIVED,
                reference: str = "treasury voucher 2025-0042"):
    async with platform.client("subsidy", headers) as client:
        return await client.post(f"/subsidy/v1/recoveries/{recovery['id']}/repayments",
                                 json={"amount": amount, "received_on": received_on, "reference": reference})


async def recovery_of(platform, recovery, headers=OFFICER):
    async with platform.client("subsidy", headers) as client:
        return await client.get(f"/subsidy/v1/recoveries/{recovery['id']}")


async def reconcile(platform, day: str) -> dict:
    async with platform.client("subsidy", OFFICER) as client:
        response = await client.post("/subsidy/v1/reconciliations", json={"date": day})
    assert response.status_code == 201, response.text
    return response.json()


def recovery_differences(report: dict) -> list[dict]:
    return [d for d in report["differences"] if d["kind"] in ("repayment_ledger_differs", "recovery_status_differs")]


async def test_R_SUPERVISE_a_recovery_is_listed_to_those_it_concerns_and_no_one_else(platform):
    await platform.start(settings={"subsidy": FAST_SENDER})
    async with finance_simulator(platform, latency_seconds=0, settle_delay_seconds=0.01):
        entitlement, recovery = await recovered_entitlement(platform)

    assert (recovery["amount"], recovery["repaid"], recovery["outstanding"]) == ("9100.00", "0.00", "9100.00")
    assert (recovery["status"], recovery["repayments"]) == ("open", [])
    assert recovery["entitlement_id"] == entitlement["id"]
    assert recovery["employer_id"] == entitlement["employer_id"]
    assert "R-SUPERVISE" in recovery["explanation"]
    for who, headers in parties(entitlement).items():
        assert [r["id"] for r in await _recoveries(platform, headers)] == [recovery["id"]], who
        assert (await recovery_of(platform, recovery, headers)).json() == recovery, who
    for who, headers in strangers().items():
        assert await _recoveries(platform, headers) == [], who
        assert await _recoveries(platform, headers, expert_id=entitlement["expert_id"]) == [], who
        assert (await recovery_of(platform, recovery, headers)).status_code == 404, who
    assert (await recovery_of(platform, {"id": uuid.uuid4()})).status_code == 404
    async with platform.client("subsidy", auth("partner_agency", "entry-exit")) as client:
        assert (await client.get("/subsidy/v1/recoveries")).status_code == 403
    # Only an officer records a repayment: neither the employer nor the expert.
    for who, headers in parties(entitlement).items():
        assert (await repay(platform, recovery, "100.00", headers=headers)).status_code == 403, who


async def test_R_SUPERVISE_a_recovery_is_repaid_in_part_then_in_full_and_reconciled_with_the_ledger(platform):
    await platform.start(settings={"subsidy": FAST_SENDER})
    async with finance_simulator(platform, latency_seconds=0, settle_delay_seconds=0.01):
        entitlement, recovery = await recovered_entitlement(platform)

        above = await repay(platform, recovery, "9100.01")
        future = await repay(platform, recovery, "100.00", received_on="2999-01-01")
        zero = await repay(platform, recovery, "0")
        # Four receipts of 5,000.00 recorded at the same moment: only one fits in the 9,100.00 outstanding.
        at_once = await asyncio.gather(*(repay(platform, recovery, "5000.00", reference=f"voucher {i}")
                                         for i in range(4)))
        part = await recovery_of(platform, recovery)
        rest = await repay(platform, recovery, "4100.00", reference="voucher final")
        after = await recovery_of(platform, recovery)
        again = await repay(platform, recovery, "1.00")
        report = await reconcile(platform, RECEIVED)

    assert above.status_code == 422 and [e["field"] for e in above.json()["errors"]] == ["amount"]
    assert "9100.00" in above.json()["errors"][0]["message"]
    assert future.status_code == 422 and [e["field"] for e in future.json()["errors"]] == ["received_on"]
    assert zero.status_code == 422 and [e["field"] for e in zero.json()["errors"]] == ["amount"]
    assert sorted(r.status_code for r in at_once) == [201, 422, 422, 422], [r.text for r in at_once]
    [accepted] = [r for r in at_once if r.status_code == 201]
    assert accepted.json()["amount"] == "5000.00"
    assert accepted.headers["location"] == f"/subsidy/v1/recoveries/{recovery['id']}"
    part = part.json()
    assert (part["status"], part["repaid"], part["outstanding"]) == ("open", "5000.00", "4100.00")
    assert [p["id"] for p in part["repayments"]] == [accepted.json()["id"]]
    assert rest.status_code == 201, rest.text
    after = after.json()
    assert (after["status"], after["repaid"], after["outstanding"]) == ("repaid", "9100.00", "0.00")
    assert after["closed_at"] is not None
    assert again.status_code == 409 and again.json()["current_state"] == "repaid"
    assert await _recoveries(platform, OFFICER, status="repaid") == [after]
    assert await _recoveries(platform, OFFICER, status="open") == []
    # The ledger holds each repayment once, against the recovery, and says the same as the recovery.
    async with platform.client("subsidy", parties(entitlement)["expert"]) as client:
        ledger = (await client.get(f"/subsidy/v1/experts/{entitlement['expert_id']}/ledger")).json()
    repayments = [e for e in ledger["entries"] if e["kind"] == "repayment"]
    assert sorted(e["amount"] for e in repayments) == ["4100.00", "5000.00"]
    assert {e["reference"] for e in repayments} == {f"recovery:{recovery['id']}"}
    assert ledger["balances"][0]["recovered"] == "9100.00"
    events = await outbox_events(platform, "RecoveryRepaid")
    assert sorted((e["amount"], e["outstanding"]) for e in events) == [("4100.00", "0.00"), ("5000.00", "4100.00")]
    assert {e["recovery_id"] for e in events} == {recovery["id"]}
    assert recovery_differences(report) == []

    # A repayment row that reached the ledger without being recorded as one is a difference of that day.
    subsidy = platform.runtime("subsidy")
    async with subsidy.db.session() as session, session.begin():
        await session.execute(sa.insert(ledger_entries).values(
            entitlement_id=uuid.UUID(entitlement["id"]), expert_id=uuid.UUID(entitlement["expert_id"]),
            track="haiju_long_term", funding_year=2024, kind="repayment", amount=Decimal("1.00"),
            reference=f"recovery:{recovery['id']}", reason="booked by hand", recorded_at=datetime.now(UTC)))
    assert (await recovery_of(platform, recovery)).json()["outstanding"] == "-1.00"
    async with finance_simulator(platform, latency_seconds=0):
        tampered = await reconcile(platform, RECEIVED)
    assert {d["kind"] for d in recovery_differences(tampered)} == {"repayment_ledger_differs",
                                                                   "recovery_status_differs"}
    [ledger_differs] = [d for d in tampered["differences"] if d["kind"] == "repayment_ledger_differs"]
    assert (ledger_differs["ledger"], ledger_differs["repayments"]) == ("9101.00", "9100.00")


async def test_R_SUPERVISE_repayments_appear_on_the_experts_timeline(platform):
    await platform.start(settings={"subsidy": FAST_SENDER})
    async with finance_simulator(platform, latency_seconds=0, settle_delay_seconds=0.01):
        entitlement, recovery = await recovered_entitlement(platform)
    assert (await repay(platform, recovery, "9100.00")).status_code == 201

    async def repaid_shown():
        async with platform.client("directory") as client:
            entries = await read_timeline(client, entitlement["expert_id"])
        return [e for e in entries if e["type"] == "RecoveryRepaid"]

    [entry] = await eventually(repaid_shown, message="RecoveryRepaid on the timeline")
    assert entry["service"] == "subsidy"
    assert (entry["summary"]["recovery_id"], entry["summary"]["outstanding"]) == (recovery["id"], "0.00")


async def test_R_SUPERVISE_a_withdrawn_breach_says_what_was_already_repaid_is_to_be_refunded(platform):
    await platform.start(settings={"subsidy": FAST_SENDER})
    async with finance_simulator(platform, latency_seconds=0, settle_delay_seconds=0.01):
        entitlement, recovery = await recovered_entitlement(platform)
    assert (await repay(platform, recovery, "3000.00")).status_code == 201

    breach_id = uuid.UUID(recovery["breach_id"])
    await publish(platform, ContractBreachWithdrawn(
        breach_id=breach_id, expert_id=uuid.UUID(entitlement["expert_id"]),
        application_id=uuid.UUID(entitlement["application_id"]),
        withdrawn_at=datetime.now(UTC), withdrawn_by="officer-1", reason="appeal upheld"))

    [restored] = await eventually(lambda: outbox_events(platform, "BenefitsRestored"), message="benefits restored")
    assert restored["recoveries_cancelled"] == 1
    assert any(f"recovery {recovery['id']}: 3000.00 already repaid" in line for line in restored["not_restored"])
    cancelled = (await recovery_of(platform, recovery)).json()
    assert (cancelled["status"], cancelled["amount"], cancelled["repaid"]) == ("cancelled", "0.00", "3000.00")
    assert (await repay(platform, recovery, "1.00")).status_code == 409


async def test_a_repayment_sent_again_under_its_idempotency_key_is_recorded_once(platform):
    await platform.start(settings={"subsidy": FAST_SENDER})
    async with finance_simulator(platform, latency_seconds=0, settle_delay_seconds=0.01):
        _, recovery = await recovered_entitlement(platform)
    body = {"amount": "1000.00", "received_on": RECEIVED, "reference": "voucher 7"}
    path = f"/subsidy/v1/recoveries/{recovery['id']}/repayments"
    async with platform.client("subsidy", {**OFFICER, "Idempotency-Key": str(uuid.uuid4())}) as client:
        first = await client.post(path, json=body)
        retry = await client.post(path, json=body)  # the response was lost; the client sends it again

    assert first.status_code == retry.status_code == 201, retry.text
    assert retry.json() == first.json() and retry.headers.get("idempotent-replayed") == "true"
    after = (await recovery_of(platform, recovery)).json()
    assert (len(after["repayments"]), after["outstanding"]) == (1, "8100.00")
