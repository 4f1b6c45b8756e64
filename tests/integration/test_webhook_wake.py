"""A webhook an event handler queues goes once the event's unit of work has committed (the handler wakes the
dispatcher), not at the dispatcher's next poll: with the poll a minute long, the partner has it in seconds."""

from __future__ import annotations

import time

from tests.support.permits import open_case, start_with_partner
from tests.support.platform import eventually

POLL_SECONDS = 60.0


async def test_r_green_a_case_opened_on_an_approval_reaches_the_partner_well_before_the_next_poll(platform):
    partner, _ = await start_with_partner(platform, ["PermitCaseOpened"], webhook_poll_seconds=POLL_SECONDS)
    started = time.monotonic()

    _, case = await open_case(platform)

    received = await eventually(lambda: _items(partner), timeout=10, message="PermitCaseOpened at the partner")
    assert time.monotonic() - started < POLL_SECONDS / 4
    assert [(r["type"], r["payload"]["data"]["case_id"]) for r in received] == [("PermitCaseOpened", case["id"])]


async def _items(partner) -> list[dict]:
    return (await partner.received())["items"]
