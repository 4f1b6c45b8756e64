"""What goes on the expert's timeline, and how an event is summarised there (R-SUPERVISE); no I/O."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from shared.events import Event, registered_events

OWN_PRODUCER = "directory"

EXCLUDED_KEYS = frozenset({"facts", "achievements", "reasons"})
"""Free text kept out of the thin summary (it may quote anything)."""


def _restricted(key: str) -> bool:
    return "passport" in key or "salary" in key or key in EXCLUDED_KEYS


def _scalar(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, uuid.UUID)) for v in value):
        return [str(v) if isinstance(v, uuid.UUID) else v for v in value]
    raise TypeError


def summary(event: Event) -> dict[str, Any]:
    """The event's scalar fields, less anything restricted; nested parts (contracts, plans) left out."""
    out: dict[str, Any] = {}
    for key in type(event).model_fields:
        if _restricted(key):
            continue
        value = getattr(event, key)
        if isinstance(value, BaseModel):
            continue
        try:
            out[key] = _scalar(value)
        except TypeError:
            continue
    return out


def expert_of(event: Event) -> uuid.UUID | None:
    expert_id = getattr(event, "expert_id", None)
    if expert_id is None:
        expert = getattr(event, "expert", None)
        expert_id = getattr(expert, "expert_id", None)
    return expert_id


def timeline_events() -> tuple[type[Event], ...]:
    """What directory records on the timelines: every registered event another service publishes."""
    return tuple(e for e in registered_events() if e.producer != OWN_PRODUCER)
