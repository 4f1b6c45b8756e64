"""Revocation (R-SUPERVISE, Art. 16): an expert-attributable breach withdraws open applications and tells
the partners; an employer-attributable one revokes nothing; the outcome is the same whatever the order."""

from __future__ import annotations

import pytest

from services.permits.models import breaches
from shared.events.review import BreachAttribution
from tests.support.events import publish
from tests.support.permits import (
    OFFICER, approval, breach, breach_withdrawn, case_of, dependant_body, outbox_types, principal_body,
    start_with_partner,
)
from tests.support.platform import eventually

EVENTS = ["PermitCaseOpened", "WorkPermitIssued", "ResidencePermitIssued", "PermitRevocationRequested",
          "PermitCaseReinstated"]


async def _case(platform, event) -> dict:
    async with platform.client("permits", OFFICER) as client:
        return (await client.get("/permits/v1/cases", params={"application_id": str(event.application_id)})
                ).json()["items"][0]


async def _applications(platform, case_id) -> list[dict]:
    async with platform.client("permits", OFFICER) as client:
        return (await client.get(f"/permits/v1/cases/{case_id}/applications")).json()


async def _revoked(platform, event):
    cases = await _cases(platform, event)
    return cases[0] if cases and cases[0]["status"] == "revoked" else None


async def _cases(platform, event):
    async with platform.client("permits", OFFICER) as client:
        return (await client.get("/permits/v1/cases", params={"application_id": str(event.application_id)})
                ).json()["items"]


async def test_R_SUPERVISE_expert_breach_withdraws_open_applications_and_notifies_the_partner(platform):
    partner, _ = await start_with_partner(platform, EVENTS)
    event = approval()
    await publish(platform, event)
    case = await case_of(platform, event)
    async with platform.client("permits", OFFICER) as client:
        work = (await client.post(f"/permits/v1/cases/{case['id']}/applications", json=principal_body())).json()
        await client.post(f"/permits/v1/permit-applications/{work['id']}/submit")
        issued = (await client.post(f"/permits/v1/permit-applications/{work['id']}/issue",
                                    json={"permit_number": "WP-7"})).json()
        residence = (await client.post(f"/permits/v1/cases/{case['id']}/applications",
                                       json=principal_body("work_residence_permit"))).json()
        await client.post(f"/permits/v1/permit-applications/{residence['id']}/submit")
        spouse = (await client.post(f"/permits/v1/cases/{case['id']}/applications",
                                    json=dependant_body("spouse"))).json()
    b = breach(event)

    await publish(platform, b)

    revoked = await eventually(lambda: _revoked(platform, event), message="case revoked")
    assert revoked["revoked_by_breach_id"] == str(b.breach_id)
    statuses = {a["id"]: a["status"] for a in await _applications(platform, case["id"])}
    assert statuses == {issued["id"]: "issued", residence["id"]: "withdrawn", spouse["id"]: "withdrawn"}
    await eventually(lambda: _has(partner, "PermitRevocationRequested"), message="partner notified")
    [notice] = [r for r in (await partner.received())["items"] if r["type"] == "PermitRevocationRequested"]
    data = notice["payload"]["data"]
    assert data["state"] == "revocation_requested"
    assert data["breach_id"] == str(b.breach_id) and data["case_id"] == case["id"]
    assert sorted(data["withdrawn_applications"]) == sorted([residence["id"], spouse["id"]])
    assert data["permits_to_revoke"] == [issued["id"]]
    assert await partner.types() == ["PermitCaseOpened", "WorkPermitIssued", "PermitRevocationRequested"]
    for item in (await partner.received())["items"]:  # thin: never passport numbers or salaries
        text = str(item["payload"]).lower()
        assert "passport" not in text and "salary" not in text and "850000" not in text
    async with platform.client("permits", OFFICER) as client:
        refiled = await client.post(f"/permits/v1/cases/{case['id']}/applications",
                                    json=principal_body("work_residence_permit"))
    assert refiled.status_code == 409 and refiled.json()["current_state"] == "revoked"


async def _has(partner, event_type):
    return event_type in await partner.types()


async def test_R_SUPERVISE_employer_attributable_breach_revokes_nothing(platform):
    await platform.start()
    event = approval()
    await publish(platform, event)
    case = await case_of(platform, event)
    async with platform.client("permits", OFFICER) as client:
        work = (await client.post(f"/permits/v1/cases/{case['id']}/applications", json=principal_body())).json()

    await publish(platform, breach(event, by=BreachAttribution.employer))

    await eventually(lambda: platform.count("permits", breaches), message="breach recorded")
    assert (await _case(platform, event))["status"] == "open"
    assert [a["status"] for a in await _applications(platform, case["id"])] == ["filed"]
    assert "PermitRevocationRequested" not in await outbox_types(platform)
    assert work["status"] == "filed"


async def test_R_SUPERVISE_breach_before_its_approval_still_ends_revoked(platform):
    partner, _ = await start_with_partner(platform, EVENTS)
    event = approval()
    b = breach(event)

    await publish(platform, b)
    await eventually(lambda: platform.count("permits", breaches), message="breach recorded first")
    await publish(platform, event)

    revoked = await eventually(lambda: _revoked(platform, event), message="case opened revoked")
    assert revoked["revoked_by_breach_id"] == str(b.breach_id)
    await eventually(lambda: _has(partner, "PermitRevocationRequested"), message="partner notified")
    assert sorted(await partner.types()) == ["PermitCaseOpened", "PermitRevocationRequested"]


async def test_R_SUPERVISE_duplicate_breach_revokes_once(platform):
    await platform.start()
    event = approval()
    await publish(platform, event)
    await case_of(platform, event)
    b = breach(event)

    await publish(platform, b, b)  # the same breach under two event ids

    await eventually(lambda: _revoked(platform, event), message="revoked")
    await eventually(lambda: _inbox(platform, 3), message="all three events handled")
    assert (await outbox_types(platform)).count("PermitRevocationRequested") == 1


async def _inbox(platform, n):
    return await platform.count("permits", platform.runtime("permits").tables.inbox) >= n


async def test_withdrawn_breach_reinstates_the_case_and_tells_the_partner(platform):
    partner, _ = await start_with_partner(platform, EVENTS)
    event = approval()
    await publish(platform, event)
    await case_of(platform, event)
    b = breach(event)
    await publish(platform, b)
    await eventually(lambda: _revoked(platform, event), message="revoked")

    await publish(platform, breach_withdrawn(b))

    await eventually(lambda: _status(platform, event, "open"), message="reinstated")
    await eventually(lambda: _has(partner, "PermitCaseReinstated"), message="partner told of the reinstatement")
    [notice] = [r for r in (await partner.received())["items"] if r["type"] == "PermitCaseReinstated"]
    assert notice["payload"]["data"]["breach_id"] == str(b.breach_id)


async def _status(platform, event, status):
    cases = await _cases(platform, event)
    return bool(cases) and cases[0]["status"] == status


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
async def test_breach_withdrawn_before_the_breach_arrives_leaves_the_case_open(platform):
    await platform.start()
    event = approval()
    b = breach(event)

    await publish(platform, breach_withdrawn(b))
    await eventually(lambda: platform.count("permits", breaches), message="withdrawal recorded")
    await publish(platform, b, event)

    await eventually(lambda: _inbox(platform, 3), message="all three handled")
    case = await case_of(platform, event)
    assert case["status"] == "open"
    assert "PermitRevocationRequested" not in await outbox_types(platform)
