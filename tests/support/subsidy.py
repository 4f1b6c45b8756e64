"""Subsidy test data: an approval as the review service announces it, and reading entitlements back."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy.models import ledger_entries
from shared.events.review import (
    ApplicationApproved, BreachAttribution, CapException, ContractBreached, ContractTerms, EmployerSummary,
    ExpertSummary, FundingPlan, FundingPlanItem, Track,
)
from tests.support.events import publish
from tests.support.platform import eventually
from tests.support.tokens import auth

OFFICER = auth("bureau_officer")


def approval(*, track: Track = Track.haiju_long_term, cap_exception: CapException | None = None,
             expert_id: uuid.UUID | None = None, application_id: uuid.UUID | None = None) -> ApplicationApproved:
    return ApplicationApproved(
        application_id=application_id or uuid.uuid4(),
        decision_id=uuid.uuid4(),
        decided_at=datetime(2024, 5, 20, 9, 30, tzinfo=UTC),
        expert=ExpertSummary(expert_id=expert_id or uuid.uuid4(), name="Ada Example", nationality="GB",
                             date_of_birth=date(1970, 1, 2)),
        employer=EmployerSummary(employer_id=uuid.uuid4(), name="Haidian Photonics", district="haidian",
                                 municipal_state_owned=False),
        catalogue_entry_id=uuid.uuid4(),
        focus_area="strategic_emerging_industries",
        field="new_generation_it",
        track=track,
        contract=ContractTerms(start=date(2024, 6, 1), end=date(2027, 5, 31), annual_salary=Decimal("850000.00")),
        funding_plan=FundingPlan(items=[
            FundingPlanItem(code="salary_subsidy", article="Art. 11(1)", estimated_yearly_amount=Decimal("170000.00")),
        ]),
        cap_exception=cap_exception,
    )


async def entitlements_of(platform, expert_id) -> list[dict]:
    async with platform.client("subsidy", OFFICER) as client:
        response = await client.get("/subsidy/v1/entitlements", params={"expert_id": str(expert_id)})
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def open_entitlement(platform, **kwargs) -> dict:
    event = approval(**kwargs)
    await publish(platform, event)
    items = await eventually(lambda: _with_application(platform, event), message="entitlement opened")
    return items[0]


async def _with_application(platform, event):
    return [e for e in await entitlements_of(platform, event.expert.expert_id)
            if e["application_id"] == str(event.application_id)]


def employer_of(entitlement) -> dict:
    return auth("employer", entitlement["employer_id"])


def haiju_claim(**overrides) -> dict:
    return {"track": "haiju_long_term", "period_end": "2024-12-31", "evidence_reference": "payroll-2024",
            "salary_paid": "600000.00", "medical_premium_paid": "18000.00", "thousand_talents_salary_subsidy": False,
            "salary_funded_by_municipal_finance": False, "contract_fulfilled": True, **overrides}


def recurring_claim(**overrides) -> dict:
    return {"track": "key_industry_recurring", "period_end": "2024-12-31", "evidence_reference": "timesheets",
            "remuneration": "100000.00", "days_in_beijing": 45, **overrides}


def short_claim(**overrides) -> dict:
    return {"track": "short_term", "period_end": "2024-12-31", "evidence_reference": "invoices",
            "days_in_beijing": 20, "international_travel_cost": "12000.00", "living_cost": "6000.00",
            "agreed_salary": "30000.00", "medical_premium_paid": "2000.00", **overrides}


async def claim(platform, entitlement, body, headers=None):
    async with platform.client("subsidy", headers or employer_of(entitlement)) as client:
        return await client.post(f"/subsidy/v1/entitlements/{entitlement['id']}/claims", json=body)

FAST_SENDER = {"disbursement_poll_seconds": 0.05, "disbursement_batch_size": 100, "disbursement_concurrency": 16,
               "disbursement_lease_seconds": 3.0, "disbursement_status_poll_after_seconds": 1.0,
               "disbursement_retry_max_seconds": 0.5, "finance_timeout_seconds": 0.25, "finance_attempts": 3,
               "finance_backoff_seconds": 0.01}


async def granted_entitlement(platform) -> dict:
    entitlement = await open_entitlement(platform)
    response = await claim(platform, entitlement, haiju_claim())
    assert response.status_code == 201, response.text  # 138,000.00 granted for 2024
    return entitlement


async def ledger_disbursed(platform) -> Decimal:
    async with platform.runtime("subsidy").db.session() as session:
        amounts = (await session.execute(sa.select(ledger_entries.c.amount).where(
            ledger_entries.c.kind == "disbursement"))).scalars().all()
    return sum(amounts, Decimal("0"))


def breach(entitlement: dict, *, attributable_to=BreachAttribution.expert, breach_date=date(2024, 10, 1),
           application_id=None, expert_id=None) -> ContractBreached:
    return ContractBreached(
        breach_id=uuid.uuid4(), expert_id=expert_id or uuid.UUID(entitlement["expert_id"]),
        employer_id=uuid.UUID(entitlement["employer_id"]) if entitlement else uuid.uuid4(),
        application_id=application_id or uuid.UUID(entitlement["application_id"]), breach_date=breach_date,
        attributable_to=attributable_to, reported_by="employer", confirmed_by="officer-1", facts="left Beijing")


async def outbox_events(platform, event_type: str) -> list[dict]:
    outbox = platform.runtime("subsidy").tables.outbox
    async with platform.runtime("subsidy").db.session() as session:
        payloads = (await session.execute(sa.select(outbox.c.payload).where(
            outbox.c.event_type == event_type))).scalars().all()
    return [json.loads(p)["data"] for p in payloads]


async def entitlement_status(platform, entitlement) -> str:
    async with platform.client("subsidy", OFFICER) as client:
        return (await client.get(f"/subsidy/v1/entitlements/{entitlement['id']}")).json()["status"]


async def disbursement(platform, disbursement_id) -> dict:
    async with platform.client("subsidy", OFFICER) as client:
        return (await client.get(f"/subsidy/v1/disbursements/{disbursement_id}")).json()


async def _status_is(platform, disbursement_id, status) -> bool:
    return (await disbursement(platform, disbursement_id))["status"] == status
