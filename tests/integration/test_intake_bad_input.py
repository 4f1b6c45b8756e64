"""Bad applications: a 422 naming the field and nothing written; a withdrawn or expired entry refuses submission."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from services.intake.models import application_history, applications, recommendations
from shared.events.directory import CatalogueEntryPublished, CatalogueEntryWithdrawn
from tests.support import data
from tests.support.platform import eventually
from tests.support.selection import (
    OFFICER, draft, employer_auth, entry_replicated, published_entry, registered_employer,
)

PROBLEM = "application/problem+json"


def problem_fields(response) -> list[str]:
    body = response.json()
    return [e["field"] for e in body.get("errors", [])] + ([body["field"]] if "field" in body else [])


async def nothing_written(platform) -> None:
    runtime = platform.runtime("intake")
    assert await platform.count("intake", applications) == 0
    assert await platform.count("intake", application_history) == 0
    assert await platform.count("intake", runtime.tables.audit_log) == 0
    outbox = runtime.tables.outbox
    assert await platform.count("intake", outbox) == 0


DRAFTS = {
    "unknown catalogue entry": (lambda entry: data.application(uuid.uuid4()), "catalogue_entry_id"),
    "nationality not ISO 3166": (lambda entry: data.application(entry, candidate={"nationality": "XX"}),
                                 "candidate.nationality"),
    "nationality as a name": (lambda entry: data.application(entry, candidate={"nationality": "Britain"}),
                              "candidate.nationality"),
    "contract ends before it starts": (
        lambda entry: data.application(entry, contract={"start": "2026-01-01", "end": "2025-12-31"}), "contract.end"),
    "salary as a float-ish string": (lambda entry: data.application(entry, contract={"annual_salary": "1.005"}),
                                     "contract.annual_salary"),
    "unknown track": (lambda entry: data.application(entry, track="thousand_talents"), "track"),
    "missing passport": (lambda entry: {**data.application(entry), "candidate": {
        k: v for k, v in data.application(entry)["candidate"].items() if k != "passport_number"}},
        "candidate.passport_number"),
    "unknown field": (lambda entry: data.application(entry, salary_history="x"), "salary_history"),
}


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
@pytest.mark.parametrize("case", list(DRAFTS))
async def test_r_apply_bad_draft_is_a_422_naming_the_field_and_writes_nothing(platform, case):
    await platform.start()
    employer = await registered_employer(platform)
    entry = await published_entry(platform)
    build, field = DRAFTS[case]
    async with platform.client("intake", employer_auth(employer)) as client:
        response = await client.post("/intake/v1/applications", json=build(entry["id"]))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert field in problem_fields(response), response.json()
    assert "K1234567" not in response.text
    await nothing_written(platform)


async def test_r_apply_submission_without_a_recommendation_is_refused(platform):
    await platform.start()
    employer = await registered_employer(platform)
    entry = await published_entry(platform)
    application = await draft(platform, employer, entry)
    async with platform.client("intake", employer_auth(employer)) as client:
        response = await client.post(f"/intake/v1/applications/{application['id']}/submit")
        bad_rec = await client.post(f"/intake/v1/applications/{application['id']}/recommendations",
                                    json=data.recommendation(statement=""))
    assert response.status_code == 422 and "recommendations" in problem_fields(response)
    assert bad_rec.status_code == 422 and "statement" in problem_fields(bad_rec)
    assert await platform.count("intake", recommendations) == 0
    assert await platform.count("intake", application_history) == 1  # drafted, nothing since


async def test_r_catalogue_entry_withdrawn_before_submission_refuses_it(platform):
    await platform.start()
    employer = await registered_employer(platform)
    entry = await published_entry(platform)
    application = await draft(platform, employer, entry)
    async with platform.client("intake", employer_auth(employer)) as client:
        await client.post(f"/intake/v1/applications/{application['id']}/recommendations", json=data.recommendation())
    async with platform.client("directory", OFFICER) as client:
        withdrawn = await client.post(f"/directory/v1/catalogue-entries/{entry['id']}/withdraw",
                                      json={"reason": "demand met"})
        assert withdrawn.status_code == 200
    await eventually(lambda: entry_replicated(platform, entry["id"], withdrawn=True), message="withdrawal replicated")

    async with platform.client("intake", employer_auth(employer)) as client:
        response = await client.post(f"/intake/v1/applications/{application['id']}/submit")
    assert response.status_code == 422, response.text
    assert problem_fields(response)[0] == "catalogue_entry_id"
    assert "withdrawn" in response.json()["detail"] and "demand met" in response.json()["detail"]
    async with platform.client("intake", employer_auth(employer)) as client:
        still = (await client.get(f"/intake/v1/applications/{application['id']}")).json()
    assert still["state"] == "draft"


async def test_r_catalogue_expired_entry_refuses_submission(platform):
    await platform.start()
    employer = await registered_employer(platform)
    entry = await published_entry(platform, edition=data.catalogue_edition(valid_from="2020-01-01",
                                                                           valid_until="2022-12-31"))
    application = await draft(platform, employer, entry)
    async with platform.client("intake", employer_auth(employer)) as client:
        await client.post(f"/intake/v1/applications/{application['id']}/recommendations", json=data.recommendation())
        response = await client.post(f"/intake/v1/applications/{application['id']}/submit")
    assert response.status_code == 422 and problem_fields(response)[0] == "catalogue_entry_id"
    assert "expired on 2022-12-31" in response.json()["detail"]


async def test_r_catalogue_withdrawal_arriving_before_the_publication_still_stands(platform):
    """Consumers converge whatever the order: the publication that arrives late does not revive the entry."""
    await platform.start()
    employer = await registered_employer(platform)
    entry_id, edition_id = uuid.uuid4(), uuid.uuid4()
    now = datetime.now(UTC)
    published = CatalogueEntryPublished(
        entry_id=entry_id, edition_id=edition_id, edition_title="Out of order", focus_area="city_operation",
        field="transport_system", demand="Traffic signal optimisation", number_sought=1,
        valid_from=date.today() - timedelta(days=30), valid_until=date.today() + timedelta(days=365), published_at=now,
    )
    withdrawn = CatalogueEntryWithdrawn(entry_id=entry_id, edition_id=edition_id, withdrawn_at=now, reason="error")
    for event in (withdrawn, published, published):
        async with platform.runtime("directory").uow() as uow:
            uow.publish(event)
            await uow.commit()
    inbox = platform.runtime("intake").tables.inbox

    async def all_handled():
        return await platform.count("intake", inbox, inbox.c.event_type.like("CatalogueEntry%")) >= 3

    await eventually(all_handled, message="three catalogue events handled")
    assert await entry_replicated(platform, entry_id, withdrawn=True)
    application = await draft(platform, employer, {"id": str(entry_id)})
    async with platform.client("intake", employer_auth(employer)) as client:
        await client.post(f"/intake/v1/applications/{application['id']}/recommendations", json=data.recommendation())
        response = await client.post(f"/intake/v1/applications/{application['id']}/submit")
    assert response.status_code == 422 and problem_fields(response)[0] == "catalogue_entry_id"


async def test_r_apply_a_draft_by_an_employer_intake_does_not_know_is_a_403_and_writes_nothing(platform):
    """The draft statement is guarded by the employer's replica: without it, no application, history or audit."""
    await platform.start()
    entry = await published_entry(platform)
    stranger = {"id": str(uuid.uuid4())}
    async with platform.client("intake", employer_auth(stranger)) as client:
        response = await client.post("/intake/v1/applications", json=data.application(entry["id"]))
    assert response.status_code == 403 and response.headers["content-type"].startswith(PROBLEM)
    assert "not in the registry" in response.json()["detail"]
    await nothing_written(platform)


async def test_r_catalogue_a_draft_against_an_unknown_entry_is_a_422_naming_it_and_writes_nothing(platform):
    """On both run modes (on PostgreSQL the draft is one guarded statement; nothing may slip past the guard)."""
    await platform.start()
    employer = await registered_employer(platform)
    await published_entry(platform)
    async with platform.client("intake", employer_auth(employer)) as client:
        response = await client.post("/intake/v1/applications", json=data.application(str(uuid.uuid4())))
    assert response.status_code == 422 and response.json()["field"] == "catalogue_entry_id", response.text
    await nothing_written(platform)
