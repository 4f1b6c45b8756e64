"""Composition root of the subsidy service."""

import asyncio
import contextlib
from pathlib import Path

from fastapi import FastAPI

from services.subsidy import api, handlers
from services.subsidy.annual_run import AnnualRunner
from services.subsidy.finance import FinanceClient
from services.subsidy.models import plumbing
from services.subsidy.sender import DisbursementSender
from services.subsidy.settings import SubsidySettings
from shared.app import build_service_app
from shared.bus import Bus

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def create_app(settings: SubsidySettings | None = None, *, bus: Bus | None = None) -> FastAPI:
    settings = settings or SubsidySettings()
    app = build_service_app(
        settings,
        title="Subsidy",
        description="Subsidies of Articles 11-13, paid through municipal finance (R-SUB-*).",
        tables=plumbing,
        routers=[api.router, api.finance_router],
        handlers=handlers.EVENT_HANDLERS,
        bus=bus,
    )
    runtime = app.state.runtime
    # Built here, connected on first use: no I/O at import or construction.
    runtime.finance = FinanceClient(
        settings.finance_base_url, timeout=settings.finance_timeout_seconds, attempts=settings.finance_attempts,
        backoff=settings.finance_backoff_seconds)
    sender = DisbursementSender(runtime)
    runtime.disbursement_sender = sender
    runner = AnnualRunner(runtime)
    runtime.annual_runner = runner
    platform_lifespan = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        async with platform_lifespan(app) as state:
            tasks = []
            if settings.disbursement_sender_enabled:
                tasks.append(asyncio.create_task(sender.run_forever(), name="subsidy-disbursement-sender"))
            if settings.annual_runner_enabled:
                tasks.append(asyncio.create_task(runner.run_forever(), name="subsidy-annual-runner"))
            try:
                yield state
            finally:
                for task in tasks:
                    task.cancel()
                for task in tasks:
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await task
                await runtime.finance.close()

    app.router.lifespan_context = lifespan
    return app
