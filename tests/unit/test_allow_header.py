"""A 405 names every method the path serves (found by fuzzing: FastAPI has one route per method)."""

from __future__ import annotations

import httpx
import pytest

from services.permits.app import create_app
from tests.support.tokens import auth

pytestmark = pytest.mark.unit


async def test_method_not_allowed_lists_every_method_of_the_path(tmp_path):
    from services.permits.settings import PermitsSettings

    app = create_app(PermitsSettings(var_dir=tmp_path))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        response = await client.request("OPTIONS", "/permits/v1/webhook-subscriptions", headers=auth("bureau_officer"))
        one = await client.delete("/permits/v1/webhook-subscriptions/00000000-0000-0000-0000-000000000001",
                                  headers=auth("bureau_officer"))
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert {m.strip() for m in response.headers["allow"].split(",")} == {"GET", "POST"}
    assert one.status_code == 405
    assert {m.strip() for m in one.headers["allow"].split(",")} == {"GET", "PATCH"}
