"""Small asyncio helpers the background loops share."""

from __future__ import annotations

import asyncio


async def wait_for_wake(event: asyncio.Event, timeout: float) -> bool:
    """Wait until ``event`` is set or ``timeout`` seconds pass; return whether it was set.

    Not ``asyncio.wait_for``: on Python 3.11 it swallows a cancellation that races with the event
    being set (gh-86296), so a loop stopped at that instant would never end and its owner's shutdown
    would hang. ``asyncio.timeout`` keeps the cancellation.
    """
    try:
        async with asyncio.timeout(timeout):
            await event.wait()
        return True
    except TimeoutError:
        return False
