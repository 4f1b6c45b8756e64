"""The R-FIELD taxonomy and the introduction catalogue (R-CATALOGUE): public reads, officers' writes, events."""

from __future__ import annotations

import json
from datetime import date

import pytest

from services.directory.models import catalogue_editions, catalogue_entries
from services.directory.catalogue.taxonomy import FIELDS, FOCUS_AREAS, ZONES
from tests.support import data
from tests.support.tokens import auth

OFFICER = auth("bureau_officer")
PROBLEM = "application/problem+json"


def problem_fields(response) -> list[str]:
    body = response.json()
    return [e["field"] for e in body.get("errors", [])] + ([body["field"]] if "field" in body else [])


async def outbox_events(platform, event_type: str) -> list[dict]:
    runtime = platform.runtime("directory")
    outbox = runtime.tables.outbox
    async with runtime.db.session() as session:
        rows = (await session.execute(outbox.select().where(outbox.c.event_type == event_type)
                                      .order_by(outbox.c.id))).all()
    return [json.loads(r.payload)["data"] for r in rows]


async def test_taxonomy_r_field_is_shipped_by_migration_and_public(platform):
    await platform.start()
    async with platform.client("directory") as anonymous:
        response = await anonymous.get("/directory/v1/taxonomy")
    assert response.status_code == 200, response.text
    taxonomy = response.json()
    assert [a["number"] for a in taxonomy["focus_areas"]] == [1, 2, 3, 4, 5]
    assert [a["code"] for a in taxonomy["focus_areas"]] == [a.code for a in FOCUS_AREAS]
    shipped = {(a["code"], f["code"]) for a in taxonomy["focus_areas"] for f in a["fields"]}
    assert shipped == {(f.focus_area, f.code) for f in FIELDS}
    assert len(shipped) == 23
    assert {z["code"]: z["group"] for z in taxonomy["zones"]} == {z.code: z.group for z in ZONES}
    first = taxonomy["focus_areas"][0]
    assert first["name_zh"] == "战略性新兴产业、金融服务业、文化创意产业"
    assert {"code": "biomedicine", "name": "Biomedicine", "name_zh": "生物医药"} in first["fields"]


async def test_r_catalogue_edition_is_drafted_published_and_announced_per_entry(platform):
    await platform.start()
    async with platform.client("directory", OFFICER) as client:
        edition = (await client.post("/directory/v1/catalogue-editions", json=data.catalogue_edition())).json()
        assert edition["status"] == "draft"
        first = await client.post(f"/directory/v1/catalogue-editions/{edition['id']}/entries",
                                  json=data.catalogue_entry())
        second = await client.post(f"/directory/v1/catalogue-editions/{edition['id']}/entries",
                                   json=data.catalogue_entry(focus_area="city_operation", field="transport_system",
                                                             zone=None, number_sought=1))
        assert first.status_code == second.status_code == 201, (first.text, second.text)
        # A draft entry is not public yet.
        async with platform.client("directory") as anonymous:
            assert (await anonymous.get(f"/directory/v1/catalogue-entries/{first.json()['id']}")).status_code == 404
            assert (await anonymous.get("/directory/v1/catalogue-entries")).json()["items"] == []

        published = await client.post(f"/directory/v1/catalogue-editions/{edition['id']}/publish")
        assert published.status_code == 200, published.text
        assert published.json()["status"] == "published" and published.json()["entries"] == 2

        again = await client.post(f"/directory/v1/catalogue-editions/{edition['id']}/publish")
        assert again.status_code == 409 and again.json()["current_state"] == "published"
        late = await client.post(f"/directory/v1/catalogue-editions/{edition['id']}/entries",
                                 json=data.catalogue_entry())
        assert late.status_code == 409 and late.json()["current_state"] == "published"

    events = await outbox_events(platform, "CatalogueEntryPublished")
    assert {e["entry_id"] for e in events} == {first.json()["id"], second.json()["id"]}
    transport = next(e for e in events if e["field"] == "transport_system")
    expected = data.catalogue_edition()
    assert (transport["valid_from"], transport["valid_until"]) == (expected["valid_from"], expected["valid_until"])
    assert transport["edition_title"] == expected["title"] and transport["zone"] is None

    async with platform.client("directory") as anonymous:
        entry = (await anonymous.get(f"/directory/v1/catalogue-entries/{first.json()['id']}")).json()
    assert entry["status"] == "published" and entry["field"] == "new_generation_it"
    assert entry["valid_until"] == data.catalogue_edition()["valid_until"]


