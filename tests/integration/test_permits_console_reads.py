"""R-PERMIT: an expert reads their own permits and when each expires — not a dependant's, not another expert's."""

from __future__ import annotations

from tests.support.permits import OFFICER, dependant_body, open_case, principal_body
from tests.support.tokens import auth


async def test_r_permit_an_expert_reads_their_own_permits_and_nobody_elses(platform):
    await platform.start()
    event, case = await open_case(platform)
    expert_id = str(event.expert.expert_id)
    employer = auth("employer", str(event.employer.employer_id))
    async with platform.client("permits") as client:
        own = await client.post(f"/permits/v1/cases/{case['id']}/applications", json=principal_body("work_residence_permit"), headers=employer)
        assert own.status_code == 201, own.text
        child = await client.post(f"/permits/v1/cases/{case['id']}/applications", json=dependant_body("spouse"),
                                  headers=employer)
        assert child.status_code == 201, child.text

        mine = await client.get(f"/permits/v1/experts/{expert_id}/permits", headers=auth("expert", subject=expert_id))
        assert mine.status_code == 200, mine.text
        assert [(p["id"], p["kind"], p["valid_until"]) for p in mine.json()] == [
            (own.json()["id"], "work_residence_permit", own.json()["valid_until"])]
        officer = await client.get(f"/permits/v1/experts/{expert_id}/permits", headers=OFFICER)
        assert [p["id"] for p in officer.json()] == [own.json()["id"]]

        other = await client.get(f"/permits/v1/experts/{expert_id}/permits", headers=auth("expert", subject="someone"))
        assert other.status_code == 404
        assert (await client.get(f"/permits/v1/experts/{expert_id}/permits", headers=employer)).status_code == 404
