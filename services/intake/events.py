"""EVENT_HANDLERS: the one routing table of the intake service (the events it consumes, and who handles each)."""

from __future__ import annotations

from services.intake.applications import handlers as applications
from services.intake.entitlements import handlers as entitlements
from services.intake.funding_plans import handlers as funding_plans
from services.intake.replicas import handlers as replicas
from services.intake.revocation import handlers as revocation
from shared.events.directory import CatalogueEntryPublished, CatalogueEntryWithdrawn, EmployerRegistered
from shared.events.review import (
    ApplicationApproved, ApplicationDeclined, ContractBreached, ContractBreachWithdrawn, FundingPlanQuoted,
)
from shared.events.subsidy import EntitlementOpened
from shared.inbox import EventHandler

EVENT_HANDLERS: dict[type, EventHandler] = {
    EmployerRegistered: replicas.on_employer_registered,
    CatalogueEntryPublished: replicas.on_catalogue_entry_published,
    CatalogueEntryWithdrawn: replicas.on_catalogue_entry_withdrawn,
    ApplicationApproved: applications.on_application_approved,
    ApplicationDeclined: applications.on_application_declined,
    ContractBreached: revocation.on_contract_breached,
    ContractBreachWithdrawn: revocation.on_contract_breach_withdrawn,
    EntitlementOpened: entitlements.on_entitlement_opened,
    FundingPlanQuoted: funding_plans.on_funding_plan_quoted,
}
