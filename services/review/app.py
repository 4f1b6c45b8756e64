"""Composition root of the review service."""

from pathlib import Path

from fastapi import FastAPI

from services.review import api, handlers
from services.review.models import plumbing
from services.review.quotes import SubsidyQuotes
from services.review.settings import ReviewSettings
from services.review.supervision import api as supervision_api
from shared.app import build_service_app
from shared.bus import Bus

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def create_app(settings: ReviewSettings | None = None, *, bus: Bus | None = None) -> FastAPI:
    settings = settings or ReviewSettings()
    app = build_service_app(
        settings,
        title="Review",
        description="Selection committee and supervision (R-COMMITTEE, R-SUPERVISE).",
        tables=plumbing,
        routers=[api.router, supervision_api.router],
        handlers=handlers.EVENT_HANDLERS,
        bus=bus,
    )
    # The funding-plan quote (R-COMMITTEE); tests without a network between services swap its transport.
    app.state.subsidy_quotes = SubsidyQuotes(settings)
    return app
