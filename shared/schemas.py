"""Base request/response models and cursor pagination."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict

from shared.errors import Unprocessable

T = TypeVar("T")

UtcDateTime = Annotated[datetime, AfterValidator(lambda d: d if d.tzinfo else d.replace(tzinfo=UTC))]
"""A timestamp that always leaves as UTC (SQLite hands them back naive)."""


class Input(BaseModel):
    """A request body: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(values: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode().rstrip("=")


def cursor_int(cursor: str | None, key: str = "id") -> int | None:
    """An integer keyset position from a cursor, or None for the first page."""
    after = decode_cursor(cursor)
    if after is None:
        return None
    try:
        return int(after[key])
    except (KeyError, TypeError, ValueError) as exc:
        raise Unprocessable("malformed cursor", field="cursor") from exc


def decode_cursor(cursor: str | None) -> dict[str, Any] | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(value, dict):
            raise ValueError
        return value
    except (ValueError, RecursionError) as exc:
        raise Unprocessable("malformed cursor", field="cursor") from exc
