"""The funding-plan quote (资助方案, R-COMMITTEE): in-process in the embedded platform, whatever its port, and
quoted again by an officer when it was recorded ``to_be_quoted``."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime

import httpx
import sqlalchemy as sa
import uvicorn

from embedded.app import SERVICES, create_embedded_app, service_settings
from services.review.models import decisions
from tests.support.events import publish
from tests.support.platform import FAST, copy_migrated_sqlite, eventually
from tests.support.review import (
    GOOD, OFFICER, WEAK, _audit_actions, _failing_quotes, convene, decide, deliberate, formal_pass, member_auth,
    outbox_events, seat_committee, subjects,
)
from tests.support.subsidy import entitlements_of

SALARY_SUBSIDY = {"code": "salary_subsidy", "article": "Art. 11(1)", "estimated_yearly_amount": "170000.00"}
"""R-SUB-SALARY: 20% of the 850,000 salary of ``formal_pass()``, within the 200,000 cap."""


class Trap:
    """A TCP listener that records every connection: where nothing may call."""

    def __init__(self) -> None:
        self.connections = 0
        self.server: asyncio.Server | None = None

    async def _accept(self, reader, writer) -> None:
        self.connections += 1
        writer.close()

    async def __aenter__(self) -> "Trap":
        self.server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc) -> None:
        self.server.close()
        await self.server.wait_closed()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"


@contextlib.asynccontextmanager
async def served(app, port: int = 0):
    """``app`` served by uvicorn on ``port`` (0: any free one), its lifespan run; yields the base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="on", log_level="warning"))
    task = asyncio.create_task(server.serve())
    try:
        await eventually(lambda: server.started or task.done(), timeout=30, message="the embedded platform serving")
        assert not task.done(), "the server stopped while starting"
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 30)


async def test_the_embedded_platform_on_another_port_quotes_the_plan_in_process_and_calls_no_subsidy_url(tmp_path):
    async with Trap() as trap:
        # Review is configured to call the trap (as it was configured to call 127.0.0.1:8000, where another
        # platform might listen): the embedded platform must ask its own mounted subsidy instead.
        settings = service_settings(tmp_path, **FAST)
        settings["review"] = settings["review"].model_copy(update={"subsidy_url": trap.url})
        for entry in SERVICES:
            copy_migrated_sqlite(entry.name, entry.migrations_dir, settings[entry.name].resolved_database_url)
        dispatcher = create_embedded_app(tmp_path, settings=settings)
        event = formal_pass()
        async with served(dispatcher) as base_url, httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            assert not base_url.endswith(":8000")
            intake = dispatcher.apps["intake"].state.runtime
            async with intake.uow() as uow:  # what intake does when the formal review passes
                uow.publish(event)
                await uow.commit()
            case = f"/review/v1/cases/{event.application_id}"
            await eventually(lambda: _ok(client.get(case, headers=OFFICER)), message="the case reached review")
            committee = await seat_committee(client)
            sitting = await client.post("/review/v1/sittings", headers=OFFICER, json={
                "held_on": "2024-05-20", "member_ids": list(committee.ids.values()),
                "application_ids": [str(event.application_id)]})
            assert sitting.status_code == 201, sitting.text
            path = f"/review/v1/sittings/{sitting.json()['id']}/cases/{event.application_id}"
            attendance = await client.post(f"/review/v1/sittings/{sitting.json()['id']}/attendance", headers=OFFICER,
                                           json={"present_member_ids": list(committee.ids.values())})
            assert attendance.status_code == 200, attendance.text
            for subject in committee.ids:
                for kind, body in (("scores", GOOD), ("votes", {"approve": True})):
                    r = await client.post(f"{path}/{kind}", headers=member_auth(subject), json=body)
                    assert r.status_code == 201, r.text

            decision = await client.post(f"{path}/decision", headers=OFFICER, json={})

    assert decision.status_code == 201, decision.text
    plan = decision.json()["funding_plan"]
    assert plan["to_be_quoted"] is False
    assert plan["items"][0] == SALARY_SUBSIDY
    assert trap.connections == 0, "the quote left the process for the configured subsidy URL"


async def _ok(response) -> bool:
    return (await response).status_code == 200


def test_the_embedded_platform_routes_the_quote_to_its_mounted_subsidy_app(tmp_path):
    dispatcher = create_embedded_app(tmp_path, settings=service_settings(tmp_path))
    quotes = dispatcher.apps["review"].state.runtime.extras.subsidy_quotes

    assert isinstance(quotes.transport, httpx.ASGITransport)
    assert quotes.transport.app is dispatcher.apps["subsidy"]


# -- re-quoting a plan recorded to_be_quoted (both run modes) -------------------------------------


