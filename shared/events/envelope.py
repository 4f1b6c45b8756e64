"""CloudEvents 1.0 envelope in JSON structured mode."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.events.base import Event

CONTENT_TYPE = "application/cloudevents+json"


class CloudEvent(BaseModel):
    """The envelope every event travels in; ``id`` is the deduplication key."""

    model_config = ConfigDict(extra="allow")

    specversion: Literal["1.0"] = "1.0"
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    source: str
    type: str
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))
    subject: str | None = None
    datacontenttype: str = "application/json"
    dataschema: str | None = None
    dataversion: int = 1
    correlationid: str | None = None
    causationid: str | None = None
    data: dict[str, Any]

    @classmethod
    def wrap(
        cls,
        event: Event,
        *,
        source: str,
        correlation_id: str | None = None,
        causation_id: str | None = None,
    ) -> "CloudEvent":
        return cls(
            source=source,
            type=event.event_type,
            subject=event.subject(),
            dataschema=f"urn:platform:events:{event.event_type}:v{event.version}",
            dataversion=event.version,
            correlationid=correlation_id,
            causationid=causation_id,
            data=event.model_dump(mode="json"),
        )

    def routing_key(self) -> str:
        producer = self.source.rsplit("/", 1)[-1]
        return f"{producer}.{self.type}.v{self.dataversion}"

    def to_bytes(self) -> bytes:
        return self.model_dump_json(exclude_none=True).encode()
