"""A closed-loop HTTP load generator: N clients, each sending its next request when the last answered.

Each client holds one keep-alive HTTP/1.1 connection and speaks the protocol directly over asyncio
streams (request line, headers, JSON body; status line, headers, a Content-Length or chunked body).
A general-purpose client such as httpx costs a few milliseconds of CPU per request in this process:
on a 2-core machine it then saturates its own core before a fast server does, and the baseline's
figure becomes the generator's. This one costs a small fraction of that, and the CPU each watched
process spent during the measured window is reported beside the throughput, so a reader can see
which process was the bottleneck.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.stats import summary

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    statuses: dict[int, int]
    first_error: str | None = None
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    """CPU time (user + system) each watched process spent during the measured window."""

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def cpu_share(self, name: str) -> float | None:
        """The watched process's CPU use during the window, as a fraction of one CPU."""
        spent = self.cpu_seconds.get(name)
        return spent / self.seconds if spent is not None and self.seconds else None

    def cpu_ms_per_request(self, name: str) -> float | None:
        spent = self.cpu_seconds.get(name)
        return spent * 1000 / self.requests if spent is not None and self.requests else None

    def figures(self) -> dict[str, Any]:
        return {
            "requests": self.requests, "errors": self.errors, "seconds": round(self.seconds, 2),
            "requests_per_s": round(self.throughput, 1), "latency_ms": summary(self.latencies_ms, 2),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())}, "first_error": self.first_error,
            "cpu": {name: {"seconds": round(spent, 2), "share_of_one_cpu": round(self.cpu_share(name), 3),
                           "ms_per_request": _round(self.cpu_ms_per_request(name), 3)}
                    for name, spent in self.cpu_seconds.items()},
        }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def process_cpu_seconds(pid: int) -> float | None:
    """utime + stime of a process (Linux /proc), or None where that cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS


class ProtocolError(Exception):
    pass


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionResetError("the server closed the connection")
    parts = status_line.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
        raise ProtocolError(f"not an HTTP/1.x status line: {status_line[:80]!r}")
    status = int(parts[1])
    length: int | None = None
    chunked = closing = False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n"):
            break
        if not line:
            raise ConnectionResetError("the server closed the connection in the headers")
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
        elif name == b"connection" and b"close" in value.lower():
            closing = True
    if chunked:
        body = bytearray()
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            if size == 0:
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass
                break
            body += await reader.readexactly(size)
            await reader.readexactly(2)
        payload = bytes(body)
    elif length is not None:
        payload = await reader.readexactly(length)
    else:
        raise ProtocolError("a response without Content-Length or chunked encoding")
    if closing:
        raise ConnectionResetError("the server asked to close the connection")
    return status, payload


async def closed_loop(
    *,
    url: str,
    make_request: Callable[[int], tuple[dict, dict]],
    expect: int,
    clients: int,
    seconds: float,
    warmup: float,
    watch: dict[str, int] | None = None,
) -> LoadResult:
    """``make_request(i) -> (json body, headers)``; only requests answered after the warm-up count.

    ``watch``: processes (name -> pid) whose CPU time over the measured window is reported."""
    target = urlsplit(url)
    host, port = target.hostname or "127.0.0.1", target.port or 80
    path = target.path + (f"?{target.query}" if target.query else "")
    head = f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    first_error: str | None = None
    counter = iter(range(10**9))
    watch = {"generator": os.getpid(), **(watch or {})}
    start = time.perf_counter()
    measure_from = start + warmup
    stop_at = measure_from + seconds
    cpu_at_start: dict[str, float | None] = {}
    cpu_at_end: dict[str, float | None] = {}

    async def sample(at: float, into: dict) -> None:
        await asyncio.sleep(max(0.0, at - time.perf_counter()))
        into.update({name: process_cpu_seconds(pid) for name, pid in watch.items()})

    async def one_client() -> None:
        nonlocal errors, first_error
        reader = writer = None
        while time.perf_counter() < stop_at:
            body, headers = make_request(next(counter))
            data = json.dumps(body, separators=(",", ":")).encode()
            request = (head + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
                       + f"Content-Length: {len(data)}\r\n\r\n").encode() + data
            sent = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, port)
                writer.write(request)
                status, payload = await _read_response(reader)
            except (OSError, asyncio.IncompleteReadError, ProtocolError, ValueError) as exc:
                status, payload = 0, b""
                if writer is not None:
                    writer.close()
                reader = writer = None
                first_error = first_error or f"{type(exc).__name__}: {exc}"
            done = time.perf_counter()
            if sent < measure_from or done > stop_at:
                continue
            statuses[status] = statuses.get(status, 0) + 1
            if status == expect:
                latencies.append((done - sent) * 1000)
            else:
                errors += 1
                if status:
                    first_error = first_error or f"{status}: {payload[:300].decode(errors='replace')}"
        if writer is not None:
            writer.close()

    await asyncio.gather(sample(measure_from, cpu_at_start), sample(stop_at, cpu_at_end),
                         *(one_client() for _ in range(clients)))
    cpu = {name: cpu_at_end[name] - cpu_at_start[name] for name in watch
           if cpu_at_start.get(name) is not None and cpu_at_end.get(name) is not None}
    return LoadResult(requests=len(latencies), errors=errors, seconds=seconds, latencies_ms=latencies,
                      statuses=statuses, first_error=first_error, cpu_seconds=cpu)
