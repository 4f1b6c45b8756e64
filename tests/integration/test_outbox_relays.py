"""Several outbox relays on one PostgreSQL database: each row published by exactly one of them."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import UTC, datetime

import pytest

from shared.bus import BusUnavailable, PublishError
from shared.outbox import OutboxRelay
from tests.support.events import commit, employer_registered


class RecordingBus:
    """Stands in for the broker only to count what each relay hands it (slow, to widen races)."""

    def __init__(self, fail_every: int = 0) -> None:
        self.published: Counter[str] = Counter()
        self.calls = 0
        self.fail_every = fail_every

    async def publish(self, routing_key, body, *, message_id, headers=None):
        self.calls += 1
        await asyncio.sleep(0.002)
        if self.fail_every and self.calls % self.fail_every == 0:
            raise PublishError("nack")
        self.published[message_id] += 1


async def commit_events(runtime, n: int) -> None:
    await commit(runtime, *(employer_registered(
        employer_id=uuid.uuid4(), name=f"E{i}", credit_code="0" * 18, district="haidian",
        municipal_state_owned=False, registered_at=datetime.now(UTC),
    ) for i in range(n)))


@pytest.mark.parametrize("platform", [pytest.param("real", marks=[pytest.mark.postgres, pytest.mark.rabbit])],
                         indirect=True)
async def test_concurrent_relays_publish_each_row_exactly_once(platform):
    await platform.start(relays={"directory": False})
    directory = platform.runtime("directory")
    await commit_events(directory, 300)
    bus = RecordingBus(fail_every=7)
    relays = [OutboxRelay(directory.db, directory.tables, bus, batch_size=20) for _ in range(3)]

    async def drain(relay):
        while await relay.backlog():
            await relay.relay_once()
            await asyncio.sleep(0)

    await asyncio.wait_for(asyncio.gather(*(drain(r) for r in relays)), timeout=120)

    assert len(bus.published) == 300
    assert set(bus.published.values()) == {1}, "no row published twice by two relays"
    assert await directory.relay.backlog() == 0


class Refusing:
    """A bus whose every publish fails with ``error``."""

    def __init__(self, error: PublishError) -> None:
        self.error = error

    async def publish(self, *args, **kwargs):
        raise self.error


async def five_rows_and_a_relay_failing_with(platform, error: PublishError):
    await platform.start(relays={"directory": False})
    directory = platform.runtime("directory")
    await commit_events(directory, 5)
    return directory, OutboxRelay(directory.db, directory.tables, Refusing(error), batch_size=10)


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
async def test_refused_publishes_stay_in_the_outbox_and_back_off(platform):
    directory, relay = await five_rows_and_a_relay_failing_with(platform, PublishError("connection lost"))
    assert await relay.relay_once() == 0
    assert await relay.backlog() == 5
    bus = RecordingBus()
    healthy = OutboxRelay(directory.db, directory.tables, bus, batch_size=10)
    assert await healthy.relay_once() == 0, "rows that failed wait for their backoff before the next attempt"
    assert bus.calls == 0
    await asyncio.sleep(0.6)  # the first retry delay
    assert await healthy.relay_once() == 5
    assert await healthy.backlog() == 0


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
async def test_rows_do_not_back_off_while_the_broker_is_away_and_go_on_its_first_pass_back(platform):
    directory, relay = await five_rows_and_a_relay_failing_with(platform, BusUnavailable("not connected to RabbitMQ"))
    for _ in range(3):  # an outage of several passes
        assert await relay.relay_once() == 0
    assert await relay.backlog() == 5
    bus = RecordingBus()
    back = OutboxRelay(directory.db, directory.tables, bus, batch_size=10)
    assert await back.relay_once() == 5, "nothing waits out a back-off once the broker is back"
    assert await back.backlog() == 0
