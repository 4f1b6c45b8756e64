"""Composition root of the permits service."""

from pathlib import Path

from fastapi import FastAPI

from services.permits import events
from services.permits.applications import api as applications_api
from services.permits.cases import api as cases_api
from services.permits.extras import PermitsExtras
from services.permits.models import plumbing
from services.permits.reminders import api as reminders_api
from services.permits.schools import api as schools_api
from services.permits.settings import PermitsSettings
from services.permits.webhooks import api as webhooks_api
from shared.app import build_service_app
from shared.bus import Bus

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def create_app(settings: PermitsSettings | None = None, *, bus: Bus | None = None) -> FastAPI:
    settings = settings or PermitsSettings()

    app = build_service_app(
        settings,
        title="Permits",
        description="Green-channel permits and partner-agency webhooks (R-GREEN, R-PERMIT, R-SCHOOL).",
        tables=plumbing,
        # In this order: the order of the paths in the OpenAPI document.
        routers=[cases_api.router, applications_api.router, reminders_api.router, schools_api.router,
                 webhooks_api.subscriptions_router, webhooks_api.deliveries_router],
        handlers=lambda runtime: events.bind_handlers(settings, wake=runtime.extras.dispatcher.wake),
        bus=bus,
        extras=PermitsExtras.build,
    )
    return app
