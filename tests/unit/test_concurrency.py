"""Background loops stop when cancelled, even when the cancellation races with a wake-up."""

from __future__ import annotations

import asyncio

import pytest

from shared.concurrency import wait_for_wake

pytestmark = pytest.mark.unit


async def test_a_cancellation_that_races_with_the_wake_up_is_not_swallowed():
    event = asyncio.Event()
    waiter = asyncio.create_task(wait_for_wake(event, 10))
    await asyncio.sleep(0)  # the waiter is parked on the event

    event.set()  # the wake-up and the stop arrive in the same loop iteration
    waiter.cancel()

    with pytest.raises(asyncio.CancelledError):
        await waiter


async def test_returns_whether_woken_or_timed_out():
    event = asyncio.Event()
    assert await wait_for_wake(event, 0.01) is False
    event.set()
    assert await wait_for_wake(event, 10) is True
