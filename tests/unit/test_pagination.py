"""Cursor pagination: an opaque cursor round-trips, and a bad one is the caller's error (422), not ours (500)."""

from __future__ import annotations

import base64
import re

import pytest

from shared.errors import Unprocessable
from shared.schemas import decode_cursor, encode_cursor

pytestmark = pytest.mark.unit


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "values",
    [
        {"id": 42},
        {"id": 1, "at": "2025-03-01T09:30:00+00:00", "name": "Zhōngguancūn ~/?&="},
        {"k": None, "n": [1, 2], "nested": {"x": True}},
    ],
)
def test_cursor_round_trips(values):
    assert decode_cursor(encode_cursor(values)) == values


def test_cursor_is_url_safe_without_padding():
    for n in range(1, 12):
        cursor = encode_cursor({"id": "x" * n})
        assert re.fullmatch(r"[A-Za-z0-9_-]+", cursor), cursor


@pytest.mark.parametrize("cursor", [None, ""])
def test_no_cursor_means_the_first_page(cursor):
    assert decode_cursor(cursor) is None


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        "a",
        "not a cursor",
        b64(b"not json"),
        b64(b'{"id": 4'),
        b64(b"[1, 2]"),
        b64(b"null"),
        b64(b'"id"'),
        b64(b"\x80\x81\xfe"),
        encode_cursor({"id": 42})[:-3],
    ],
)
def test_malformed_cursor_is_unprocessable_naming_cursor(cursor):
    with pytest.raises(Unprocessable) as refused:
        decode_cursor(cursor)

    assert refused.value.status == 422
    assert refused.value.extensions == {"field": "cursor"}


def test_deeply_nested_cursor_is_unprocessable():
    with pytest.raises(Unprocessable):
        decode_cursor(b64(b"[" * 5000))
