"""One chaos run: mixed events committed while the broker restarts and consumers are SIGKILLed.

The schedule spreads the faults evenly over the emission window:

* ``broker_restarts`` RabbitMQ restarts, alternating ``rabbitmqctl stop_app``/``start_app`` and
  ``kill -9`` of beam.smp then a fresh start (scripts/infra.sh rabbit-kill / rabbit-start);
* ``consumer_kills`` SIGKILLs of the consuming services' processes, in turn, each restarted
  half a second later.

Then it waits for the platform to converge and reads the truth from the databases, in Jepsen's
terms (a set workload):

* ``ok``: committed at the source and applied once at the consumer;
* ``lost``: committed at the source (its outbox row exists) and never applied;
* ``duplicated``: applied more than once (any effect record seen twice);
* ``unexpected``: applied but never committed at the source;
* ``recovered``: the client saw no answer (time-out, connection error) yet the event was committed
  and applied;
* ``committed during a fault``: committed while the broker was down or a consumer dead, applied
  after it came back.

Plus the largest outbox backlog seen (unsent rows over all sources, sampled every 0.2 s) and the
time to drain after the last fault: from the end of the last fault (and of emission) until every
committed event is applied.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from chaos.cluster import Cluster
from chaos.flows import FLOWS, Flow, consumers_of, describe, pick, services_of


@dataclass
class Scenario:
    events: int = 2000
    rate: float = 25.0
    """Events committed per second (over all flows)."""
    broker_restarts: int = 5
    consumer_kills: int = 10
    broker_down_seconds: float = 2.0
    consumer_down_seconds: float = 0.5
    concurrency: int = 4
    drain_timeout: float = 240.0
    flows: tuple[Flow, ...] = FLOWS

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "flows"} | {
            "flows": [describe(f) for f in self.flows]}


@dataclass
class Timeline:
    start: float = field(default_factory=time.monotonic)
    faults: list[dict] = field(default_factory=list)
    backlog: list[tuple[float, int]] = field(default_factory=list)

    def at(self) -> float:
        return round(time.monotonic() - self.start, 3)


def _log(message: str) -> None:
    print(f"chaos: {message}", flush=True)


async def _emit(cluster: Cluster, scenario: Scenario, timeline: Timeline, acked: dict[str, dict[str, float]],
                unknown: dict[str, int]) -> float:
    """Commit the events at the scenario's rate; return when the last was committed (s)."""
    counter = iter(range(scenario.events))
    interval = scenario.concurrency / scenario.rate

    async def worker(offset: int) -> None:
        next_at = time.monotonic() + offset * interval / scenario.concurrency
        for i in counter:
            delay = next_at - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            next_at += interval
            flow = pick(scenario.flows, i)
            key = await flow.emit(cluster)
            if key is None:
                unknown[flow.name] += 1
            else:
                acked[flow.name][key] = timeline.at()

    await asyncio.gather(*(worker(n) for n in range(scenario.concurrency)))
    return timeline.at()


async def _broker_faults(scenario: Scenario, window: float, timeline: Timeline) -> None:
    from tests.support import infra

    for n in range(scenario.broker_restarts):
        await asyncio.sleep(max(0.0, (n + 0.5) * window / scenario.broker_restarts - (time.monotonic() - timeline.start)))
        mode = "stop_app" if n % 2 == 0 else "kill -9"
        fault = {"kind": "broker", "mode": mode, "down_at": timeline.at()}
        if mode == "stop_app":
            await asyncio.to_thread(infra.rabbitmqctl, "stop_app")
            await asyncio.sleep(scenario.broker_down_seconds)
            fault["start_at"] = timeline.at()
            await asyncio.to_thread(infra.rabbitmqctl, "start_app")
        else:
            await asyncio.to_thread(infra.infra_script, "rabbit-kill")
            await asyncio.sleep(scenario.broker_down_seconds)
            fault["start_at"] = timeline.at()
            await asyncio.to_thread(infra.infra_script, "rabbit-start")
        fault["up_at"] = timeline.at()
        timeline.faults.append(fault)
        _log(f"broker {mode}: down {fault['down_at']:.1f}s → serving again {fault['up_at']:.1f}s")


