"""The finance simulator wired in-process to a subsidy app (callbacks) and subsidy's client to it."""

from __future__ import annotations

import contextlib

import httpx

from simulators.finance.app import create_app
from simulators.finance.settings import FinanceSimulatorSettings

FINANCE_BASE = "http://finance.test"


@contextlib.asynccontextmanager
async def finance_simulator(platform=None, **behaviour):
    """A running simulator; with ``platform``, its callbacks reach subsidy and subsidy's client reaches it."""
    callback_transport = httpx.ASGITransport(app=platform.apps["subsidy"]) if platform else None
    settings = FinanceSimulatorSettings(callback_url="http://subsidy.test/subsidy/v1/finance/callbacks",
                                        seed=7, **behaviour)
    app = create_app(settings, callback_transport=callback_transport)
    async with app.router.lifespan_context(app):
        if platform is not None:
            platform.runtime("subsidy").finance.use_transport(httpx.ASGITransport(app=app), FINANCE_BASE)
        yield app


def bank(app):
    return app.state.bank


@contextlib.asynccontextmanager
async def client_of(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=FINANCE_BASE) as c:
        yield c
