"""The employer reads the funding plan quoted after an approval recorded it to be quoted (R-COMMITTEE), on both
run modes, whichever of the approval and the quote reaches intake first."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from shared.events.review import FundingPlan, FundingPlanItem, FundingPlanQuoted
from tests.support.events import publish
from tests.support.platform import eventually
from tests.support.selection import draft, employer_auth, published_entry, registered_employer
from tests.support.subsidy import approval

QUOTED = FundingPlan(items=[FundingPlanItem(code="salary_subsidy", article="Art. 11(1)",
                                            estimated_yearly_amount=Decimal("170000.00"))])


@pytest.mark.parametrize("quote_first", [False, True], ids=["approval-first", "quote-first"])
async def test_the_employer_reads_the_plan_quoted_after_the_approval(platform, quote_first):
    await platform.start()
    employer, entry = await registered_employer(platform), await published_entry(platform)
    application = await draft(platform, employer, entry)
    approved = approval(expert_id=uuid.UUID(application["expert_id"]), application_id=uuid.UUID(application["id"]))
    approved = approved.model_copy(update={"funding_plan": FundingPlan(items=[], to_be_quoted=True)})
    quoted = FundingPlanQuoted(application_id=approved.application_id, decision_id=approved.decision_id,
                               expert_id=approved.expert.expert_id, funding_plan=QUOTED,
                               quoted_at=datetime(2026, 12, 4, 9, 30, tzinfo=UTC))
    for event in ([quoted, approved] if quote_first else [approved, quoted]):
        await publish(platform, event)

    async def plan():
        async with platform.client("intake", employer_auth(employer)) as client:
            shown = (await client.get(f"/intake/v1/applications/{application['id']}")).json()
        return (shown["decision"] or {}).get("funding_plan", {}).get("to_be_quoted") is False and shown["decision"]

    decision = await eventually(plan, message="the employer reads the quoted plan")
    assert decision["outcome"] == "approved" and decision["decision_id"] == str(approved.decision_id)
    assert decision["funding_plan"]["items"] == [
        {"code": "salary_subsidy", "article": "Art. 11(1)", "estimated_yearly_amount": "170000.00"}]
    assert datetime.fromisoformat(decision["funding_plan"]["quoted_at"]) == quoted.quoted_at
