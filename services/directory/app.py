"""Composition root of the directory service."""

from pathlib import Path

from fastapi import FastAPI

from services.directory.board import api as board
from services.directory.catalogue import api as catalogue
from services.directory.employers import api as employers
from services.directory.engagement import api as engagement
from services.directory.events import EVENT_HANDLERS
from services.directory.experts import api as experts
from services.directory.map import api as distribution_map
from services.directory.models import plumbing
from services.directory.settings import DirectorySettings
from services.directory.sign_in import api as sign_in
from services.directory.timeline import api as timeline
from shared.app import build_service_app
from shared.bus import Bus

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def create_app(settings: DirectorySettings | None = None, *, bus: Bus | None = None) -> FastAPI:
    settings = settings or DirectorySettings()
    return build_service_app(
        settings,
        title="Directory",
        description="Taxonomy, introduction catalogue, employer registry, expert directory (R-FIELD, R-CATALOGUE, R-PLATFORM).",
        tables=plumbing,
        routers=[employers.router, catalogue.router, experts.router, distribution_map.router, board.router,
                 engagement.router, timeline.router, sign_in.router_for(settings)],
        handlers=EVENT_HANDLERS,
        bus=bus,
    )
