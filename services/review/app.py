"""Composition root of the review service."""

from pathlib import Path

from fastapi import FastAPI

from services.review.committee import api as committee_api
from services.review.events import EVENT_HANDLERS
from services.review.models import plumbing
from services.review.extras import ReviewExtras
from services.review.settings import ReviewSettings
from services.review.supervision import api as supervision_api
from shared.app import build_service_app
from shared.bus import Bus

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def create_app(settings: ReviewSettings | None = None, *, bus: Bus | None = None) -> FastAPI:
    return build_service_app(
        settings or ReviewSettings(),
        title="Review",
        description="Selection committee and supervision (R-COMMITTEE, R-SUPERVISE).",
        tables=plumbing,
        routers=[committee_api.router, supervision_api.router],
        handlers=EVENT_HANDLERS,
        bus=bus,
        extras=ReviewExtras.of,
    )
