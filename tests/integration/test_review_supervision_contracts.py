"""Supervision after selection on both run modes: the signed contract and the annual performance
evaluations (R-SUPERVISE, R-ONBOARD, R-SUB-RECURRING), their events, and who may do and see what."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal

import pytest
import sqlalchemy as sa

from services.review.supervision.models import performance_evaluations, signed_contracts, supervised_selections
from tests.support.supervision import (
    OFFICER, contract_body, employer_of, evaluate, expert_of, get, outbox_events, post, register_contract, select,
)
from tests.support.tokens import auth

PROBLEM = "application/problem+json"


async def audit_actions(platform) -> list[tuple[str, str | None]]:
    runtime = platform.runtime("review")
    log = runtime.tables.audit_log
    async with runtime.db.session() as session:
        return [tuple(r) for r in (await session.execute(
            sa.select(log.c.action, log.c.actor).order_by(log.c.id))).all()]


# -- the selection the committee records --------------------------------------------------------------
async def test_R_SUPERVISE_record_selection_keeps_the_approved_facts_once_whatever_the_repeats(platform):
    await platform.start()
    event = await select(platform, announce=False)

    again = await select(platform, event, announce=False)
    response = await get(platform, f"/selections/{event.application_id}", OFFICER)

    assert again == event
    assert await platform.count("review", supervised_selections) == 1
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["expert_id"] == str(event.expert.expert_id)
    assert body["employer_id"] == str(event.employer.employer_id)
    assert (body["approved_start"], body["approved_end"], body["approved_annual_salary"]) == (
        "2024-06-01", "2027-05-31", "850000.00")
    assert [a for a, _ in await audit_actions(platform)] == ["record_selection"]


async def test_selection_listing_shows_an_employer_only_its_own_and_officers_all(platform):
    await platform.start()
    mine, theirs = await select(platform, announce=False), await select(platform, announce=False)

    as_employer = await get(platform, "/selections", employer_of(mine))
    as_expert = await get(platform, "/selections", expert_of(theirs))
    as_officer = await get(platform, "/selections", OFFICER, limit=1)
    second_page = await get(platform, "/selections", OFFICER, limit=1, cursor=as_officer.json()["next_cursor"])
    as_partner = await get(platform, "/selections", auth("partner_agency"))

    assert [s["application_id"] for s in as_employer.json()["items"]] == [str(mine.application_id)]
    assert [s["application_id"] for s in as_expert.json()["items"]] == [str(theirs.application_id)]
    officer_ids = [s["application_id"] for s in as_officer.json()["items"] + second_page.json()["items"]]
    assert officer_ids == [str(mine.application_id), str(theirs.application_id)]
    assert second_page.json()["next_cursor"] is None
    assert as_partner.status_code == 403


# -- the signed contract ----------------------------------------------------------------------------
async def test_R_SUPERVISE_employer_registers_the_signed_contract_and_ContractRegistered_is_emitted(platform):
    await platform.start()
    event = await select(platform)

    contract = await register_contract(platform, event)

    assert contract["differs_from_plan"] is False and contract["differences"] == []
    assert (contract["start"], contract["end"], contract["annual_salary"], contract["signed_on"]) == (
        "2024-06-01", "2027-05-31", "850000.00", "2024-05-31")
    [emitted] = await outbox_events(platform, "ContractRegistered")
    assert emitted["contract_id"] == contract["id"]
    assert emitted["application_id"] == str(event.application_id)
    assert emitted["expert_id"] == str(event.expert.expert_id)
    assert emitted["employer_id"] == str(event.employer.employer_id)
    assert emitted["contract"] == {"start": "2024-06-01", "end": "2027-05-31", "annual_salary": "850000.00"}
    assert emitted["differs_from_plan"] is False
    for headers in (employer_of(event), expert_of(event), OFFICER):
        seen = await get(platform, f"/selections/{event.application_id}/contract", headers)
        assert seen.status_code == 200 and seen.json() == contract
    assert ("register_contract", "hr-manager") in await audit_actions(platform)


async def test_R_SUPERVISE_a_contract_unlike_the_approved_plan_is_flagged_for_officers(platform):
    await platform.start()
    event = await select(platform, announce=False)

    contract = await register_contract(platform, event, end="2026-05-31", annual_salary="720000")

    assert contract["differs_from_plan"] is True
    assert contract["differences"] == [
        {"field": "end", "approved": "2027-05-31", "signed": "2026-05-31"},
        {"field": "annual_salary", "approved": "850000.00", "signed": "720000.00"},
    ]
    [emitted] = await outbox_events(platform, "ContractRegistered")
    assert emitted["differs_from_plan"] is True
    assert Decimal(emitted["contract"]["annual_salary"]) == Decimal("720000")


async def test_a_second_contract_is_a_409_naming_the_current_state(platform):
    await platform.start()
    event = await select(platform, announce=False)
    first = await register_contract(platform, event)

    again = await post(platform, f"/selections/{event.application_id}/contract",
                       contract_body(event, annual_salary="900000.00"), employer_of(event))

    assert again.status_code == 409, again.text
    assert again.headers["content-type"] == PROBLEM
    assert again.json()["state"] == "registered" and again.json()["contract_id"] == first["id"]
    assert len(await outbox_events(platform, "ContractRegistered")) == 1


CONTRACT_CASES = {
    "ends before it starts": ({"end": "2024-05-01"}, "end"),
    "signed in the future": ({"signed_on": "2099-01-01"}, "signed_on"),
    "salary as a float": ({"annual_salary": 850000.5}, "annual_salary"),
    "salary with 3 places": ({"annual_salary": "850000.005"}, "annual_salary"),
    "salary zero": ({"annual_salary": "0"}, "annual_salary"),
    "not a date": ({"start": "June 2024"}, "start"),
    "unknown field": ({"passport_number": "X123"}, "passport_number"),
}


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
@pytest.mark.parametrize("case", list(CONTRACT_CASES))
async def test_bad_contract_is_a_422_naming_the_field_and_writes_nothing(platform, case):
    await platform.start()
    event = await select(platform, announce=False)
    overrides, field = CONTRACT_CASES[case]

    response = await post(platform, f"/selections/{event.application_id}/contract", contract_body(event, **overrides),
                          employer_of(event))

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert field in [e["field"] for e in response.json()["errors"]]
    assert await platform.count("review", signed_contracts) == 0
    assert await outbox_events(platform, "ContractRegistered") == []


async def test_only_the_applications_employer_registers_its_contract(platform):
    await platform.start()
    event = await select(platform, announce=False)
    path = f"/selections/{event.application_id}/contract"
    body = contract_body(event)

    other_employer = await post(platform, path, body, auth("employer", str(uuid.uuid4())))
    officer = await post(platform, path, body, OFFICER)
    expert = await post(platform, path, body, expert_of(event))
    anonymous = await post(platform, path, body, {})
    unknown = await post(platform, f"/selections/{uuid.uuid4()}/contract", body, employer_of(event))

    assert [r.status_code for r in (other_employer, officer, expert, anonymous, unknown)] == [403, 403, 403, 401, 404]
    assert await platform.count("review", signed_contracts) == 0
    assert await outbox_events(platform, "ContractRegistered") == []


async def test_another_employer_cannot_see_the_selection_or_its_contract(platform):
    await platform.start()
    event = await select(platform, announce=False)
    await register_contract(platform, event)
    stranger = auth("employer", str(uuid.uuid4()))

    for path in ("", "/contract", "/evaluations"):
        response = await get(platform, f"/selections/{event.application_id}{path}", stranger)
        assert response.status_code == 404, (path, response.text)
    another_expert = await get(platform, f"/selections/{event.application_id}", auth("expert", subject=str(uuid.uuid4())))
    assert another_expert.status_code == 404


# -- performance evaluations ------------------------------------------------------------------------
async def test_R_SUB_RECURRING_officer_evaluates_each_year_once_and_PerformanceEvaluated_is_emitted(platform):
    await platform.start()
    event = await select(platform, announce=False)

    first = await evaluate(platform, event, 2024, "excellent", "led the photonics line")
    twice = await post(platform, f"/selections/{event.application_id}/evaluations",
                       {"funding_year": 2024, "grade": "unqualified", "comments": "again"}, OFFICER)
    second = await evaluate(platform, event, 2025, "unqualified", "absent most of the year")

    assert twice.status_code == 409, twice.text
    assert twice.json()["state"] == "evaluated" and twice.json()["grade"] == "excellent"
    emitted = await outbox_events(platform, "PerformanceEvaluated")
    assert [(e["funding_year"], e["grade"], e["evaluation_id"]) for e in emitted] == [
        (2024, "excellent", first["id"]), (2025, "unqualified", second["id"])]
    assert emitted[0]["expert_id"] == str(event.expert.expert_id)
    assert emitted[0]["employer_id"] == str(event.employer.employer_id)
    assert emitted[0]["evaluated_by"] == "officer-li"
    listed = await get(platform, f"/selections/{event.application_id}/evaluations", employer_of(event))
    assert [(e["funding_year"], e["grade"], e["comments"]) for e in listed.json()["items"]] == [
        (2024, "excellent", "led the photonics line"), (2025, "unqualified", "absent most of the year")]


async def test_R_SUB_RECURRING_the_evaluated_years_follow_the_registered_contract(platform):
    await platform.start()
    event = await select(platform, announce=False)
    await register_contract(platform, event, start="2025-01-01", end="2026-12-31")

    before = await post(platform, f"/selections/{event.application_id}/evaluations",
                        {"funding_year": 2024, "grade": "good", "comments": "x"}, OFFICER)

    assert before.status_code == 422, before.text
    assert before.json()["errors"][0]["field"] == "funding_year"
    assert before.json()["rule"] == "R-SUB-RECURRING"
    assert (await evaluate(platform, event, 2025))["funding_year"] == 2025


async def test_R_SUB_RECURRING_concurrent_evaluations_of_one_year_record_one(platform):
    await platform.start()
    event = await select(platform, announce=False)
    body = {"funding_year": 2025, "grade": "good", "comments": "fine"}

    responses = await asyncio.gather(*(post(platform, f"/selections/{event.application_id}/evaluations", body, OFFICER)
                                       for _ in range(4)))

    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409], [r.text for r in responses]
    assert await platform.count("review", performance_evaluations) == 1
    assert len(await outbox_events(platform, "PerformanceEvaluated")) == 1


EVALUATION_CASES = {
    "unknown grade": ({"grade": "outstanding"}, "grade"),
    "year not started": ({"funding_year": 2099}, "funding_year"),
    "year before the contract": ({"funding_year": 2023}, "funding_year"),
    "year as a string": ({"funding_year": "2024"}, "funding_year"),
    "no comments": ({"comments": ""}, "comments"),
}


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
@pytest.mark.parametrize("case", list(EVALUATION_CASES))
async def test_bad_evaluation_is_a_422_naming_the_field_and_writes_nothing(platform, case):
    await platform.start()
    event = await select(platform, announce=False)
    overrides, field = EVALUATION_CASES[case]
    body = {"funding_year": 2024, "grade": "good", "comments": "fine", **overrides}

    response = await post(platform, f"/selections/{event.application_id}/evaluations", body, OFFICER)

    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
    assert await platform.count("review", performance_evaluations) == 0
    assert await outbox_events(platform, "PerformanceEvaluated") == []


async def test_only_bureau_officers_evaluate_performance(platform):
    await platform.start()
    event = await select(platform, announce=False)
    path = f"/selections/{event.application_id}/evaluations"
    body = {"funding_year": 2024, "grade": "good", "comments": "fine"}

    responses = [await post(platform, path, body, headers) for headers in (
        employer_of(event), expert_of(event), auth("committee_member"), {})]
    unknown = await post(platform, f"/selections/{uuid.uuid4()}/evaluations", body, OFFICER)

    assert [r.status_code for r in responses] == [403, 403, 403, 401]
    assert unknown.status_code == 404
    assert await platform.count("review", performance_evaluations) == 0


