"""Revocation after a contract breach (R-SUPERVISE) and evaluations from review (R-SUB-RECURRING), both run modes."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from services.subsidy.disbursements import handlers
from shared.events.review import BreachAttribution, ContractBreached, ContractBreachWithdrawn, Grade, PerformanceEvaluated
from tests.support.events import publish
from tests.support.finance import bank, finance_simulator
from tests.support.platform import eventually
from tests.support.subsidy import (
    FAST_SENDER, OFFICER, _status_is, approval, breach, claim, entitlement_status, entitlements_of, haiju_claim,
    ledger_disbursed, open_entitlement, outbox_events, recurring_claim,
)
from shared.events.review import Track


async def test_R_SUPERVISE_expert_breach_cancels_pending_payments_and_recovers_what_was_paid_after_it(platform):
    await platform.start(settings={"subsidy": FAST_SENDER})
    entitlement = await open_entitlement(platform)
    assert (await claim(platform, entitlement, haiju_claim())).status_code == 201  # 138,000.00 for 2024
    runtime = platform.runtime("subsidy")
    async with finance_simulator(platform, latency_seconds=0, settle_delay_seconds=0.01) as finance:
        [paid] = await handlers.issue_disbursements(
            runtime, [(uuid.UUID(entitlement["id"]), 2024, Decimal("36600.00"))], actor="test")
        runtime.extras.sender.wake()
        await eventually(lambda: _status_is(platform, paid, "settled"), message="first payment settled")
        bank(finance).behaviour.settle_delay_seconds = 600  # the next one stays unsettled at finance
        [pending] = await handlers.issue_disbursements(
            runtime, [(uuid.UUID(entitlement["id"]), 2024, Decimal("1000.00"))], actor="test")
        runtime.extras.sender.wake()
        await eventually(lambda: _status_is(platform, pending, "accepted"), message="second payment accepted")

        await publish(platform, breach(entitlement, breach_date=date(2024, 10, 1)))

        await eventually(lambda: _status_is(platform, pending, "cancelled"), message="pending payment cancelled")
        assert [p.status for p in bank(finance).payments.values()] == ["settled", "cancelled"]
        assert await entitlement_status(platform, entitlement) == "revoked"
        async with platform.client("subsidy", OFFICER) as client:
            later = await client.post(f"/subsidy/v1/entitlements/{entitlement['id']}/disbursements",
                                      json={"funding_year": 2024, "amount": "10.00"})
            ledger = (await client.get(f"/subsidy/v1/experts/{entitlement['expert_id']}/ledger")).json()
        assert later.status_code == 409 and later.json()["current_state"] == "revoked"
    # 36,600.00 paid for 2024; 91 of its 366 days follow 1 October: 9,100.00 owed back.
    assert ledger["balances"][0]["recovered"] == "9100.00"
    assert await ledger_disbursed(platform) == Decimal("36600.00")
    [revoked] = await outbox_events(platform, "BenefitsRevoked")
    assert (revoked["entitlements_revoked"], revoked["disbursements_cancelled"], revoked["recovery_amount"]) == (
        1, 1, "9100.00")
    async with platform.client("subsidy", OFFICER) as client:
        stats = (await client.get("/subsidy/v1/statistics", params={"funding_year": 2024})).json()
        none = (await client.get("/subsidy/v1/statistics", params={"district": "chaoyang"})).json()
    assert stats["rows"] == [{"funding_year": 2024, "track": "haiju_long_term", "district": "haidian",
                              "granted": "138000.00", "disbursed": "36600.00", "paid": "36600.00", "failed": "0.00",
                              "recovered": "9100.00"}]
    assert none["rows"] == []


async def test_R_SUPERVISE_employer_breach_changes_no_entitlement(platform):
    await platform.start()
    entitlement = await open_entitlement(platform)
    event = breach(entitlement, attributable_to=BreachAttribution.employer)
    await publish(platform, event)
    await eventually(lambda: _inbox_has(platform, event), message="breach consumed")
    assert await entitlement_status(platform, entitlement) == "open"
    assert await outbox_events(platform, "BenefitsRevoked") == []


async def _inbox_has(platform, event) -> bool:
    inbox = platform.runtime("subsidy").tables.inbox
    return await platform.count("subsidy", inbox, inbox.c.event_type == event.event_type) > 0


async def test_R_SUPERVISE_a_breach_before_the_approval_still_ends_revoked_and_withdrawal_reopens(platform):
    await platform.start()
    approved = approval()
    early = ContractBreached(
        breach_id=uuid.uuid4(), expert_id=approved.expert.expert_id, employer_id=approved.employer.employer_id,
        application_id=approved.application_id, breach_date=date(2024, 9, 1), attributable_to=BreachAttribution.expert,
        reported_by="employer", confirmed_by="officer", facts="never started")
    await publish(platform, early)
    await eventually(lambda: _inbox_has(platform, early), message="breach consumed first")
    await publish(platform, approved)
    [entitlement] = await eventually(lambda: entitlements_of(platform, approved.expert.expert_id),
                                     message="entitlement opened")
    assert entitlement["status"] == "revoked"
    assert len(await outbox_events(platform, "BenefitsRevoked")) == 1

    await publish(platform, ContractBreachWithdrawn(
        breach_id=early.breach_id, expert_id=early.expert_id, application_id=early.application_id,
        withdrawn_at=datetime.now(UTC), withdrawn_by="appeals", reason="appeal upheld"))
    await eventually(lambda: _reopened(platform, entitlement), message="entitlement reopened")
    [restored] = await eventually(lambda: outbox_events(platform, "BenefitsRestored"), message="restored")
    assert restored["entitlements_reopened"] == 1 and restored["not_restored"] == []


async def _reopened(platform, entitlement) -> bool:
    return await entitlement_status(platform, entitlement) == "open"


async def test_withdrawal_cancels_open_recoveries_and_says_what_it_could_not_restore(platform):
    await platform.start(settings={"subsidy": FAST_SENDER})
    entitlement = await open_entitlement(platform)
    assert (await claim(platform, entitlement, haiju_claim())).status_code == 201
    runtime = platform.runtime("subsidy")
    async with finance_simulator(platform, latency_seconds=0, settle_delay_seconds=0.01) as finance:
        [paid] = await handlers.issue_disbursements(
            runtime, [(uuid.UUID(entitlement["id"]), 2024, Decimal("36600.00"))], actor="test")
        runtime.extras.sender.wake()
        await eventually(lambda: _status_is(platform, paid, "settled"), message="settled")
        bank(finance).behaviour.settle_delay_seconds = 600
        [pending] = await handlers.issue_disbursements(
            runtime, [(uuid.UUID(entitlement["id"]), 2024, Decimal("1000.00"))], actor="test")
        runtime.extras.sender.wake()
        await eventually(lambda: _status_is(platform, pending, "accepted"), message="accepted")
        event = breach(entitlement, breach_date=date(2024, 10, 1))
        await publish(platform, event)
        await eventually(lambda: _status_is(platform, pending, "cancelled"), message="cancelled")
        await publish(platform, ContractBreachWithdrawn(
            breach_id=event.breach_id, expert_id=event.expert_id, application_id=event.application_id,
            withdrawn_at=datetime.now(UTC), withdrawn_by="appeals", reason="appeal upheld"))
        [restored] = await eventually(lambda: outbox_events(platform, "BenefitsRestored"), message="restored")
    assert restored["recoveries_cancelled"] == 1 and restored["entitlements_reopened"] == 1
    assert len(restored["not_restored"]) == 1 and "not reinstated" in restored["not_restored"][0]
    async with platform.client("subsidy", OFFICER) as client:
        ledger = (await client.get(f"/subsidy/v1/experts/{entitlement['expert_id']}/ledger")).json()
    assert ledger["balances"][0]["recovered"] == "0.00"
    assert await entitlement_status(platform, entitlement) == "open"


def evaluation(approved, year: int, grade: Grade, at: datetime) -> PerformanceEvaluated:
    return PerformanceEvaluated(
        evaluation_id=uuid.uuid4(), application_id=approved.application_id, expert_id=approved.expert.expert_id,
        employer_id=approved.employer.employer_id, funding_year=year, grade=grade, evaluated_at=at,
        evaluated_by="officer-7")


async def test_R_SUB_RECURRING_evaluation_from_review_before_the_approval_funds_the_claim(platform):
    await platform.start()
    approved = approval(track=Track.key_industry_recurring)
    early = evaluation(approved, 2024, Grade.unqualified, datetime(2025, 1, 10, tzinfo=UTC))
    await publish(platform, early)
    await eventually(lambda: _inbox_has(platform, early), message="evaluation consumed")
    await publish(platform, approved)
    [entitlement] = await eventually(lambda: entitlements_of(platform, approved.expert.expert_id),
                                     message="entitlement opened")
    async with platform.client("subsidy", OFFICER) as client:
        officer = await client.post(f"/subsidy/v1/entitlements/{entitlement['id']}/evaluations",
                                    json={"funding_year": 2024, "grade": "excellent"})
    assert officer.status_code == 409 and officer.json()["source"] == "review"
    response = await claim(platform, entitlement, recurring_claim())
    assert response.status_code == 201, response.text
    assert response.json()["inputs"]["performance"] == "unqualified"
    assert response.json()["total"] == "0.00"


async def test_R_SUB_RECURRING_review_evaluation_prevails_over_the_officers_whatever_the_order(platform):
    await platform.start()
    approved = approval(track=Track.key_industry_recurring)
    await publish(platform, approved)
    [entitlement] = await eventually(lambda: entitlements_of(platform, approved.expert.expert_id),
                                     message="entitlement opened")
    async with platform.client("subsidy", OFFICER) as client:
        officer = await client.post(f"/subsidy/v1/entitlements/{entitlement['id']}/evaluations",
                                    json={"funding_year": 2024, "grade": "unqualified"})
    assert officer.status_code == 201
    newer = evaluation(approved, 2024, Grade.good, datetime(2025, 2, 1, tzinfo=UTC))
    older = evaluation(approved, 2024, Grade.qualified, datetime(2025, 1, 1, tzinfo=UTC))
    await publish(platform, newer)
    await publish(platform, older)  # arrives last, was made first: the newer grade stands
    await eventually(lambda: _inbox_count(platform, "PerformanceEvaluated", 2), message="both consumed")
    response = await claim(platform, entitlement, recurring_claim())
    assert response.json()["inputs"]["performance"] == "good"
    assert response.json()["total"] == "60000.00"


async def _inbox_count(platform, event_type, n) -> bool:
    inbox = platform.runtime("subsidy").tables.inbox
    return await platform.count("subsidy", inbox, inbox.c.event_type == event_type) >= n
