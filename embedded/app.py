"""Compose the five services into one ASGI app on one port, routing by path prefix."""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from services.directory.app import MIGRATIONS_DIR as DIRECTORY_MIGRATIONS, create_app as directory_app
from services.directory.settings import DirectorySettings
from services.intake.app import MIGRATIONS_DIR as INTAKE_MIGRATIONS, create_app as intake_app
from services.intake.settings import IntakeSettings
from services.permits.app import MIGRATIONS_DIR as PERMITS_MIGRATIONS, create_app as permits_app
from services.permits.settings import PermitsSettings
from services.review.app import MIGRATIONS_DIR as REVIEW_MIGRATIONS, create_app as review_app
from services.review.settings import ReviewSettings
from services.subsidy.app import MIGRATIONS_DIR as SUBSIDY_MIGRATIONS, create_app as subsidy_app
from services.subsidy.settings import SubsidySettings
from embedded.console import ConsoleFiles, ConsoleSite
from shared.bus.embedded import EmbeddedBus
from shared.conditional import matches
from shared.openapi import combine
from shared.settings import BusKind, ServiceSettings
from simulators.entry_exit.app import create_app as entry_exit_simulator_app
from simulators.entry_exit.settings import EntryExitSimulatorSettings
from simulators.finance.app import create_app as finance_simulator_app
from simulators.finance.settings import FinanceSimulatorSettings


@dataclass(frozen=True)
class ServiceEntry:
    name: str
    settings_class: type[ServiceSettings]
    create_app: Callable[..., FastAPI]
    migrations_dir: Path


SERVICES = (
    ServiceEntry("intake", IntakeSettings, intake_app, INTAKE_MIGRATIONS),
    ServiceEntry("review", ReviewSettings, review_app, REVIEW_MIGRATIONS),
    ServiceEntry("subsidy", SubsidySettings, subsidy_app, SUBSIDY_MIGRATIONS),
    ServiceEntry("permits", PermitsSettings, permits_app, PERMITS_MIGRATIONS),
    ServiceEntry("directory", DirectorySettings, directory_app, DIRECTORY_MIGRATIONS),
)


ENTRY_EXIT_PREFIX = "/entry-exit/"
"""Where the entry-exit simulator is mounted (``PrefixDispatcher.simulators``)."""


def entry_exit_simulator_urls(host: str = "127.0.0.1", port: int = 8000) -> list[str]:
    """The mounted entry-exit simulator's URL prefixes, as a partner subscription would name them."""
    hosts = ["127.0.0.1", "localhost"]
    if host not in ("0.0.0.0", "::", "", *hosts):
        hosts.append(f"[{host}]" if ":" in host else host)
    return [f"http://{name}:{port}{ENTRY_EXIT_PREFIX}" for name in hosts]


def service_settings(var_dir: Path, *, host: str = "127.0.0.1", port: int = 8000,
                     **overrides) -> dict[str, ServiceSettings]:
    """Each service's settings from its env prefix, forced onto the embedded bus and ``var_dir``.

    ``host`` and ``port``: where this process serves, so that permits may subscribe the mounted entry-exit
    simulator at exactly that URL; nothing else on loopback or a private network (SSRF guard).
    """
    result = {}
    for entry in SERVICES:
        settings = entry.settings_class()
        result[entry.name] = settings.model_copy(update={"var_dir": var_dir, "bus": BusKind.embedded, **overrides})
    permits = result["permits"]
    targets = [*permits.webhook_allowed_targets,
               *(url for url in entry_exit_simulator_urls(host, port) if url not in permits.webhook_allowed_targets)]
    result["permits"] = permits.model_copy(update={"webhook_allowed_targets": targets})
    return result


def migrate_all(settings: dict[str, ServiceSettings]) -> None:
    from shared.migrations import upgrade

    for entry in SERVICES:
        upgrade(entry.migrations_dir, settings[entry.name].resolved_database_url)


class PrefixDispatcher:
    """Route ``/<service>/...`` to that service's app, unchanged (the gateway does the same)."""

    def __init__(self, apps: dict[str, FastAPI], root: FastAPI, *, bus: EmbeddedBus,
                 simulators: dict[str, FastAPI] | None = None) -> None:
        self.apps = apps
        # Partner stand-ins by path prefix ("entry-exit"): not services (no database, bus or token).
        self.simulators = simulators or {}
        self.root = root
        self.bus = bus

    def lifespan(self):
        """The whole platform's lifespan, for callers that drive it without a server (tests)."""
        return self.root.router.lifespan_context(self.root)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            return await self.root(scope, receive, send)
        first = scope.get("path", "/").lstrip("/").split("/", 1)[0]
        app = self.apps.get(first)
        if app is None:
            app = self.simulators.get(first, self.root)
        return await app(scope, receive, send)


