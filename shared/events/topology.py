"""Who consumes what: the one table from which every process declares the whole bus topology.

Every queue is declared by whichever process connects first, so an event published before
its consumer ever started waits in that consumer's queue instead of being dropped.
"""

from __future__ import annotations

from shared.events.base import Event
from shared.events.directory import CatalogueEntryPublished, CatalogueEntryWithdrawn, EmployerRegistered
from shared.events.intake import ApplicationRejected, ApplicationReturned, ApplicationSubmitted, FormalReviewPassed
from shared.events.permits import (
    PermitCaseOpened,
    PermitExpiring,
    PermitRevocationRequested,
    ResidencePermitIssued,
    WorkPermitIssued,
)
from shared.events.review import (
    ApplicationApproved,
    ApplicationDeclined,
    ContractBreached,
    ContractBreachWithdrawn,
    ContractRegistered,
    FundingPlanQuoted,
    PerformanceEvaluated,
)
from shared.events.subsidy import (
    BenefitsRestored,
    BenefitsRevoked,
    DisbursementFailed,
    DisbursementSettled,
    EntitlementOpened,
    RecoveryRepaid,
)

SERVICES = ("intake", "review", "subsidy", "permits", "directory")

SUBSCRIPTIONS: dict[str, tuple[type[Event], ...]] = {
    "intake": (
        EmployerRegistered, CatalogueEntryPublished, CatalogueEntryWithdrawn, ApplicationApproved, ApplicationDeclined,
        ContractBreached, ContractBreachWithdrawn,  # R-SUPERVISE: shown on the employer's application
        EntitlementOpened,  # the decision names its entitlements
        FundingPlanQuoted,  # a plan recorded to be quoted, quoted later
    ),
    "review": (FormalReviewPassed,),
    "subsidy": (ApplicationApproved, PerformanceEvaluated, ContractBreached, ContractBreachWithdrawn),
    "permits": (ApplicationApproved, ContractBreached, ContractBreachWithdrawn),
    # The expert's timeline (R-SUPERVISE): every event another service publishes; so every
    # registered event has a consumer and no mandatory publish is refused.
    "directory": (
        ApplicationSubmitted, ApplicationReturned, ApplicationRejected, FormalReviewPassed,
        ApplicationApproved, ApplicationDeclined, FundingPlanQuoted, ContractRegistered, PerformanceEvaluated,
        ContractBreached, ContractBreachWithdrawn,
        EntitlementOpened, DisbursementSettled, DisbursementFailed, BenefitsRevoked, BenefitsRestored, RecoveryRepaid,
        PermitCaseOpened, WorkPermitIssued, ResidencePermitIssued, PermitExpiring, PermitRevocationRequested,
    ),
}
"""Each service's handler table must name exactly these (a test holds them together)."""


def queue_name(service: str) -> str:
    return f"{service}.events"


def parking_queue_name(service: str) -> str:
    return f"{service}.parked"


def bindings(service: str) -> list[str]:
    return [event.routing_key() for event in SUBSCRIPTIONS.get(service, ())]
