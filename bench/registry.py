"""The benchmark registry: a benchmark is an async function of its options returning an Outcome."""

from __future__ import annotations

import importlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

MODULES = (
    "bench.intake_throughput", "bench.event_latency", "bench.annual_run", "bench.webhook_delivery", "bench.matching",
    "bench.console",
)
"""Every benchmark module; importing one registers its benchmarks. Add new ones here."""


@dataclass
class Options:
    quick: bool = False
    params: dict[str, str] = field(default_factory=dict)
    """``-p key=value`` overrides from the command line; each benchmark documents its own keys."""

    def get(self, key: str, default: Any, quick: Any = None) -> Any:
        """A parameter: the override if given (cast to the default's type), else the (quick) default."""
        fallback = quick if (self.quick and quick is not None) else default
        if key not in self.params:
            return fallback
        raw = self.params[key]
        if isinstance(fallback, bool):
            return raw.lower() in ("1", "true", "yes", "on")
        return type(fallback)(raw)


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Any]]
    notes: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    figures: dict[str, Any]
    """Everything measured, JSON-serialisable; what lands in latest.json."""
    tables: list[Table]
    """What is printed."""


@dataclass(frozen=True)
class Benchmark:
    name: str
    description: str
    run: Callable[[Options, "Progress"], Awaitable[Outcome]]


REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str, description: str):
    """Register ``async def run(options, progress) -> Outcome`` under ``name``."""

    def register(fn):
        if name in REGISTRY:
            raise ValueError(f"benchmark {name!r} registered twice")
        REGISTRY[name] = Benchmark(name, description, fn)
        return fn

    return register


def load_all() -> dict[str, Benchmark]:
    for module in MODULES:
        importlib.import_module(module)
    return REGISTRY


class Progress:
    """Progress lines on stdout, each with the time since the run began."""

    def __init__(self, name: str, started: float | None = None) -> None:
        self.name = name
        self.started = started if started is not None else time.monotonic()

    def __call__(self, message: str) -> None:
        print(f"[{time.monotonic() - self.started:6.1f}s] {self.name}: {message}", flush=True)
