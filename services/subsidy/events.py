"""EVENT_HANDLERS: the one routing table of the subsidy service (what it subscribes to, shared/events/topology.py)."""

from services.subsidy.entitlements.handlers import on_application_approved
from services.subsidy.evaluations.handlers import on_performance_evaluated
from services.subsidy.revocation.handlers import on_contract_breach_withdrawn, on_contract_breached
from shared.events.review import ApplicationApproved, ContractBreached, ContractBreachWithdrawn, PerformanceEvaluated
from shared.inbox import EventHandler

EVENT_HANDLERS: dict[type, EventHandler] = {
    ApplicationApproved: on_application_approved,
    PerformanceEvaluated: on_performance_evaluated,
    ContractBreached: on_contract_breached,
    ContractBreachWithdrawn: on_contract_breach_withdrawn,
}
