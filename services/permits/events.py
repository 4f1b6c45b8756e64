"""The permits service's one event routing table: what it does with each event it subscribes to.

Every handler takes ``(event, envelope, uow)`` from the inbox consumer and, bound here, this process's
``settings`` (the SLA target, R-GREEN) and ``wake``: the webhook dispatcher's wake, which a handler that
queues a partner's webhook registers with ``uow.after_commit`` so the delivery goes once the event's unit
of work has committed, not at the dispatcher's next poll."""

from __future__ import annotations

import functools
from collections.abc import Callable

from services.permits import handlers
from services.permits.settings import PermitsSettings
from shared.events.review import ApplicationApproved, ContractBreached, ContractBreachWithdrawn
from shared.inbox import EventHandler

EVENT_HANDLERS: dict[type, EventHandler] = {
    ApplicationApproved: handlers.on_application_approved,
    ContractBreached: handlers.on_contract_breached,
    ContractBreachWithdrawn: handlers.on_contract_breach_withdrawn,
}


def bind_handlers(settings: PermitsSettings, *, wake: Callable[[], None]) -> dict[type, EventHandler]:
    """The routing table with this process's settings and the dispatcher's ``wake`` bound in."""
    return {event: functools.partial(handler, settings=settings, wake=wake)
            for event, handler in EVENT_HANDLERS.items()}
