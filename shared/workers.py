"""The one base of every background loop: a pass at a time, woken early, stopped and closed with its service.

A service declares its workers (its ``Extras.workers()``, shared/runtime.py); the runtime starts the
enabled ones after the bus, with the outbox relay, and stops them before closing the database. ``wake()``
asks for a pass now rather than at the next poll: the unit of work wakes the relay after a commit that
recorded events, and a handler names any other worker to wake with ``uow.after_commit(worker.wake)``."""

from __future__ import annotations

import asyncio
import logging

from shared.concurrency import wait_for_wake

log = logging.getLogger(__name__)


class Worker:
    """A polling loop. A subclass gives ``run_once``; a loop of another shape overrides ``run_forever``."""

    name = "worker"
    """Names the task and the log lines."""

    def __init__(self, *, poll_seconds: float, enabled: bool = True) -> None:
        self.poll_seconds = poll_seconds
        """The longest pause between passes when nobody wakes the worker."""
        self.enabled = enabled
        """Whether the service starts it (a process may leave a worker to another)."""
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Run a pass now, not at the next poll (safe to call from any handler, at any time)."""
        self._wake.set()

    async def run_once(self) -> bool:
        """One pass; True when more is due at once (the loop goes round without waiting)."""
        raise NotImplementedError

    async def after_failure(self) -> None:
        """Called after a pass raised, before the usual wait (a worker may back off further)."""

    async def run_forever(self) -> None:
        while True:
            # Cleared before the pass: a wake during the pass sets it again and is not missed.
            self._wake.clear()
            try:
                more = await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("%s pass failed; retrying", self.name)
                more = False
                await self.after_failure()
            if more:
                continue
            await wait_for_wake(self._wake, self.poll_seconds)

    async def close(self) -> None:
        """Release what the worker holds (an HTTP client, say); called once its loop has stopped."""


__all__ = ["Worker"]
