"""Composition root of the permits service."""

from pathlib import Path

from fastapi import FastAPI

from services.permits import api, handlers
from services.permits.models import plumbing
from services.permits.settings import PermitsSettings
from shared.app import build_service_app
from shared.bus import Bus

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def create_app(settings: PermitsSettings | None = None, *, bus: Bus | None = None) -> FastAPI:
    return build_service_app(
        settings or PermitsSettings(),
        title="Permits",
        description="Green-channel permits and partner-agency webhooks (R-GREEN, R-PERMIT, R-SCHOOL).",
        tables=plumbing,
        routers=[api.router, api.webhooks_router],
        handlers=handlers.EVENT_HANDLERS,
        bus=bus,
    )
