"""A service's runtime extras (shared/runtime.py): built once with the runtime, before the routing table that
may bind them, and their workers declared rather than attached afterwards."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from services.intake.models import plumbing
from services.intake.settings import IntakeSettings
from shared.events.directory import EmployerRegistered
from shared.runtime import Extras, ServiceRuntime
from shared.workers import Worker

pytestmark = pytest.mark.unit


class Idle(Worker):
    name = "idle"

    async def run_once(self) -> bool:
        return False


@dataclass
class Probe(Extras):
    worker: Idle

    def workers(self):
        return (self.worker,)


async def on_employer_registered(event, envelope, uow, *, wake) -> None:
    wake()


def test_a_routing_table_built_from_the_runtime_binds_its_extras(tmp_path):
    seen = {}

    def routing_table(runtime: ServiceRuntime) -> dict:
        seen["extras"] = runtime.extras  # built by now
        return {EmployerRegistered: lambda e, env, uow: on_employer_registered(e, env, uow,
                                                                               wake=runtime.extras.worker.wake)}

    runtime = ServiceRuntime.build(IntakeSettings(var_dir=tmp_path), tables=plumbing, handlers=routing_table,
                                   extras=lambda runtime: Probe(worker=Idle(poll_seconds=60.0)))

    assert isinstance(seen["extras"], Probe) and seen["extras"] is runtime.extras
    assert set(runtime.handlers) == {EmployerRegistered}
    assert runtime.consumer.handlers is runtime.handlers
    assert list(runtime.extras.workers()) == [runtime.extras.worker]


def test_a_plain_routing_table_is_kept_as_it_is(tmp_path):
    table = {EmployerRegistered: on_employer_registered}

    runtime = ServiceRuntime.build(IntakeSettings(var_dir=tmp_path), tables=plumbing, handlers=table)

    assert runtime.handlers is table
    assert list(runtime.extras.workers()) == []
