"""Composition root of the intake service."""

from pathlib import Path

from fastapi import FastAPI

from services.intake.applications import api as applications_api
from services.intake.events import EVENT_HANDLERS
from services.intake.models import plumbing
from services.intake.replicas import api as replicas_api
from services.intake.settings import IntakeSettings
from shared.app import build_service_app
from shared.bus import Bus

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def create_app(settings: IntakeSettings | None = None, *, bus: Bus | None = None) -> FastAPI:
    return build_service_app(
        settings or IntakeSettings(),
        title="Intake",
        description="Employer applications, peer recommendations, preliminary and formal review (R-APPLY, R-FORMAL).",
        tables=plumbing,
        routers=[replicas_api.router, applications_api.router],
        handlers=EVENT_HANDLERS,
        bus=bus,
    )
