"""The committee's reads the console's screens need (R-COMMITTEE): the sittings a caller may see, the member one is,
and the reason behind a recusal — the recused member's own, never another member's."""

from __future__ import annotations

from tests.support.review import OFFICER, act, convene, member_auth, subjects


async def test_r_committee_sittings_are_listed_for_officers_and_for_the_members_who_sit_on_them(platform):
    s = await convene(platform)
    member = subjects(s)[0]
    async with platform.client("review") as client:
        officer_view = (await client.get("/review/v1/sittings", headers=OFFICER)).json()
        [listed] = [item for item in officer_view["items"] if item["id"] == s.sitting_id]
        assert (listed["member_count"], listed["agenda_size"], listed["attendance_recorded"]) == (6, 1, True)
        mine = (await client.get("/review/v1/sittings", headers=member_auth(member))).json()
        assert [item["id"] for item in mine["items"]] == [s.sitting_id]
        me = await client.get("/review/v1/committee-members/me", headers=member_auth(member))
        assert me.status_code == 200 and me.json()["id"] == s.committee.ids[member]
        # Someone not on the roster has no sittings to see, and is told why.
        outsider = await client.get("/review/v1/sittings", headers=member_auth("not-on-the-roster"))
        assert outsider.status_code == 403
        assert (await client.get("/review/v1/committee-members/me", headers=member_auth("nobody"))).status_code == 403


async def test_r_committee_a_recused_member_reads_its_own_reason_and_an_officer_reads_every_one(platform):
    s = await convene(platform)
    first, second, third = subjects(s)[:3]
    assert (await act(s, first, "conflicts", {"reason": "co-authored with the candidate"})).status_code == 201
    assert (await act(s, second, "conflicts", {"reason": "former employer of the candidate"})).status_code == 201
    async with platform.client("review") as client:
        officer = (await client.get(s.case_path(), headers=OFFICER)).json()
        assert {c["reason"] for c in officer["conflicts"]} == {"co-authored with the candidate",
                                                              "former employer of the candidate"}
        own = (await client.get(s.case_path(), headers=member_auth(first))).json()
        assert [(c["member_id"], c["reason"]) for c in own["conflicts"]] == [
            (s.committee.ids[first], "co-authored with the candidate")]
        assert len(own["recused_member_ids"]) == 2  # who is recused is no secret; why is the member's own
        other = (await client.get(s.case_path(), headers=member_auth(third))).json()
        assert other["conflicts"] == []
