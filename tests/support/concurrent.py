"""Identical requests sent at one moment, and what a serialised check-then-write must make of them.

``at_once`` sends ``n`` requests through ``asyncio.gather``: on SQLite each goes through its own pooled
connection and aiosqlite thread, on PostgreSQL its own backend, so their reads and writes interleave.
``settled`` then says what came back: every response is a success or a clean problem (never a 5xx), and
the number of successes is the one the rule allows."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx

PROBLEM = "application/problem+json"


async def at_once(n: int, send: Callable[[], Awaitable[httpx.Response]]) -> list[httpx.Response]:
    return list(await asyncio.gather(*(send() for _ in range(n))))


def settled(responses: list[httpx.Response], *, ok: int | tuple[int, ...], winners: int = 1,
            refused: int | tuple[int, ...] = 409) -> tuple[list[httpx.Response], list[httpx.Response]]:
    """(successes, refusals): exactly ``winners`` answered ``ok``, every other one a ``refused`` problem."""
    ok = (ok,) if isinstance(ok, int) else ok
    refused = (refused,) if isinstance(refused, int) else refused
    codes = sorted(r.status_code for r in responses)
    assert all(r.status_code < 500 for r in responses), [r.text for r in responses if r.status_code >= 500]
    won = [r for r in responses if r.status_code in ok]
    lost = [r for r in responses if r.status_code not in ok]
    assert len(won) == winners, (codes, [r.text for r in lost][:2])
    for r in lost:
        assert r.status_code in refused, (codes, r.text)
        assert r.headers["content-type"].startswith(PROBLEM), r.headers
        assert r.json()["status"] == r.status_code, r.text
    return won, lost


__all__ = ["PROBLEM", "at_once", "settled"]
