"""The benchmark's load generator speaks HTTP/1.1 itself: it must read what a server sends, count what fails,
and say how much CPU the watched processes spent."""

from __future__ import annotations

import asyncio
import json
import os

import pytest

from bench.load import _read_response, closed_loop, process_cpu_seconds

pytestmark = pytest.mark.unit


def reader_of(data: bytes) -> asyncio.StreamReader:
    reader = asyncio.StreamReader()
    reader.feed_data(data)
    reader.feed_eof()
    return reader


async def test_a_response_with_content_length_is_read_to_its_last_byte():
    body = json.dumps({"id": "42"}).encode()
    raw = b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(body)
    reader = reader_of(raw + body + b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")

    assert await _read_response(reader) == (201, body)
    assert await _read_response(reader) == (204, b"")  # keep-alive: the next response follows


async def test_a_chunked_response_is_reassembled():
    raw = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n"

    assert await _read_response(reader_of(raw)) == (200, b"hello world")


async def test_a_closed_connection_or_a_closing_server_is_an_error_not_a_response():
    with pytest.raises(ConnectionResetError):
        await _read_response(reader_of(b""))
    with pytest.raises(ConnectionResetError):
        await _read_response(reader_of(b"HTTP/1.1 503 Busy\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"))


async def serve(handler) -> tuple[asyncio.AbstractServer, int]:
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


async def read_request(reader: asyncio.StreamReader) -> dict | None:
    length = 0
    line = await reader.readline()
    if not line:
        return None
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return json.loads(await reader.readexactly(length))


async def test_the_closed_loop_counts_answers_after_the_warm_up_and_every_refusal_as_an_error():
    seen: list[dict] = []

    async def handler(reader, writer):
        while (body := await read_request(reader)) is not None:
            seen.append(body)
            status = b"201 Created" if body["i"] % 2 == 0 else b"422 Unprocessable"
            writer.write(b"HTTP/1.1 " + status + b"\r\ncontent-length: 2\r\n\r\n{}")
            await writer.drain()
        writer.close()

    server, port = await serve(handler)
    async with server:
        result = await closed_loop(url=f"http://127.0.0.1:{port}/x", make_request=lambda i: ({"i": i}, {}),
                                   expect=201, clients=4, seconds=0.5, warmup=0.1, watch={"me": os.getpid()})

    assert result.requests > 0 and result.errors > 0
    assert result.statuses == {201: result.requests, 422: result.errors}
    assert result.first_error.startswith("422")
    assert len(result.latencies_ms) == result.requests
    assert len(seen) >= result.requests + result.errors  # warm-up requests were sent but not counted
    # The same process watched under two names: read one after the other, so a clock tick (10 ms) apart at most.
    me, generator = result.cpu_seconds["me"], result.cpu_seconds["generator"]
    assert generator > 0 and abs(me - generator) <= 0.02


async def test_a_server_that_drops_connections_shows_as_errors_and_the_client_reconnects():
    connections = 0

    async def handler(reader, writer):
        nonlocal connections
        connections += 1
        await read_request(reader)
        writer.close()  # no answer

    server, port = await serve(handler)
    async with server:
        result = await closed_loop(url=f"http://127.0.0.1:{port}/x", make_request=lambda i: ({"i": i}, {}),
                                   expect=201, clients=2, seconds=0.3, warmup=0.05)

    assert result.requests == 0 and result.errors > 0
    assert result.statuses.get(0) == result.errors
    assert "ConnectionResetError" in result.first_error
    assert connections > 2


def test_cpu_time_of_a_process_is_read_and_an_unknown_one_is_none():
    assert process_cpu_seconds(os.getpid()) > 0
    assert process_cpu_seconds(2**22 + 12345) is None
