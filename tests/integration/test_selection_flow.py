"""The whole selection flow through the public API, on both run modes: catalogue entry -> application ->
returned and resubmitted -> preliminary and formal review -> a sitting with one recusal -> ApplicationApproved
-> intake shows the decision, subsidy opens the entitlement (R-CATALOGUE, R-APPLY, R-FORMAL, R-COMMITTEE)."""

from __future__ import annotations

import contextlib

import sqlalchemy as sa

from services.review.models import conflicts, votes
from tests.support.demo import demo_module
from tests.support.review import route_quotes_in_process


async def test_selection_flow_from_catalogue_entry_to_approval_with_a_return_and_a_recusal(platform):
    await platform.start()
    route_quotes_in_process(platform)
    demo = demo_module()
    lines: list[str] = []
    async with contextlib.AsyncExitStack() as stack:
        clients = {name: await stack.enter_async_context(platform.client(name))
                   for name in ("directory", "intake", "review", "subsidy")}
        result = await demo.Flow(clients, say=lines.append, timeout=20).run()

    application_id = result["application_id"]
    decision = result["decision"]
    assert decision["outcome"] == "approved"
    assert (decision["votes_for"], decision["votes_against"], decision["recused"]) == (4, 1, 1)
    assert decision["funding_plan"]["to_be_quoted"] is False
    assert decision["funding_plan"]["items"][0] == {"code": "salary_subsidy", "article": "Art. 11(1)",
                                                    "estimated_yearly_amount": "170000.00"}
    assert "R-WAGE-TOTAL" in decision["wage_bill_note"]
    # Intake shows the employer the committee's decision, the one review recorded.
    assert result["intake"]["state"] == "approved"
    assert result["intake"]["decision"]["decision_id"] == decision["id"]
    assert result["intake"]["submissions"] == 2  # returned once, resubmitted
    assert result["entitlement"]["application_id"] == application_id
    # The recusal is on record and the recused member's vote is not.
    review = platform.runtime("review")
    async with review.db.session() as session:
        recused = (await session.execute(sa.select(conflicts.c.member_id))).scalars().all()
        voters = (await session.execute(sa.select(votes.c.member_id))).scalars().all()
    assert len(recused) == 1 and recused[0] not in voters and len(voters) == 5
    async with platform.client("intake") as client:
        history = (await client.get(f"/intake/v1/applications/{application_id}/history",
                                    headers=demo.token("bureau_officer"))).json()
    states = [h["to_state"] for h in (history["items"] if isinstance(history, dict) else history)]
    assert states.index("returned") < states.index("awaiting_committee") < states.index("approved")
    assert any("a second decision is refused: state 'approved'" in line for line in lines)