def create_embedded_app(var_dir: Path = Path("var"), *, settings: dict[str, ServiceSettings] | None = None,
                        on_started: Callable | None = None, console: ConsoleSite | None = None):
    """The all-in-one ASGI app. Migrations are a prestart step (``migrate_all``), not done here.

    ``console``: the console's build, served at ``/console/`` with its ``config.json`` (``embedded/console.py``);
    None serves the APIs alone."""
    settings = settings or service_settings(var_dir)
    any_settings = next(iter(settings.values()))
    bus = EmbeddedBus(
        var_dir / "bus.db",
        delivery_limit=any_settings.delivery_limit,
        retry_backoff_seconds=any_settings.retry_backoff_seconds,
    )
    apps = {entry.name: entry.create_app(settings[entry.name], bus=bus) for entry in SERVICES}
    # The finance simulator in-process: subsidy instructs it and it calls subsidy back, both without a socket,
    # exactly as through this dispatcher's /finance and /subsidy prefixes.
    finance = finance_simulator_app(FinanceSimulatorSettings(), callback_transport=httpx.ASGITransport(app=apps["subsidy"]))
    apps["subsidy"].state.runtime.extras.finance.use_transport(httpx.ASGITransport(app=finance), "http://embedded.local")
    # Review's funding-plan quote (R-COMMITTEE) goes to the mounted subsidy app the same way: whatever port the
    # platform serves on, and never to whatever else listens on the configured ``REVIEW_SUBSIDY_URL``.
    apps["review"].state.runtime.extras.subsidy_quotes.use_transport(httpx.ASGITransport(app=apps["subsidy"]), "http://embedded.local")

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        await bus.start()
        async with contextlib.AsyncExitStack() as stack:
            for app in apps.values():
                await stack.enter_async_context(app.router.lifespan_context(app))
            await stack.enter_async_context(finance.router.lifespan_context(finance))
            if on_started is not None:
                await on_started(apps)
            yield
        await bus.close()

    root = FastAPI(title="Foreign-expert platform (embedded)", lifespan=lifespan, docs_url=None, redoc_url=None,
                   openapi_url=None)

    @root.get("/", include_in_schema=False)
    async def index():
        return JSONResponse(
            {
                "platform": "Beijing foreign-expert programme",
                "services": {name: {"docs": f"/{name}/docs", "health": f"/{name}/healthz"} for name in apps},
                "simulators": {"entry-exit": {"docs": "/entry-exit/docs", "webhooks": "/entry-exit/webhooks"},
                               "finance": {"docs": "/finance/docs", "payments": "/finance/v1/payments"}},
                "console": "/console/" if console is not None else None,
                "openapi": "/openapi.json",
                "token": "make token ROLE=bureau_officer",
            }
        )

    @root.get("/docs", include_in_schema=False)
    async def docs():
        return RedirectResponse("/directory/docs")

    combined: dict[str, bytes] = {}

    @root.get("/openapi.json", include_in_schema=False)
    async def openapi(request: Request):
        """The five services' documents as one (``shared/openapi.py``), as the console's client is generated."""
        if not combined:
            document = combine({name: app.openapi() for name, app in apps.items()})
            body = json.dumps(document, ensure_ascii=False).encode()
            combined["body"], combined["etag"] = body, f'"{hashlib.sha256(body).hexdigest()[:32]}"'.encode()
        headers = {"ETag": combined["etag"].decode(), "Cache-Control": "no-cache"}
        asked = request.headers.get("if-none-match")
        if asked is not None and matches(asked.encode(), combined["etag"]):
            return Response(status_code=304, headers=headers)
        return Response(combined["body"], media_type="application/json", headers=headers)

    if console is not None:
        @root.get("/console", include_in_schema=False)
        async def console_root():
            return RedirectResponse("/console/", status_code=308)

        @root.get("/console/config.json", include_in_schema=False)
        async def console_config():
            """How the console signs its users in here (the development issuer's sign-in page)."""
            return JSONResponse(console.config, headers={"Cache-Control": "no-cache"})

        root.mount("/console", ConsoleFiles(console.dist), name="console")

    simulators = {"entry-exit": entry_exit_simulator_app(EntryExitSimulatorSettings()), "finance": finance}
    return PrefixDispatcher(apps, root, bus=bus, simulators=simulators)