async def _consumer_faults(cluster: Cluster, scenario: Scenario, window: float, timeline: Timeline) -> None:
    consumers = consumers_of(scenario.flows)
    for n in range(scenario.consumer_kills):
        await asyncio.sleep(max(0.0, (n + 0.5) * window / scenario.consumer_kills - (time.monotonic() - timeline.start)))
        service = consumers[n % len(consumers)]
        fault = {"kind": "consumer", "service": service, "mode": "SIGKILL", "down_at": timeline.at()}
        await cluster.kill(service)
        await asyncio.sleep(scenario.consumer_down_seconds)
        await cluster.restart(service)
        fault["up_at"] = timeline.at()
        timeline.faults.append(fault)
        _log(f"SIGKILL {service} at {fault['down_at']:.1f}s, restarted {fault['up_at']:.1f}s")


async def _watch_backlog(cluster: Cluster, sources: list[str], timeline: Timeline, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            total = sum([await cluster.unsent(s) for s in sources])
            timeline.backlog.append((timeline.at(), total))
        except Exception:
            pass  # PostgreSQL is not under fault; a failed sample is just skipped
        try:
            await asyncio.wait_for(stop.wait(), timeout=0.2)
        except TimeoutError:
            pass


async def _truth(cluster: Cluster, flow: Flow) -> tuple[set[str], list[Counter]]:
    committed = set(await cluster.rows(flow.source, flow.committed_sql))
    effects = [Counter(await cluster.rows(flow.consumer, sql)) for sql in flow.effects_sql]
    return committed, effects


async def _converged(cluster: Cluster, flows: tuple[Flow, ...]) -> bool:
    for flow in flows:
        committed, effects = await _truth(cluster, flow)
        if not all(committed <= set(e) for e in effects):
            return False
    return True


async def _parked(cluster: Cluster, consumers: list[str]) -> dict[str, int]:
    from tests.support import infra

    out = await asyncio.to_thread(infra.rabbitmqctl, "list_queues", "-q", "--no-table-headers", "name", "messages")
    parked = {}
    for line in out.splitlines():
        parts = line.split()
        for service in consumers:
            if len(parts) == 2 and parts[0] == f"{cluster.namespace}{service}.parked":
                parked[service] = int(parts[1])
    return parked


async def run(scenario: Scenario, *, cluster: Cluster | None = None) -> dict[str, Any]:
    services = services_of(scenario.flows)
    consumers = consumers_of(scenario.flows)
    sources = sorted({f.source for f in scenario.flows})
    # Production's delivery limit (5): a message redelivered by every consumer kill it lives
    # through is not parked early, as it would not be in a deployment.
    cluster = cluster or Cluster(services, delivery_limit="5", relay_poll_seconds="0.2")
    _log(f"{scenario.events} events ({', '.join(f.name for f in scenario.flows)}) at {scenario.rate:g}/s; "
         f"{scenario.broker_restarts} broker restarts, {scenario.consumer_kills} consumer SIGKILLs; "
         f"services {', '.join(services)} (logs in {cluster.log_dir})")
    await cluster.start()
    try:
        acked: dict[str, dict[str, float]] = {f.name: {} for f in scenario.flows}
        unknown: Counter = Counter()
        timeline = Timeline()
        window = scenario.events / scenario.rate
        stop = asyncio.Event()
        watcher = asyncio.create_task(_watch_backlog(cluster, sources, timeline, stop))
        try:
            emitted_at, _, _ = await asyncio.gather(
                _emit(cluster, scenario, timeline, acked, unknown),
                _broker_faults(scenario, window, timeline),
                _consumer_faults(cluster, scenario, window, timeline),
            )
            last_fault = max([emitted_at] + [f["up_at"] for f in timeline.faults])
            _log(f"emission and faults over at {last_fault:.1f}s; waiting for the platform to converge")
            ready_after = await cluster.wait_all_ready(timeout=120)
            deadline = time.monotonic() + scenario.drain_timeout
            converged = False
            while time.monotonic() < deadline:
                if await _converged(cluster, scenario.flows):
                    converged = True
                    break
                await asyncio.sleep(0.2)
            drained_at = timeline.at()
        finally:
            stop.set()
            await watcher
        result = await _verdict(cluster, scenario, timeline, acked, unknown)
        result.update({
            "converged": converged,
            "emission_seconds": emitted_at,
            "last_fault_over_at": last_fault,
            "drained_at": drained_at,
            "drain_seconds_after_last_fault": round(drained_at - last_fault, 2),
            "ready_seconds_after_last_fault": round(ready_after, 2),
            "largest_outbox_backlog": max((b for _, b in timeline.backlog), default=0),
            "largest_backlog_at": max(timeline.backlog, key=lambda x: x[1], default=(None, 0))[0],
            "parked": await _parked(cluster, consumers),
            "faults": timeline.faults,
            "scenario": scenario.as_dict(),
            "processes_alive_at_end": {s: cluster.alive(s) for s in services},
        })
        return result
    finally:
        await cluster.stop()


def _in_fault(at: float, faults: list[dict], flow: Flow) -> bool:
    for fault in faults:
        if fault["kind"] == "broker" or fault.get("service") == flow.consumer:
            if fault["down_at"] <= at <= fault["up_at"]:
                return True
    return False


async def _verdict(cluster: Cluster, scenario: Scenario, timeline: Timeline, acked: dict[str, dict[str, float]],
                   unknown: Counter) -> dict[str, Any]:
    per_flow = {}
    totals = Counter()
    for flow in scenario.flows:
        committed, effects = await _truth(cluster, flow)
        applied = set().union(*[set(e) for e in effects]) if effects else set()
        lost = committed - set.intersection(*[set(e) for e in effects]) if effects else committed
        duplicated = {k for e in effects for k, n in e.items() if n > 1}
        unexpected = applied - committed
        acked_keys = set(acked[flow.name])
        recovered = (committed & applied) - acked_keys
        during_fault = {k for k, at in acked[flow.name].items() if _in_fault(at, timeline.faults, flow)}
        row = {
            "attempted": len(acked[flow.name]) + unknown[flow.name],
            "acknowledged": len(acked_keys),
            "indeterminate": unknown[flow.name],
            "committed": len(committed),
            "ok": len(committed & applied) - len(duplicated & committed),
            "lost": len(lost),
            "duplicated": len(duplicated),
            "unexpected": len(unexpected),
            "recovered": len(recovered),
            "committed_during_fault": len(during_fault),
            "committed_during_fault_applied": len(during_fault & applied),
            "acknowledged_but_not_committed": len(acked_keys - committed),
            "lost_keys": sorted(lost)[:20],
            "duplicated_keys": sorted(duplicated)[:20],
        }
        per_flow[flow.name] = row
        for key in ("attempted", "acknowledged", "indeterminate", "committed", "ok", "lost", "duplicated",
                    "unexpected", "recovered", "committed_during_fault", "committed_during_fault_applied",
                    "acknowledged_but_not_committed"):
            totals[key] += row[key]
    return {"totals": dict(totals), "flows": per_flow}


def table(result: dict[str, Any]):
    from bench.registry import Table

    columns = ["", "attempted", "committed", "ok", "lost", "duplicated", "unexpected", "recovered",
               "during fault"]
    rows = []
    for name, row in [*result["flows"].items(), ("all", result["totals"])]:
        rows.append([name, row["attempted"], row["committed"], row["ok"], row["lost"], row["duplicated"],
                     row["unexpected"], row["recovered"],
                     f"{row['committed_during_fault_applied']}/{row['committed_during_fault']}"])
    broker = [f for f in result["faults"] if f["kind"] == "broker"]
    consumers = [f for f in result["faults"] if f["kind"] == "consumer"]
    return Table(
        title="chaos — outbox → RabbitMQ → inbox under broker restarts and consumer SIGKILLs",
        columns=columns,
        rows=rows,
        notes=[
            f"faults: {len(broker)} broker restarts ({', '.join(f['mode'] for f in broker)}), "
            f"{len(consumers)} consumer SIGKILLs ({', '.join(f['service'] for f in consumers)})",
            f"largest outbox backlog {result['largest_outbox_backlog']} rows (at {result['largest_backlog_at']} s); "
            f"drained {result['drain_seconds_after_last_fault']} s after the last fault "
            f"(emission {result['emission_seconds']} s, last fault over at {result['last_fault_over_at']} s)",
            f"converged: {result['converged']}; parked: {result['parked'] or 'none'}; "
            f"processes alive at the end: {result['processes_alive_at_end']}",
            "lost = committed at the source, never applied; duplicated = an effect record seen twice; "
            "recovered = no answer to the client, yet committed and applied; during fault = committed while "
            "the broker was down or the consumer dead (applied/committed).",
        ],
    )
