"""The revocation cascade across the whole platform as separate processes (R-SUPERVISE): the five services
on PostgreSQL and RabbitMQ, the finance simulator and the entry-exit simulator, driven over their APIs."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from shared.bus.rabbitmq import RabbitBus
from shared.events import CloudEvent
from tests.support import infra
from tests.support.cascade import cascade_platform
from tests.support.permits import approval, breach

pytestmark = [pytest.mark.postgres, pytest.mark.rabbit, pytest.mark.slow]


@pytest.fixture
async def cascade(tmp_path):
    async for platform in cascade_platform(tmp_path):
        yield platform


async def _paid_and_in_payment(cascade, selected):
    """One disbursement settled at finance, a second held there unsettled (finance slowed down)."""
    first = await cascade.pay(selected, amount="1000.00")
    await cascade.until(lambda: _status(cascade, first["id"], "settled"), what="first payment settled")
    await cascade.finance_control(settle_delay_seconds=3600)
    second = await cascade.pay(selected, amount="2000.00")
    await cascade.until(lambda: _status(cascade, second["id"], "accepted"), what="second payment at finance")
    return first, second


async def _status(cascade, disbursement_id, status):
    return (await cascade.disbursement(disbursement_id))["status"] == status


async def _revoked_everywhere(cascade, selected, case_id, disbursement_id):
    expert = await cascade.expert(selected["expert_id"])
    entitlement = await cascade.entitlement(selected["expert_id"])
    case = await cascade.case(case_id)
    shown = (await cascade.application(selected))["revocation"]
    cancelled = [p for p in await cascade.payments() if p["status"] == "cancelled"]
    timeline = [e["type"] for e in await cascade.timeline(selected["expert_id"])]
    received = [i["type"] for i in (await cascade.received())["items"]]
    done = (expert.get("benefits_revoked_since") and entitlement["status"] == "revoked" and case.get("revoked_at")
            and shown and shown["benefits_revoked"] and len(cancelled) == 1
            and (await cascade.disbursement(disbursement_id))["status"] == "cancelled"
            and {"ContractBreached", "BenefitsRevoked", "PermitRevocationRequested"} <= set(timeline)
            and received.count("PermitRevocationRequested") == 1)
    return {"expert": expert, "entitlement": entitlement, "case": case, "intake": shown, "cancelled": cancelled,
            "timeline": timeline, "received": received} if done else None


async def test_R_SUPERVISE_expert_breach_revokes_everywhere_and_employer_breach_revokes_nothing(cascade):
    selected = await cascade.approve()
    await cascade.subscribe_partner()
    permits = await cascade.permits(selected)
    first, second = await _paid_and_in_payment(cascade, selected)

    # An employer-attributable breach: recorded, nothing revoked.
    employers = await cascade.report_breach(selected, attributable_to="employer")
    await cascade.until(lambda: _timeline_has(cascade, selected, "ContractBreached"), what="employer breach seen")
    shown = await cascade.until(lambda: _intake_breaches(cascade, selected, 1), what="intake shows it")
    assert shown["benefits_revoked"] is False
    assert (await cascade.entitlement(selected["expert_id"]))["status"] == "open"
    assert (await cascade.case(permits["case"]["id"]))["revoked_at"] is None
    assert (await cascade.expert(selected["expert_id"]))["benefits_revoked_since"] is None
    assert employers["state"] == "confirmed"

    # The expert's breach: every service revokes within seconds.
    await cascade.report_breach(selected, attributable_to="expert")
    state = await cascade.until(lambda: _revoked_everywhere(cascade, selected, permits["case"]["id"], second["id"]),
                                timeout=30, what="revoked everywhere")
    assert state["expert"]["benefits_revoked_since"] == "2026-03-01"
    assert state["intake"]["since"] == "2026-03-01"
    assert (await cascade.disbursement(first["id"]))["status"] == "settled"  # paid for 2025, before the breach
    assert Counter(state["received"])["PermitRevocationRequested"] == 1
    timeline = state["timeline"]
    assert timeline.index("ApplicationSubmitted") < timeline.index("ApplicationApproved") < \
        timeline.index("PermitCaseOpened") < timeline.index("WorkPermitIssued")
    assert "DisbursementSettled" in timeline
    # Every event of the flow found a queue: nothing is left refused and retried in any outbox.
    await cascade.until(lambda: _all_sent(cascade), what="every outbox drained")


async def _all_sent(cascade):
    return set((await cascade.unsent()).values()) == {0}


async def _timeline_has(cascade, selected, event_type):
    return event_type in [e["type"] for e in await cascade.timeline(selected["expert_id"])]


async def _intake_breaches(cascade, selected, n):
    shown = (await cascade.application(selected))["revocation"]
    return shown if shown and len(shown["breaches"]) >= n else None


async def _selected_paid_and_permitted(cascade):
    selected = await cascade.approve()
    await cascade.subscribe_partner()
    permits = await cascade.permits(selected)
    first, second = await _paid_and_in_payment(cascade, selected)
    return selected, permits, first, second


async def _restored_everywhere(cascade, selected, case_id):
    expert = await cascade.expert(selected["expert_id"])
    entitlement = await cascade.entitlement(selected["expert_id"])
    case = await cascade.case(case_id)
    shown = (await cascade.application(selected))["revocation"]
    timeline = await cascade.timeline(selected["expert_id"])
    received = [i["type"] for i in (await cascade.received())["items"]]
    done = (expert["benefits_revoked_since"] is None and entitlement["status"] == "open"
            and case["revoked_at"] is None and shown["benefits_revoked"] is False
            and {"ContractBreachWithdrawn", "BenefitsRestored"} <= {e["type"] for e in timeline}
            and "PermitCaseReinstated" in received)
    return {"timeline": timeline, "received": received, "intake": shown} if done else None


async def test_R_SUPERVISE_withdrawn_breach_restores_entitlements_and_notifies_the_partners(cascade):
    selected, permits, first, second = await _selected_paid_and_permitted(cascade)
    breach = await cascade.report_breach(selected)
    await cascade.until(lambda: _revoked_everywhere(cascade, selected, permits["case"]["id"], second["id"]),
                        what="revoked everywhere")

    await cascade.withdraw_breach(breach["id"])

    state = await cascade.until(lambda: _restored_everywhere(cascade, selected, permits["case"]["id"]),
                                what="restored everywhere")
    assert Counter(state["received"]) == {"PermitRevocationRequested": 1, "PermitCaseReinstated": 1}
    [restored] = [e for e in state["timeline"] if e["type"] == "BenefitsRestored"]
    assert restored["summary"]["entitlements_reopened"] == 1
    assert [b["withdrawn"] for b in state["intake"]["breaches"]] == [True]
    # What could not be restored stays as it is: the cancelled payment is not reinstated at finance.
    assert [p["status"] for p in await cascade.payments()].count("cancelled") == 1
    assert (await cascade.disbursement(second["id"]))["status"] == "cancelled"


async def test_R_SUPERVISE_broker_restarted_and_subsidy_sigkilled_mid_cascade_same_final_state_nothing_doubled(cascade):
    selected, permits, first, second = await _selected_paid_and_permitted(cascade)
    subsidy = cascade.procs["subsidy"]

    await cascade.report_breach(selected)
    subsidy.kill()  # SIGKILL in the middle of the cascade: whatever it had not committed is lost
    await asyncio.to_thread(infra.rabbitmqctl, "stop_app")
    try:
        await asyncio.sleep(2.0)
    finally:
        await asyncio.to_thread(infra.rabbitmqctl, "start_app")
    subsidy.start()
    await asyncio.to_thread(subsidy.wait_ready, 120)

    state = await cascade.until(lambda: _revoked_everywhere(cascade, selected, permits["case"]["id"], second["id"]),
                                timeout=90, what="revoked everywhere after the restarts")
    await asyncio.sleep(3.0)  # anything redelivered late would show now
    again = await _revoked_everywhere(cascade, selected, permits["case"]["id"], second["id"])
    assert again is not None
    assert [p["status"] for p in await cascade.payments()].count("cancelled") == 1
    assert Counter(again["received"])["PermitRevocationRequested"] == 1
    counts = Counter(again["timeline"])
    assert (counts["ContractBreached"], counts["BenefitsRevoked"], counts["PermitRevocationRequested"]) == (1, 1, 1)
    assert again["entitlement"]["status"] == "revoked"
    assert (await cascade.disbursement(first["id"]))["status"] == "settled"
    assert state["expert"]["benefits_revoked_since"] == "2026-03-01"


async def _publish(bus: RabbitBus, event) -> None:
    """What the producer's relay does: the event on the topic exchange."""
    envelope = CloudEvent.wrap(event, source=f"/services/{event.producer}")
    await bus.publish(envelope.routing_key(), envelope.to_bytes(), message_id=str(envelope.id))


