"""The directory's routing table: which handler takes which event (the one table of the service).

Every event another service publishes goes on its expert's timeline (``timeline``); the three the expert
database acts on are also handled there, in the same unit of work, after the timeline has recorded them."""

from __future__ import annotations

from services.directory.experts import handlers as experts
from services.directory.timeline.domain import timeline_events
from services.directory.timeline.handlers import with_timeline
from shared.events.review import ApplicationApproved, ContractBreached, ContractBreachWithdrawn
from shared.inbox import EventHandler

ACTED_ON: dict[type, EventHandler] = {
    ApplicationApproved: experts.on_application_approved,
    ContractBreached: experts.on_contract_breached,
    ContractBreachWithdrawn: experts.on_contract_breach_withdrawn,
}
"""R-COMMITTEE → R-PLATFORM (1): the selected expert is listed; R-SUPERVISE: breaches mark benefits revoked."""

EVENT_HANDLERS: dict[type, EventHandler] = {
    **{event: with_timeline(ACTED_ON.get(event)) for event in timeline_events()},
    **{event: handler for event, handler in ACTED_ON.items() if event not in timeline_events()},
}
