"""Composition root of the subsidy service."""

from pathlib import Path

from fastapi import FastAPI

from services.subsidy import api, handlers
from services.subsidy.extras import SubsidyExtras
from services.subsidy.models import plumbing
from services.subsidy.settings import SubsidySettings
from shared.app import build_service_app
from shared.bus import Bus

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def create_app(settings: SubsidySettings | None = None, *, bus: Bus | None = None) -> FastAPI:
    settings = settings or SubsidySettings()
    return build_service_app(
        settings,
        title="Subsidy",
        description="Subsidies of Articles 11-13, paid through municipal finance (R-SUB-*).",
        tables=plumbing,
        routers=[api.router, api.finance_router],
        handlers=handlers.EVENT_HANDLERS,
        bus=bus,
        extras=SubsidyExtras.build,
    )
