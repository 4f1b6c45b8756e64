"""The finance simulator wired in-process to a subsidy app (callbacks) and subsidy's client to it."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import time

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
            platform.runtime("subsidy").extras.finance.use_transport(httpx.ASGITransport(app=app), FINANCE_BASE)
        yield app


def bank(app):
    return app.state.bank


@contextlib.asynccontextmanager
async def client_of(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=FINANCE_BASE) as c:
        yield c

BODY = json.dumps({"payment_id": "p-1", "reference": "00000000-0000-0000-0000-000000000000", "status": "settled",
                   "amount": "10.00", "booked_on": "2026-12-04"}).encode()


def mac(secret: str, timestamp: str, body: bytes = BODY) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def malformed_headers(secret: str) -> dict[str, str]:
    """Each malformed shape, with an otherwise valid timestamp and MAC where the shape leaves room for them."""
    now = str(int(time.time()))
    good = mac(secret, now)
    return {
        "non-ASCII v1 (\\xe9)": f"t={now},v1=\xe9",
        "non-ASCII after a good v1": f"t={now},v1={good}\xe9",
        "non-ASCII digits in t (superscript two)": f"t={now[:-1]}\xb2,v1={good}",
        "5,000-digit t": f"t={'9' * 5000},v1={good}",
        "13-digit t": f"t={'1' * 13},v1={good}",
        "negative t": f"t=-{now},v1={good}",
        "signed t": f"t=+{now},v1={good}",
        "t with a space inside": f"t={now[:4]} {now[4:]},v1={good}",
        "t not a number": f"t=yesterday,v1={good}",
        "empty t": f"t=,v1={good}",
        "missing t": f"v1={good}",
        "empty v1": f"t={now},v1=",
        "missing v1": f"t={now}",
        "v1 too short": f"t={now},v1={good[:63]}",
        "v1 too long": f"t={now},v1={good}0",
        "v1 not hex": f"t={now},v1={'g' * 64}",
        "v1 in base64": f"t={now},v1=" + "A" * 43 + "=",
        "repeated t": f"t={now},t={now},v1={good}",
        "repeated v1": f"t={now},v1={good},v1={good}",
        "unknown part": f"t={now},v1={good},v0={good}",
        "part without =": f"t={now},v1={good},x",
        "empty part": f"t={now},,v1={good}",
        "only commas": ",,,",
        "only spaces": "   ",
        "garbage": "garbage",
        "another scheme": f"sha256={good}",
        "huge header": f"t={now},v1={good}," + "x=" * 5000,
    }
