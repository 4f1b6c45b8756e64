"""The worker base (shared/workers.py): a pass at a time, woken early, carried on after a failure."""

from __future__ import annotations

import asyncio

import pytest

from shared.workers import Worker

pytestmark = pytest.mark.unit


class Counting(Worker):
    name = "counting"

    def __init__(self, *, poll_seconds: float = 60.0, more: int = 0, fail: int = 0) -> None:
        super().__init__(poll_seconds=poll_seconds)
        self.passes = 0
        self.more = more
        self.fail = fail
        self.failures_seen = 0
        self.pass_done = asyncio.Event()

    async def run_once(self) -> bool:
        self.passes += 1
        self.pass_done.set()
        if self.fail:
            self.fail -= 1
            raise RuntimeError("the database is away")
        if self.more:
            self.more -= 1
            return True
        return False

    async def after_failure(self) -> None:
        self.failures_seen += 1


async def until(predicate, timeout: float = 2.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.005)


async def running(worker: Worker):
    task = asyncio.create_task(worker.run_forever())
    await asyncio.sleep(0)
    return task


async def stop(task: asyncio.Task) -> None:
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_a_wake_runs_a_pass_long_before_the_poll():
    worker = Counting(poll_seconds=60.0)
    task = await running(worker)
    await until(lambda: worker.passes == 1)

    worker.wake()

    await until(lambda: worker.passes == 2, timeout=1.0)
    await asyncio.sleep(0.05)
    assert worker.passes == 2  # one wake, one pass: the loop waits again
    await stop(task)


async def test_a_pass_with_more_due_is_followed_at_once():
    worker = Counting(poll_seconds=60.0, more=3)
    task = await running(worker)

    await until(lambda: worker.passes == 4, timeout=1.0)
    await asyncio.sleep(0.05)
    assert worker.passes == 4
    await stop(task)


async def test_without_a_wake_the_worker_polls():
    worker = Counting(poll_seconds=0.05)
    task = await running(worker)

    await until(lambda: worker.passes >= 3, timeout=1.0)
    await stop(task)


async def test_a_failed_pass_is_reported_and_the_loop_carries_on():
    worker = Counting(poll_seconds=0.02, fail=2)
    task = await running(worker)

    await until(lambda: worker.passes >= 3, timeout=1.0)
    assert worker.failures_seen == 2
    assert not task.done()
    await stop(task)


async def test_a_wake_during_a_pass_is_not_lost():
    class Slow(Counting):
        async def run_once(self) -> bool:
            self.passes += 1
            if self.passes == 1:
                self.wake()  # a commit lands while the pass is running
            return False

    worker = Slow(poll_seconds=60.0)
    task = await running(worker)

    await until(lambda: worker.passes == 2, timeout=1.0)
    await stop(task)


async def test_the_base_pass_must_be_given():
    with pytest.raises(NotImplementedError):
        await Worker(poll_seconds=1.0).run_once()
