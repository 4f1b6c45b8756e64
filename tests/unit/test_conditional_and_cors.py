"""Conditional GET (304 on If-None-Match), CORS from settings, and the response headers the OpenAPI documents."""

from __future__ import annotations

import importlib
import inspect
import re

import httpx
import pytest
from fastapi import FastAPI, Response
from fastapi.routing import APIRoute

from pydantic_settings import SettingsConfigDict

from services.intake.settings import IntakeSettings
from shared.conditional import ConditionalGetMiddleware, matches
from shared.settings import DEV_CONSOLE_ORIGINS, Environment, ServiceSettings

SERVICES = ("intake", "review", "subsidy", "permits", "directory")


def _versioned_app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(ConditionalGetMiddleware)
    state = {"version": 3}

    @app.get("/thing")
    async def thing(response: Response) -> dict:
        response.headers["ETag"] = f'"{state["version"]}"'
        response.headers["Cache-Control"] = "no-store"
        return {"version": state["version"], "padding": "x" * 100}

    @app.post("/thing")
    async def change(response: Response) -> dict:
        state["version"] += 1
        response.headers["ETag"] = f'"{state["version"]}"'
        return {"version": state["version"]}

    return app


async def test_if_none_match_of_the_current_version_is_a_304_without_a_body_and_a_new_version_a_200():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_versioned_app()), base_url="http://t") as client:
        first = await client.get("/thing")
        assert first.status_code == 200 and first.headers["etag"] == '"3"'
        unchanged = await client.get("/thing", headers={"If-None-Match": first.headers["etag"]})
        assert unchanged.status_code == 304
        assert unchanged.content == b""
        assert unchanged.headers["etag"] == '"3"' and unchanged.headers["cache-control"] == "no-store"
        assert "content-length" not in unchanged.headers or unchanged.headers["content-length"] == "0"
        # A change is not a GET: answered in full even with a matching If-None-Match.
        changed = await client.post("/thing", headers={"If-None-Match": '"3"'})
        assert changed.status_code == 200 and changed.json() == {"version": 4}
        stale = await client.get("/thing", headers={"If-None-Match": '"3"'})
        assert stale.status_code == 200 and stale.json()["version"] == 4


@pytest.mark.parametrize(("header", "etag", "expected"), [
    (b'"3"', b'"3"', True), (b'W/"3"', b'"3"', True), (b'"1", "3"', b'"3"', True), (b"*", b'"9"', True),
    (b'"31"', b'"3"', False), (b'"1", "2"', b'"3"', False), (b"", b'"3"', False),
])
def test_if_none_match_compares_weakly_and_reads_lists(header, etag, expected):
    assert matches(header, etag) is expected


class _Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CORS_TEST_")
    service_name = "cors-test"


def test_cors_origins_default_to_the_console_dev_server_in_development_and_to_none_in_production():
    assert _Settings().allowed_origins == list(DEV_CONSOLE_ORIGINS)
    production = _Settings(environment=Environment.production, jwt_secret="x" * 40, bus="rabbitmq",
                           database_url="postgresql+asyncpg://u:p@db/x")
    assert production.allowed_origins == []
    listed = _Settings(environment=Environment.production, jwt_secret="x" * 40, bus="rabbitmq",
                       database_url="postgresql+asyncpg://u:p@db/x", cors_allowed_origins="https://console.example.cn")
    assert listed.allowed_origins == ["https://console.example.cn"]


def test_cors_origins_are_read_comma_separated_from_the_environment(monkeypatch):
    monkeypatch.setenv("INTAKE_CORS_ALLOWED_ORIGINS", "https://console.example.gov.cn, https://partner.example.cn/")
    assert IntakeSettings().allowed_origins == ["https://console.example.gov.cn", "https://partner.example.cn"]
    monkeypatch.setenv("INTAKE_CORS_ALLOWED_ORIGINS", "")
    assert IntakeSettings().allowed_origins == []  # set, and empty: none, even in development


async def test_cors_preflight_of_a_listed_origin_is_answered_and_an_unlisted_one_is_not(tmp_path):
    from services.intake.app import create_app

    app = create_app(IntakeSettings(var_dir=tmp_path))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        asked = {"Access-Control-Request-Method": "PATCH",
                 "Access-Control-Request-Headers": "authorization, if-match, idempotency-key"}
        allowed = await client.options("/intake/v1/applications/x", headers={"Origin": DEV_CONSOLE_ORIGINS[0], **asked})
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == DEV_CONSOLE_ORIGINS[0]
        assert "if-match" in allowed.headers["access-control-allow-headers"].lower()
        refused = await client.options("/intake/v1/applications/x", headers={"Origin": "https://evil.example", **asked})
        assert "access-control-allow-origin" not in refused.headers
        # A problem answered to a listed origin is readable by its page, with the headers the console needs.
        problem = await client.get("/intake/v1/applications", headers={"Origin": DEV_CONSOLE_ORIGINS[1]})
        assert problem.status_code == 401
        assert problem.headers["access-control-allow-origin"] == DEV_CONSOLE_ORIGINS[1]
        assert {"etag", "location", "retry-after"} <= set(problem.headers["access-control-expose-headers"].lower()
                                                          .replace(" ", "").split(","))


def _api_routes(routes):
    """Every APIRoute of an app, through the routers it includes."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from _api_routes(route.original_router.routes)


def _sets(endpoint, header: str) -> bool:
    source = inspect.getsource(endpoint)
    if header == "Location":
        return 'headers["Location"]' in source or "location=" in source
    return 'headers["ETag"]' in source or re.search(r"\b_?reply\(", source) is not None


@pytest.mark.parametrize("service", SERVICES)
def test_every_route_that_sends_etag_or_location_documents_it(service, tmp_path):
    settings_class = getattr(importlib.import_module(f"services.{service}.settings"), f"{service.capitalize()}Settings")
    app = importlib.import_module(f"services.{service}.app").create_app(settings_class(var_dir=tmp_path))
    document = app.openapi()
    checked = 0
    for route in _api_routes(app.routes):
        if not route.include_in_schema:
            continue
        for method in route.methods:
            operation = document["paths"][route.path_format][method.lower()]
            status = str(route.status_code or 200)
            headers = operation["responses"][status].get("headers", {})
            for header in ("ETag", "Location"):
                if _sets(route.endpoint, header):
                    assert header in headers, (method, route.path_format, header)
                    checked += 1
            if "ETag" in headers and method == "GET":
                assert any(p["name"] == "If-None-Match" for p in operation["parameters"]), route.path_format
                assert "304" in operation["responses"]
    assert checked > 0
