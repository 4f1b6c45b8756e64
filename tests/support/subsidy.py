"""Subsidy test data: an approval as the review service announces it, and reading entitlements back."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from shared.events.review import (
    ApplicationApproved, CapException, ContractTerms, EmployerSummary, ExpertSummary, FundingPlan, FundingPlanItem,
    Track,
)
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


async def announce(platform, event: ApplicationApproved) -> None:
    """What the review service does when the committee approves: the event leaves through its outbox."""
    async with platform.runtime("review").uow() as uow:
        uow.publish(event)
        await uow.commit()


async def entitlements_of(platform, expert_id) -> list[dict]:
    async with platform.client("subsidy", OFFICER) as client:
        response = await client.get("/subsidy/v1/entitlements", params={"expert_id": str(expert_id)})
    assert response.status_code == 200, response.text
    return response.json()["items"]
