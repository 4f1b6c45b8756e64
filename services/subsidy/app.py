"""Composition root of the subsidy service."""

from pathlib import Path

from fastapi import FastAPI

from services.subsidy.annual_run import api as annual_run
from services.subsidy.claims import api as claims
from services.subsidy.disbursements import api as disbursements
from services.subsidy.entitlements import api as entitlements
from services.subsidy.evaluations import api as evaluations
from services.subsidy.events import EVENT_HANDLERS
from services.subsidy.extras import SubsidyExtras
from services.subsidy.ledger import api as ledger
from services.subsidy.models import plumbing
from services.subsidy.reconciliation import api as reconciliation
from services.subsidy.revocation import api as revocation
from services.subsidy.settings import SubsidySettings
from services.subsidy.statistics import api as statistics
from shared.app import build_service_app
from shared.bus import Bus

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

ROUTERS = [
    entitlements.router, ledger.router, claims.router, evaluations.router, disbursements.router, revocation.router,
    reconciliation.router, statistics.router, annual_run.router, disbursements.finance_router,
]
"""In the order of the API's paths (the OpenAPI document lists them as they are included)."""


def create_app(settings: SubsidySettings | None = None, *, bus: Bus | None = None) -> FastAPI:
    settings = settings or SubsidySettings()
    return build_service_app(
        settings,
        title="Subsidy",
        description="Subsidies of Articles 11-13, paid through municipal finance (R-SUB-*).",
        tables=plumbing,
        routers=ROUTERS,
        handlers=EVENT_HANDLERS,
        bus=bus,
        extras=SubsidyExtras.build,
    )
