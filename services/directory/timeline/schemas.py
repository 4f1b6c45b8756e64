"""Response model of the expert's timeline."""

from __future__ import annotations

import uuid
from typing import Any

from shared.schemas import Output, UtcDateTime


class TimelineEntry(Output):
    event_id: uuid.UUID
    occurred_at: UtcDateTime
    type: str
    service: str
    application_id: uuid.UUID | None = None
    summary: dict[str, Any]
