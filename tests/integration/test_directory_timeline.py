"""The expert's timeline (R-SUPERVISE): every service's events about an expert, in order, for officers."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from shared.events.common import Stage
from shared.events.intake import ApplicationReturned
from shared.events.permits import WorkPermitIssued
from shared.events.subsidy import DisbursementSettled
from tests.support.directory import approval, breach
from tests.support.events import publish
from tests.support.platform import eventually
from tests.support.timeline import read_timeline
from tests.support.tokens import auth

NOW = datetime(2025, 3, 2, 8, 0, tzinfo=UTC)


async def _timeline(platform, expert_id, n):
    async with platform.client("directory") as client:
        items = await read_timeline(client, expert_id, limit=2)  # several pages: the cursor is followed
    return items if len(items) >= n else None


async def test_r_supervise_timeline_shows_every_service_in_order_without_restricted_fields(platform):
    await platform.start()
    approved = approval()
    expert_id, application_id = approved.expert.expert_id, approved.application_id
    # Names only the application, and arrives before directory knows whose it is.
    await publish(platform, ApplicationReturned(application_id=application_id, employer_id=uuid.uuid4(),
                                                stage=Stage.formal_review, reason="missing diploma", returned_at=NOW))
    await eventually(lambda: _handled(platform, 1), message="return recorded")
    await publish(platform, approved)  # permits opens a case from it, subsidy an entitlement
    await eventually(lambda: _timeline(platform, expert_id, 4), message="approval, case and entitlement recorded")
    await publish(platform, WorkPermitIssued(permit_application_id=uuid.uuid4(), case_id=uuid.uuid4(),
                                             expert_id=expert_id, permit_number="WP-1", valid_from=date(2025, 3, 10),
                                             valid_until=date(2027, 3, 9), issued_at=NOW))
    await publish(platform, DisbursementSettled(disbursement_id=uuid.uuid4(), entitlement_id=uuid.uuid4(),
                                                expert_id=expert_id, funding_year=2024, amount=Decimal("1000.00"),
                                                settled_at=NOW))
    await eventually(lambda: _timeline(platform, expert_id, 6), message="permit and payment recorded")
    await publish(platform, breach(expert_id).model_copy(update={"application_id": application_id}))  # all revoke
    await publish(platform, approval())  # another expert: not on this timeline

    items = await eventually(lambda: _timeline(platform, expert_id, 9), message="the revocation recorded")

    types = [i["type"] for i in items]
    assert types[:2] == ["ApplicationReturned", "ApplicationApproved"]
    # Permits and subsidy each act on the approval at once, in either order.
    assert sorted(types[2:4]) == ["EntitlementOpened", "PermitCaseOpened"]
    assert types[4:7] == ["WorkPermitIssued", "DisbursementSettled", "ContractBreached"]
    assert sorted(types[7:]) == ["BenefitsRevoked", "PermitRevocationRequested"]
    assert [i["service"] for i in items[:2] + items[4:7]] == ["intake", "review", "permits", "subsidy", "review"]
    assert sorted(i["service"] for i in items[2:4]) == ["permits", "subsidy"]
    assert [(i["occurred_at"], i["event_id"]) for i in items] == sorted((i["occurred_at"], i["event_id"]) for i in items)
    assert items[0]["application_id"] == str(application_id)
    assert items[1]["summary"]["track"] == "haiju_long_term"
    assert items[6]["summary"]["attributable_to"] == "expert"
    text = json.dumps(items)
    assert "850000" not in text and "salary" not in text and "passport" not in text and "left without notice" not in text


async def _handled(platform, n):
    return await platform.count("directory", platform.runtime("directory").tables.inbox) >= n


async def test_r_supervise_timeline_is_for_officers_and_an_unknown_expert_is_404(platform):
    await platform.start()
    approved = approval()
    await publish(platform, approved)
    expert_id = approved.expert.expert_id
    await eventually(lambda: _timeline(platform, expert_id, 1), message="approval recorded")
    async with platform.client("directory") as client:
        employer = auth("employer", str(approved.employer.employer_id))
        assert (await client.get(f"/directory/v1/experts/{expert_id}/timeline", headers=employer)).status_code == 403
        unknown = await client.get(f"/directory/v1/experts/{uuid.uuid4()}/timeline", headers=auth("bureau_officer"))
        assert unknown.status_code == 404
        bad = await client.get(f"/directory/v1/experts/{expert_id}/timeline", params={"cursor": "%%%"},
                               headers=auth("bureau_officer"))
        assert bad.status_code == 422