async def _quote(platform, application_id, headers=OFFICER):
    async with platform.client("review", headers) as client:
        return await client.post(f"/review/v1/decisions/{application_id}/funding-plan/quote")


async def test_an_officer_quotes_a_plan_recorded_to_be_quoted_once_and_the_announced_approval_stands(platform):
    s = await convene(platform)
    restore = _failing_quotes(platform)
    await deliberate(s)
    decided = await decide(s)
    assert decided.status_code == 201, decided.text
    assert decided.json()["funding_plan"]["to_be_quoted"] is True

    still_down = await _quote(platform, s.app)
    assert still_down.status_code == 503, still_down.text
    assert still_down.headers["content-type"].startswith("application/problem+json")
    assert still_down.json()["state"] == "to_be_quoted"
    by_member = await _quote(platform, s.app, member_auth(subjects(s)[0]))
    assert by_member.status_code == 403, by_member.text

    restore()
    quoted = await _quote(platform, s.app)

    assert quoted.status_code == 200, quoted.text
    plan = quoted.json()["funding_plan"]
    assert plan["to_be_quoted"] is False
    assert plan["items"][0] == SALARY_SUBSIDY
    assert plan["quoted_by"] == "test-bureau_officer"
    assert datetime.fromisoformat(plan["quoted_at"]).utcoffset() is not None
    async with platform.client("review", OFFICER) as client:
        assert (await client.get(f"/review/v1/decisions/{s.app}")).json() == quoted.json()
    # Quoted once: a second request is refused and changes nothing.
    again = await _quote(platform, s.app)
    assert again.status_code == 409, again.text
    assert again.json()["state"] == "quoted"
    async with platform.runtime("review").db.session() as session:
        stored = (await session.execute(sa.select(decisions.c.funding_plan))).scalar_one()
    assert datetime.fromisoformat(stored["quoted_at"]) == datetime.fromisoformat(plan["quoted_at"])
    assert (await _audit_actions(platform)).count("quote_funding_plan") == 1
    # The approval already announced is not sent again; subsidy opened the entitlement from it all the same.
    [approved] = await outbox_events(platform, "ApplicationApproved")
    assert approved["funding_plan"]["to_be_quoted"] is True
    # The quote is announced once, with the plan the decision now carries.
    [announced] = await outbox_events(platform, "FundingPlanQuoted")
    assert (announced["application_id"], announced["decision_id"]) == (s.app, quoted.json()["id"])
    assert announced["funding_plan"]["to_be_quoted"] is False and announced["funding_plan"]["items"][0] == SALARY_SUBSIDY
    [entitlement] = await eventually(lambda: entitlements_of(platform, s.event.expert.expert_id),
                                     message="subsidy opened the entitlement from ApplicationApproved")
    assert entitlement["application_id"] == s.app


async def test_a_quoted_plan_a_declined_case_and_an_unknown_decision_are_not_quoted(platform):
    s = await convene(platform)
    await deliberate(s)
    assert (await decide(s)).json()["funding_plan"]["to_be_quoted"] is False
    declined = await convene_again(platform)

    quoted = await _quote(platform, s.app)
    refused = await _quote(platform, declined)
    unknown = await _quote(platform, "00000000-0000-4000-8000-000000000000")

    assert (quoted.status_code, quoted.json()["state"]) == (409, "quoted")
    assert (refused.status_code, refused.json()["state"]) == (409, "declined")
    assert unknown.status_code == 404, unknown.text
    assert "quote_funding_plan" not in await _audit_actions(platform)


async def convene_again(platform) -> str:
    """A second case on the started platform, declined by every member (R-ELIG scores weak)."""
    event = formal_pass()
    await publish(platform, event)
    async with platform.client("review", OFFICER) as client:
        await eventually(lambda: _ok(client.get(f"/review/v1/cases/{event.application_id}")),
                         message="the second case reached review")
        committee = await seat_committee(client)
        r = await client.post("/review/v1/sittings", json={
            "held_on": "2024-05-21", "member_ids": list(committee.ids.values()),
            "application_ids": [str(event.application_id)]})
        assert r.status_code == 201, r.text
        sitting_id = r.json()["id"]
        r = await client.post(f"/review/v1/sittings/{sitting_id}/attendance",
                              json={"present_member_ids": list(committee.ids.values())})
        assert r.status_code == 200, r.text
        path = f"/review/v1/sittings/{sitting_id}/cases/{event.application_id}"
        for subject in committee.ids:
            for kind, body in (("scores", WEAK), ("votes", {"approve": False})):
                r = await client.post(f"{path}/{kind}", headers=member_auth(subject), json=body)
                assert r.status_code == 201, r.text
        r = await client.post(f"{path}/decision", json={})
    assert r.json()["outcome"] == "declined", r.text
    return str(event.application_id)

