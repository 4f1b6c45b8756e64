"""School placement requests for the expert's children (R-SCHOOL, Art. 10(4))."""

from __future__ import annotations

import pytest

from services.permits.domain import add_years
from tests.support.permits import OFFICER, open_case, today
from tests.support.tokens import auth

pytestmark = pytest.mark.parametrize("platform", ["embedded"], indirect=True)


def request(**overrides) -> dict:
    return {"child_name": "Lea Example", "date_of_birth": add_years(today(), -9).isoformat(),
            "preferred_school_type": "international", "preferred_district": "chaoyang", "grade": "4", **overrides}


async def test_R_SCHOOL_a_placement_request_moves_through_coordination_to_placed(platform):
    await platform.start()
    event, case = await open_case(platform)
    employer = auth("employer", str(event.employer.employer_id))

    async with platform.client("permits", employer) as client:
        created = await client.post(f"/permits/v1/cases/{case['id']}/school-placements", json=request())
        placement = created.json()
        place_as_employer = await client.post(f"/permits/v1/school-placements/{placement['id']}/place",
                                              json={"school_name": "X", "school_type": "private"})
    async with platform.client("permits", OFFICER) as client:
        coordinating = await client.post(f"/permits/v1/school-placements/{placement['id']}/coordinate",
                                         json={"note": "two schools contacted"})
        placed = await client.post(f"/permits/v1/school-placements/{placement['id']}/place", json={
            "school_name": "Beijing City International School", "school_type": "international"})
        again = await client.post(f"/permits/v1/school-placements/{placement['id']}/withdraw", json={})
        listed = (await client.get(f"/permits/v1/cases/{case['id']}/school-placements")).json()

    assert created.status_code == 201, created.text
    assert (placement["status"], placement["preferred_school_type"]) == ("requested", "international")
    assert place_as_employer.status_code == 403
    assert coordinating.json()["status"] == "coordinating" and coordinating.json()["note"] == "two schools contacted"
    assert placed.status_code == 200, placed.text
    assert (placed.json()["status"], placed.json()["school_name"]) == ("placed", "Beijing City International School")
    assert again.status_code == 409 and again.json()["current_state"] == "placed"
    assert [p["status"] for p in listed] == ["placed"]


@pytest.mark.parametrize("school_type", ["qualified_public", "private", "international"])
async def test_R_SCHOOL_each_preferred_school_type_is_accepted(platform, school_type):
    await platform.start()
    _, case = await open_case(platform)

    async with platform.client("permits", OFFICER) as client:
        response = await client.post(f"/permits/v1/cases/{case['id']}/school-placements",
                                     json=request(preferred_school_type=school_type))

    assert response.status_code == 201, response.text
    assert response.json()["preferred_school_type"] == school_type


async def test_R_SCHOOL_unknown_school_type_and_an_adult_child_are_refused(platform):
    await platform.start()
    _, case = await open_case(platform)

    async with platform.client("permits", OFFICER) as client:
        bad_type = await client.post(f"/permits/v1/cases/{case['id']}/school-placements",
                                     json=request(preferred_school_type="boarding"))
        adult = await client.post(f"/permits/v1/cases/{case['id']}/school-placements",
                                  json=request(date_of_birth=add_years(today(), -18).isoformat()))

    assert bad_type.status_code == 422 and "preferred_school_type" in bad_type.json()["detail"]
    assert adult.status_code == 422 and adult.json()["field"] == "date_of_birth"
    assert adult.json()["rule"] == "R-SCHOOL"


async def test_R_SCHOOL_another_employer_cannot_see_or_request(platform):
    await platform.start()
    _, case = await open_case(platform)
    other = auth("employer", "6f1c1d38-5f7e-4a43-9a4c-1b6a7f0e2d11")

    async with platform.client("permits", other) as client:
        response = await client.post(f"/permits/v1/cases/{case['id']}/school-placements", json=request())

    assert response.status_code == 404