async def test_r_catalogue_withdrawn_or_expired_entry_is_not_listed_as_valid(platform):
    await platform.start()
    async with platform.client("directory", OFFICER) as client:
        ids = {}
        for name, period in {"old": ("2020-01-01", "2022-12-31"), "current": ("2024-01-01", "2099-12-31")}.items():
            edition = (await client.post("/directory/v1/catalogue-editions",
                                         json=data.catalogue_edition(title=name, valid_from=period[0],
                                                                     valid_until=period[1]))).json()
            for n in range(2):
                entry = await client.post(f"/directory/v1/catalogue-editions/{edition['id']}/entries",
                                          json=data.catalogue_entry(number_sought=n + 1))
                ids[(name, n)] = entry.json()["id"]
            assert (await client.post(f"/directory/v1/catalogue-editions/{edition['id']}/publish")).status_code == 200

        withdrawn = await client.post(f"/directory/v1/catalogue-entries/{ids[('current', 1)]}/withdraw",
                                      json={"reason": "demand met"})
        assert withdrawn.status_code == 200, withdrawn.text
        assert withdrawn.json()["status"] == "withdrawn" and withdrawn.json()["withdrawal_reason"] == "demand met"
        twice = await client.post(f"/directory/v1/catalogue-entries/{ids[('current', 1)]}/withdraw",
                                  json={"reason": "again"})
        assert twice.status_code == 409, twice.text
        assert twice.headers["content-type"] == PROBLEM and twice.json()["current_state"] == "withdrawn"

    async with platform.client("directory") as anonymous:
        valid = (await anonymous.get("/directory/v1/catalogue-entries", params={"valid_on": date.today().isoformat()})).json()
        assert [e["id"] for e in valid["items"]] == [ids[("current", 0)]]
        in_2021 = (await anonymous.get("/directory/v1/catalogue-entries", params={"valid_on": "2021-06-01"})).json()
        assert {e["id"] for e in in_2021["items"]} == {ids[("old", 0)], ids[("old", 1)]}
        seen, cursor = [], None
        while True:
            params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
            page = (await anonymous.get("/directory/v1/catalogue-entries", params=params)).json()
            seen += [e["id"] for e in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
    assert seen == [ids[k] for k in [("old", 0), ("old", 1), ("current", 0), ("current", 1)]]
    [event] = await outbox_events(platform, "CatalogueEntryWithdrawn")
    assert event["entry_id"] == ids[("current", 1)] and event["reason"] == "demand met"


BAD = {
    "unknown focus area": ({"focus_area": "tourism"}, "focus_area"),
    "field of another focus area": ({"field": "transport_system"}, "field"),
    "unknown field": ({"field": "astrology"}, "field"),
    "unknown zone": ({"zone": "atlantis"}, "zone"),
    "no one sought": ({"number_sought": 0}, "number_sought"),
    "no demand": ({"demand": ""}, "demand"),
}


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
@pytest.mark.parametrize("case", list(BAD))
async def test_r_field_bad_entry_is_a_422_naming_the_field_and_writes_nothing(platform, case):
    await platform.start()
    overrides, field = BAD[case]
    async with platform.client("directory", OFFICER) as client:
        edition = (await client.post("/directory/v1/catalogue-editions", json=data.catalogue_edition())).json()
        response = await client.post(f"/directory/v1/catalogue-editions/{edition['id']}/entries",
                                     json=data.catalogue_entry(**overrides))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert field in problem_fields(response)
    assert await platform.count("directory", catalogue_entries) == 0


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
async def test_edition_ending_before_it_starts_is_refused_and_writes_nothing(platform):
    await platform.start()
    async with platform.client("directory", OFFICER) as client:
        response = await client.post("/directory/v1/catalogue-editions",
                                     json=data.catalogue_edition(valid_from="2025-01-01", valid_until="2024-12-31"))
        bad_code = await client.post("/directory/v1/employers", json=data.employer(credit_code="91110108MA01ABCDE0"))
    assert response.status_code == 422 and "valid_until" in problem_fields(response)
    assert bad_code.status_code == 422 and "credit_code" in problem_fields(bad_code)
    assert await platform.count("directory", catalogue_editions) == 0
    assert await platform.count("directory", "employers") == 0
    assert await platform.count("directory", platform.runtime("directory").tables.outbox) == 0


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
async def test_only_bureau_officers_write_the_catalogue(platform):
    await platform.start()
    async with platform.client("directory", OFFICER) as client:
        edition = (await client.post("/directory/v1/catalogue-editions", json=data.catalogue_edition())).json()
        entry = (await client.post(f"/directory/v1/catalogue-editions/{edition['id']}/entries",
                                   json=data.catalogue_entry())).json()
    writes = [
        ("/directory/v1/catalogue-editions", data.catalogue_edition()),
        (f"/directory/v1/catalogue-editions/{edition['id']}/entries", data.catalogue_entry()),
        (f"/directory/v1/catalogue-editions/{edition['id']}/publish", None),
        (f"/directory/v1/catalogue-entries/{entry['id']}/withdraw", {"reason": "x"}),
    ]
    for headers, status in [({}, 401), (auth("employer", "6f1c1d38-5f7e-4a43-9a4c-1b6a7f0e2d11"), 403), (auth("preliminary_reviewer", "district:haidian"), 403)]:
        async with platform.client("directory", headers) as client:
            for path, body in writes:
                response = await client.post(path, json=body)
                assert response.status_code == status, (path, headers, response.text)
    assert await platform.count("directory", catalogue_editions) == 1
    assert await platform.count("directory", catalogue_entries) == 1
