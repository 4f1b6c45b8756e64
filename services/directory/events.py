"""The directory's routing table: which handler takes which event (the one table of the service)."""

from __future__ import annotations

from services.directory import platform_handlers, timeline
from shared.inbox import EventHandler

EVENT_HANDLERS: dict[type, EventHandler] = timeline.handlers({**platform_handlers.EVENT_HANDLERS})
"""Every other service's event goes on the expert's timeline (``timeline``), besides its own handling."""
