"""Base request/response models and cursor pagination."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, TypeVar

import sqlalchemy as sa
from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator

from shared.errors import Unprocessable

T = TypeVar("T")

UtcDateTime = Annotated[datetime, AfterValidator(lambda d: d if d.tzinfo else d.replace(tzinfo=UTC))]
"""A timestamp that always leaves as UTC (SQLite hands them back naive)."""


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(_has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


class Input(BaseModel):
    """A request body: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_characters(cls, value: Any) -> Any:
        # PostgreSQL cannot store U+0000 in text: refused here as a 422 naming the field, never a 500.
        if _has_nul(value):
            raise ValueError("text may not contain the NUL character (U+0000)")
        return value


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


def position_cursor(at: datetime, row_id: uuid.UUID) -> str:
    """The cursor of a page ordered by (timestamp, id): the last row's position."""
    return encode_cursor({"at": at.isoformat(), "id": str(row_id)})


def decode_position(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    """The (timestamp, id) of a ``position_cursor``, or None on the first page; a 422 naming it if malformed."""
    after = decode_cursor(cursor)
    if after is None:
        return None
    try:
        return datetime.fromisoformat(after["at"]), uuid.UUID(after["id"])
    except (KeyError, TypeError, ValueError) as exc:
        raise Unprocessable("malformed cursor", field="cursor") from exc


def after_position(cursor: str | None, time_column: sa.ColumnElement, id_column: sa.ColumnElement):
    """The WHERE clause for rows after a ``position_cursor``, or None on the first page."""
    position = decode_position(cursor)
    if position is None:
        return None
    at, last_id = position
    # Spelled out rather than a row-value comparison, so each value binds with its column's type (SQLite too).
    return sa.or_(time_column > at, sa.and_(time_column == at, id_column > last_id))
