"""Event contracts: the CloudEvents envelope, one model per event type and version, the topology."""

from shared.events.base import Event, event_class, registered_events
from shared.events.envelope import CloudEvent

__all__ = ["CloudEvent", "Event", "event_class", "registered_events"]
