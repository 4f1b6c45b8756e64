"""Base of every event contract, and the registry of (type, version) to model."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

_REGISTRY: dict[tuple[str, int], type["Event"]] = {}


class Event(BaseModel):
    """The ``data`` of one event type and version. Readers are tolerant: unknown fields are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_type: ClassVar[str]
    version: ClassVar[int] = 1
    producer: ClassVar[str]

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "event_type" in cls.__dict__:
            key = (cls.event_type, cls.version)
            if key in _REGISTRY and _REGISTRY[key] is not cls:
                raise TypeError(f"event {key} is defined twice")
            _REGISTRY[key] = cls

    @classmethod
    def routing_key(cls) -> str:
        """``<producer>.<EventName>.v<N>``: stated in the contract, never taken from a class name."""
        return f"{cls.producer}.{cls.event_type}.v{cls.version}"

    def subject(self) -> str | None:
        """The CloudEvents ``subject``; contracts override it to name their object."""
        return None


def event_class(event_type: str, version: int) -> type[Event] | None:
    return _REGISTRY.get((event_type, version))


def registered_events() -> list[type[Event]]:
    # Importing the contract modules registers them.
    from shared.events import directory, intake, permits, review, subsidy  # noqa: F401

    return sorted(_REGISTRY.values(), key=lambda c: (c.event_type, c.version))
