"""The chaos run, CI-sized: mixed events while the broker restarts (stop_app and kill -9) and
consumers are SIGKILLed; nothing lost, no effect applied twice (``make chaos`` runs the full size)."""

from __future__ import annotations

import os

import pytest

from chaos.run import Scenario, run, table
from tests.support import infra

pytestmark = [pytest.mark.postgres, pytest.mark.rabbit, pytest.mark.slow, pytest.mark.timeout(900)]


async def test_no_event_lost_and_no_effect_duplicated_under_broker_restarts_and_consumer_kills(capsys):
    await infra.check_rabbit()
    scenario = Scenario(
        events=int(os.environ.get("CHAOS_EVENTS", "600")),
        rate=25.0,
        broker_restarts=int(os.environ.get("CHAOS_BROKER_RESTARTS", "2")),
        consumer_kills=int(os.environ.get("CHAOS_CONSUMER_KILLS", "4")),
    )
    result = await run(scenario)
    from bench.report import render

    with capsys.disabled():
        print("\n" + render(table(result)))

    totals = result["totals"]
    assert result["converged"], "every committed event applied before the drain time-out"
    assert totals["lost"] == 0, result["flows"]
    assert totals["duplicated"] == 0, result["flows"]
    assert totals["unexpected"] == 0, result["flows"]
    assert totals["committed"] == totals["attempted"] - totals["indeterminate"] + totals["recovered"]
    assert totals["committed_during_fault"] > 0, "the faults overlapped committed events"
    assert {f["mode"] for f in result["faults"] if f["kind"] == "broker"} == {"stop_app", "kill -9"}
    assert all(result["processes_alive_at_end"].values())
