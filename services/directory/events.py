"""The directory's routing table: which handler takes which event (the one table of the service)."""

from __future__ import annotations

from services.directory import timeline
from services.directory.experts import handlers as experts
from shared.events.review import ApplicationApproved, ContractBreached, ContractBreachWithdrawn
from shared.inbox import EventHandler

EVENT_HANDLERS: dict[type, EventHandler] = timeline.handlers({
    ApplicationApproved: experts.on_application_approved,
    ContractBreached: experts.on_contract_breached,
    ContractBreachWithdrawn: experts.on_contract_breach_withdrawn,
})
"""Every other service's event goes on the expert's timeline (``timeline``), besides its own handling."""
