"""A closed-loop HTTP load generator: N clients, each sending its next request when the last answered."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from bench.stats import summary


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    statuses: dict[int, int]
    first_error: str | None = None

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def figures(self) -> dict[str, Any]:
        return {"requests": self.requests, "errors": self.errors, "seconds": round(self.seconds, 2),
                "requests_per_s": round(self.throughput, 1), "latency_ms": summary(self.latencies_ms, 2),
                "statuses": {str(k): v for k, v in sorted(self.statuses.items())}, "first_error": self.first_error}


async def closed_loop(
    *,
    url: str,
    make_request: Callable[[int], tuple[dict, dict]],
    expect: int,
    clients: int,
    seconds: float,
    warmup: float,
) -> LoadResult:
    """``make_request(i) -> (json body, headers)``; only requests answered after the warm-up count."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    first_error: str | None = None
    counter = iter(range(10**9))
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        start = time.perf_counter()
        measure_from = start + warmup
        stop_at = measure_from + seconds

        async def one_client() -> None:
            nonlocal errors, first_error
            while True:
                now = time.perf_counter()
                if now >= stop_at:
                    return
                body, headers = make_request(next(counter))
                sent = time.perf_counter()
                try:
                    response = await client.post(url, json=body, headers=headers)
                    status = response.status_code
                except httpx.HTTPError as exc:
                    status, response = 0, None
                    first_error = first_error or f"{type(exc).__name__}: {exc}"
                done = time.perf_counter()
                if sent < measure_from or done > stop_at:
                    continue
                statuses[status] = statuses.get(status, 0) + 1
                if status == expect:
                    latencies.append((done - sent) * 1000)
                else:
                    errors += 1
                    if response is not None:
                        first_error = first_error or f"{status}: {response.text[:300]}"

        await asyncio.gather(*(one_client() for _ in range(clients)))
    return LoadResult(requests=len(latencies), errors=errors, seconds=seconds, latencies_ms=latencies,
                      statuses=statuses, first_error=first_error)