async def test_R_SUPERVISE_breach_delivered_before_its_approval_is_revoked_everywhere_in_the_end(cascade):
    await cascade.subscribe_partner()
    approved = approval()
    breached = breach(approved)
    expert_id = str(approved.expert.expert_id)
    bus = RabbitBus(infra.AMQP_URL, namespace=cascade.namespace)
    await bus.start()
    try:
        await _publish(bus, breached)  # reordered on purpose: the breach first
        await cascade.until(lambda: _timeline_types(cascade, expert_id, "ContractBreached"), what="breach recorded")
        await _publish(bus, approved)
    finally:
        await bus.close()

    async def revoked():
        expert = await cascade.expert(expert_id)
        entitlement = await cascade.entitlement(expert_id)
        cases = (await cascade.get("permits", "/cases", application_id=str(approved.application_id))).json()["items"]
        types = await _timeline_types(cascade, expert_id)
        done = (expert.get("benefits_revoked_since") == breached.breach_date.isoformat()
                and entitlement["status"] == "revoked" and cases and cases[0]["revoked_at"] is not None
                and {"ContractBreached", "ApplicationApproved", "BenefitsRevoked"} <= set(types))
        return types if done else None

    types = await cascade.until(revoked, what="revoked everywhere")
    assert types.index("ContractBreached") < types.index("ApplicationApproved")  # as it happened, in order
    received = [i["type"] for i in (await cascade.received())["items"]]
    assert received.count("PermitRevocationRequested") <= 1


async def _timeline_types(cascade, expert_id, wanted: str | None = None):
    types = [e["type"] for e in await cascade.timeline(expert_id)]
    return (wanted in types) if wanted else types
