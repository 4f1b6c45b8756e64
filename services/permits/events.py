"""The permits service's one event routing table: what it does with each event it subscribes to.

Every handler takes ``(event, envelope, uow)`` from the inbox consumer and, bound here, this process's
``settings`` (the SLA target, R-GREEN) and ``wake``: the webhook dispatcher's wake, which a handler that
queues a partner's webhook registers with ``uow.after_commit`` so the delivery goes once the event's unit
of work has committed, not at the dispatcher's next poll."""

from __future__ import annotations

import functools
from collections.abc import Callable

from services.permits.cases.handlers import on_application_approved
from services.permits.revocation.handlers import on_contract_breach_withdrawn, on_contract_breached
from services.permits.settings import PermitsSettings
from shared.events.review import ApplicationApproved, ContractBreached, ContractBreachWithdrawn
from shared.inbox import EventHandler

EVENT_HANDLERS: dict[type, EventHandler] = {
    ApplicationApproved: on_application_approved,  # R-GREEN: the case opens (and an earlier breach revokes it)
    ContractBreached: on_contract_breached,  # R-SUPERVISE: an expert-attributable breach revokes the case
    ContractBreachWithdrawn: on_contract_breach_withdrawn,  # withdrawn on appeal: the case is reinstated
}


def bind_handlers(settings: PermitsSettings, *, wake: Callable[[], None]) -> dict[type, EventHandler]:
    """The routing table with this process's settings and the dispatcher's ``wake`` bound in."""
    return {event: functools.partial(handler, settings=settings, wake=wake)
            for event, handler in EVENT_HANDLERS.items()}
