"""The selection flow's first steps for tests: an employer, a published catalogue entry, an application."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.intake.models import catalogue_replica
from tests.support import data
from tests.support.platform import eventually
from tests.support.tokens import auth

OFFICER = auth("bureau_officer")


async def registered_employer(platform, **overrides) -> dict:
    """An employer registered in directory and replicated into intake."""
    async with platform.client("directory", OFFICER) as client:
        response = await client.post("/directory/v1/employers", json=data.employer(**overrides))
    assert response.status_code == 201, response.text
    employer = response.json()

    async def replicated():
        async with platform.client("intake", OFFICER) as client:
            return (await client.get(f"/intake/v1/employers/{employer['id']}")).status_code == 200

    await eventually(replicated, message="employer replicated into intake")
    return employer


async def published_entry(platform, *, edition: dict | None = None, entry: dict | None = None,
                          replicated: bool = True) -> dict:
    """A catalogue entry in a published edition; by default once intake has its replica."""
    async with platform.client("directory", OFFICER) as client:
        created = await client.post("/directory/v1/catalogue-editions", json=edition or data.catalogue_edition())
        assert created.status_code == 201, created.text
        edition_id = created.json()["id"]
        added = await client.post(f"/directory/v1/catalogue-editions/{edition_id}/entries",
                                  json=entry or data.catalogue_entry())
        assert added.status_code == 201, added.text
        published = await client.post(f"/directory/v1/catalogue-editions/{edition_id}/publish")
        assert published.status_code == 200, published.text
    result = added.json()
    if replicated:
        await eventually(lambda: entry_replicated(platform, result["id"]), message="catalogue entry in intake")
    return result


async def entry_replicated(platform, entry_id, *, withdrawn: bool = False) -> bool:
    async with platform.runtime("intake").db.session() as session:
        row = (await session.execute(
            sa.select(catalogue_replica).where(catalogue_replica.c.entry_id == uuid.UUID(str(entry_id)))
        )).first()
    if row is None:
        return False
    return row.withdrawn_at is not None if withdrawn else row.published_at is not None


def employer_auth(employer: dict) -> dict:
    return auth("employer", employer["id"], subject=f"hr-officer-of-{employer['id']}")


def reviewer_auth(employer: dict) -> dict:
    """The preliminary reviewer an application of this employer goes to (R-APPLY)."""
    from shared.auth import competent_department, district_bureau

    org = (competent_department(employer["competent_department"]) if employer.get("competent_department")
           else district_bureau(employer["district"]))
    return auth("preliminary_reviewer", org, subject=f"reviewer-{org}")


async def draft(platform, employer: dict, entry: dict, **overrides) -> dict:
    async with platform.client("intake", employer_auth(employer)) as client:
        response = await client.post("/intake/v1/applications", json=data.application(entry["id"], **overrides))
    assert response.status_code == 201, response.text
    return response.json()


async def submitted(platform, employer: dict, entry: dict, **overrides) -> dict:
    """A draft with one recommendation, submitted to its preliminary reviewer."""
    application = await draft(platform, employer, entry, **overrides)
    async with platform.client("intake", employer_auth(employer)) as client:
        added = await client.post(f"/intake/v1/applications/{application['id']}/recommendations",
                                  json=data.recommendation())
        assert added.status_code == 201, added.text
        response = await client.post(f"/intake/v1/applications/{application['id']}/submit")
    assert response.status_code == 200, response.text
    return response.json()


async def passed_preliminary(platform, employer: dict, entry: dict, **overrides) -> dict:
    application = await submitted(platform, employer, entry, **overrides)
    async with platform.client("intake", reviewer_auth(employer)) as client:
        response = await client.post(f"/intake/v1/applications/{application['id']}/preliminary-review",
                                     json={"outcome": "pass", "reason": "complete and within the catalogue"})
    assert response.status_code == 200, response.text
    return response.json()


async def awaiting_committee(platform, employer: dict, entry: dict, **overrides) -> dict:
    """Through both reviews: FormalReviewPassed is in intake's outbox (R-APPLY, R-FORMAL)."""
    application = await passed_preliminary(platform, employer, entry, **overrides)
    async with platform.client("intake", OFFICER) as client:
        response = await client.post(f"/intake/v1/applications/{application['id']}/formal-review",
                                     json={"outcome": "pass", "reason": "complete",
                                           "checklist": data.FORMAL_CHECKLIST_COMPLETE})
    assert response.status_code == 200, response.text
    return response.json()
