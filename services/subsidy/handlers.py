"""Commands and event handlers of the subsidy service; the only place that opens a unit of work."""

from shared.inbox import EventHandler

EVENT_HANDLERS: dict[type, EventHandler] = {}
