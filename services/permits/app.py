"""Composition root of the permits service."""

import asyncio
import contextlib
from pathlib import Path

from fastapi import FastAPI

from services.permits import api, handlers
from services.permits.delivery import WebhookDispatcher
from services.permits.models import plumbing
from services.permits.settings import PermitsSettings
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
        routers=[api.router, api.cases_router, api.webhooks_router, api.deliveries_router],
        handlers=handlers.bind_handlers(settings),
        bus=bus,
    )
    runtime = app.state.runtime
    dispatcher = WebhookDispatcher(runtime)
    # Handlers wake it after committing deliveries, as the unit of work wakes the outbox relay.
    runtime.webhook_dispatcher = dispatcher
    app.state.webhook_dispatcher = dispatcher
    platform_lifespan = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        async with platform_lifespan(app) as state:
            task = None
            if settings.webhook_dispatcher_enabled:
                task = asyncio.create_task(dispatcher.run_forever(), name="permits-webhook-dispatcher")
            try:
                yield state
            finally:
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await task
                await dispatcher.close()

    app.router.lifespan_context = lifespan
    return app
