"""The employer's application shows the supervision's consequences (R-SUPERVISE), in any order of the events."""

from __future__ import annotations

import uuid

from shared.events.review import BreachAttribution
from tests.support.directory import breach, withdrawal
from tests.support.events import publish
from tests.support.platform import eventually
from tests.support.selection import draft, employer_auth, published_entry, registered_employer


async def _revocation(platform, employer, application_id):
    async with platform.client("intake", employer_auth(employer)) as client:
        response = await client.get(f"/intake/v1/applications/{application_id}")
    assert response.status_code == 200, response.text
    return response.json()["revocation"]


def _of(application_id, expert_id, **kwargs):
    return breach(uuid.UUID(expert_id), **kwargs).model_copy(update={"application_id": uuid.UUID(application_id)})


async def test_r_supervise_employer_sees_benefits_revoked_and_restored_on_its_application(platform):
    await platform.start()
    employer = await registered_employer(platform)
    entry = await published_entry(platform)
    application = await draft(platform, employer, entry)
    assert application["revocation"] is None
    app_id, expert_id = application["id"], application["expert_id"]

    on_employer = _of(app_id, expert_id, attributable_to=BreachAttribution.employer)
    await publish(platform, on_employer)
    shown = await eventually(lambda: _revocation(platform, employer, app_id), message="employer breach shown")
    assert shown["benefits_revoked"] is False and shown["since"] is None  # an employer's breach revokes nothing
    assert shown["breaches"][0]["attributable_to"] == "employer"

    on_expert = _of(app_id, expert_id)
    await publish(platform, on_expert)
    await publish(platform, on_expert)  # announced twice
    shown = await eventually(
        lambda: _check(platform, employer, app_id, lambda r: r["benefits_revoked"]), message="revoked")
    assert shown["since"] == "2025-03-01" and len(shown["breaches"]) == 2

    await publish(platform, withdrawal(on_expert))
    shown = await eventually(
        lambda: _check(platform, employer, app_id, lambda r: not r["benefits_revoked"]), message="restored")
    assert [b["withdrawn"] for b in shown["breaches"] if b["breach_id"] == str(on_expert.breach_id)] == [True]


async def test_r_supervise_withdrawal_before_its_breach_leaves_nothing_revoked(platform):
    await platform.start()
    employer = await registered_employer(platform)
    entry = await published_entry(platform)
    application = await draft(platform, employer, entry)
    app_id, expert_id = application["id"], application["expert_id"]
    late = _of(app_id, expert_id)

    await publish(platform, withdrawal(late))
    await eventually(lambda: _revocation(platform, employer, app_id), message="withdrawal shown")
    await publish(platform, late)
    shown = await eventually(
        lambda: _check(platform, employer, app_id, lambda r: r["breaches"][0]["breach_date"]), message="breach")
    assert shown["benefits_revoked"] is False and shown["breaches"][0]["withdrawn"] is True

    async with platform.client("intake", employer_auth(await registered_employer(platform))) as client:
        other = await client.get(f"/intake/v1/applications/{app_id}")
    assert other.status_code in (403, 404)  # another employer sees nothing of it


async def _check(platform, employer, app_id, predicate):
    shown = await _revocation(platform, employer, app_id)
    return shown if shown and predicate(shown) else None
