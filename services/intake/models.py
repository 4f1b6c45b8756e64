"""Every table of the intake service, on its one metadata (Alembic's env.py targets it): the plumbing,
applications', the directory replicas', and the replicas of other services' facts (breaches, entitlements,
quoted plans)."""

from services.intake.applications.models import application_history, applications, passport_experts, recommendations
from services.intake.entitlements.models import application_entitlements
from services.intake.funding_plans.models import application_plan_quotes
from services.intake.metadata import metadata
from services.intake.replicas.models import catalogue_replica, employer_replica
from services.intake.revocation.models import application_breaches
from shared.tables import plumbing_tables

plumbing = plumbing_tables(metadata)

__all__ = [
    "application_breaches", "application_entitlements", "application_history", "application_plan_quotes",
    "applications", "catalogue_replica", "employer_replica", "metadata", "passport_experts", "plumbing",
    "recommendations",
]
