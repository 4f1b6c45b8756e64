"""Build a service's FastAPI app: common middleware, errors, health, metrics, admin, lifespan."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, FastAPI, Query
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from shared.api import Admin, RuntimeDep, refuse_nul_parameters
from shared.bus import Bus
from shared.conditional import ConditionalGetMiddleware, document as document_conditional
from shared.errors import PROBLEM_RESPONSES, install_error_handlers, problem
from shared.idempotency import HEADER as IDEMPOTENCY_KEY, REPLAYED_HEADER
from shared.idempotency import IdempotencyMiddleware, IdempotencyStore, document as document_idempotency
from shared.inbox import EventHandler
from shared.observability import RequestContextMiddleware
from shared.runtime import Extras, ServiceRuntime
from shared.schemas import Input, Page, cursor_int, encode_cursor
from shared.settings import ServiceSettings
from shared.tables import PlumbingTables


def build_service_app(
    settings: ServiceSettings,
    *,
    title: str,
    description: str,
    tables: PlumbingTables,
    routers: Sequence[APIRouter],
    handlers: dict[type, EventHandler] | Callable[[ServiceRuntime], dict[type, EventHandler]],
    bus: Bus | None = None,
    extras: Callable[[ServiceRuntime], Extras] | None = None,
) -> FastAPI:
    """The service's app. ``extras``: builds the service's adapters and workers from its runtime (no I/O);
    they are ``runtime.extras``, the workers started and everything closed by the app's lifespan.
    ``handlers``: the routing table, or a function of the runtime building it after the extras."""
    name = settings.service_name
    runtime = ServiceRuntime.build(settings, tables=tables, handlers=handlers, bus=bus, extras=extras)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(
        title=title,
        description=description,
        version="1",
        docs_url=f"/{name}/docs",
        openapi_url=f"/{name}/openapi.json",
        redoc_url=None,
        lifespan=lifespan,
        generate_unique_id_function=lambda route: f"{name}_{route.name}",
        responses=PROBLEM_RESPONSES,
        dependencies=[Depends(refuse_nul_parameters)],
    )
    app.state.runtime = runtime
    install_error_handlers(app)
    # Every authenticated POST may carry an Idempotency-Key: claimed here, recorded by the unit of work at
    # commit (shared/idempotency.py). Inside the request context, so its answers carry the request id.
    app.state.idempotency = IdempotencyStore(
        runtime.db, tables.idempotency_keys,
        ttl_seconds=settings.idempotency_key_ttl_seconds, lease_seconds=settings.idempotency_lease_seconds,
    )
    app.add_middleware(ConditionalGetMiddleware)
    app.add_middleware(IdempotencyMiddleware, runtime=runtime, store=app.state.idempotency)
    app.add_middleware(RequestContextMiddleware, metrics=runtime.metrics)
    if settings.allowed_origins:
        # Outermost, so that a preflight is answered before anything asks for a token, and every answer
        # (problems included) tells the browser whether its page may read it.
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.allowed_origins, allow_credentials=False,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Accept-Language", "If-Match", "If-None-Match",
                           IDEMPOTENCY_KEY, "X-Request-Id"],
            expose_headers=["ETag", "Location", "Retry-After", REPLAYED_HEADER, "X-Request-Id", "Content-Language"],
            max_age=600,
        )
    # Routes are matched in order, and each miss costs a regular expression or more per request: the
    # service's own routes first, then the probes and the admin endpoints (their paths never overlap).
    for router in routers:
        app.include_router(router)
    app.include_router(_health_router(name))
    app.include_router(_admin_router(name))
    _document_headers(app, settings.idempotency_key_ttl_seconds)
    return app


def _document_headers(app: FastAPI, ttl_seconds: float) -> None:
    """The ``Idempotency-Key`` header on every authenticated POST of the OpenAPI document, ``If-None-Match``
    on every GET answered with an ETag."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            app.openapi_schema = document_conditional(document_idempotency(build(), ttl_seconds=ttl_seconds))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _health_router(name: str) -> APIRouter:
    router = APIRouter(prefix=f"/{name}", tags=["health"])

    @router.get("/healthz", summary="Alive")
    async def healthz() -> dict:
        return {"status": "ok", "service": name}

    @router.get("/readyz", summary="Database and bus reachable", responses={503: {"description": "Not ready"}})
    async def readyz(runtime: RuntimeDep):
        checks = {}
        try:
            await runtime.db.ping()
            checks["database"] = "ok"
        except Exception as exc:  # readiness reports, it does not raise
            checks["database"] = f"unreachable: {type(exc).__name__}"
        checks["bus"] = "ok" if await runtime.bus.is_ready() else "unreachable"
        if all(v == "ok" for v in checks.values()):
            return {"status": "ready", "service": name, "checks": checks}
        return problem(503, "Not ready", "a dependency is unreachable", slug="not-ready", checks=checks)

    @router.get("/metrics", summary="Prometheus metrics", response_class=Response)
    async def metrics(runtime: RuntimeDep) -> Response:
        runtime.metrics.outbox_backlog.set(await runtime.relay.backlog())
        return Response(generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return router


class ParkedMessageRead(BaseModel):
    message_id: str
    routing_key: str
    delivery_count: int
    parked_at: datetime | None
    body: str


class ReplayRequest(Input):
    message_ids: list[str] | None = None
    """The parked messages to replay; all of them when omitted."""


class ReplayResult(BaseModel):
    replayed: int


class AuditRecord(BaseModel):
    id: int
    at: datetime
    request_id: str | None
    actor: str | None
    roles: str | None
    organisation: str | None
    action: str
    method: str | None
    path: str | None
    object_type: str | None
    object_id: str | None
    detail: str | None


class OutboxStatus(BaseModel):
    unsent: int


def _admin_router(name: str) -> APIRouter:
    router = APIRouter(prefix=f"/{name}/v1/admin", tags=["admin"])

    @router.get("/parked-messages", summary="Messages parked after the delivery limit")
    async def list_parked(
        runtime: RuntimeDep, _: Admin, limit: Annotated[int, Query(ge=1, le=500)] = 100
    ) -> list[ParkedMessageRead]:
        return [ParkedMessageRead(**vars(m)) for m in await runtime.bus.parked(name, limit)]

    @router.post("/parked-messages/replay", summary="Hand parked messages back to this service's queue")
    async def replay_parked(runtime: RuntimeDep, principal: Admin, body: ReplayRequest) -> ReplayResult:
        replayed = await runtime.bus.replay(name, body.message_ids)
        async with runtime.uow() as uow:
            uow.audit("replay_parked_messages", object_type="parked_messages",
                      detail={"requested": body.message_ids, "replayed": replayed})
            await uow.commit()
        return ReplayResult(replayed=replayed)

    @router.get("/audit", summary="The append-only audit trail, newest first")
    async def audit_trail(
        runtime: RuntimeDep,
        _: Admin,
        cursor: str | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        object_id: str | None = None,
    ) -> Page[AuditRecord]:
        table = runtime.tables.audit_log
        query = sa.select(table).order_by(table.c.id.desc()).limit(limit + 1)
        before = cursor_int(cursor)
        if before is not None:
            query = query.where(table.c.id < before)
        if object_id:
            query = query.where(table.c.object_id == object_id)
        async with runtime.db.session() as session:
            rows = (await session.execute(query)).all()
        items = [AuditRecord(**row._mapping) for row in rows[:limit]]
        next_cursor = encode_cursor({"id": items[-1].id}) if len(rows) > limit else None
        return Page[AuditRecord](items=items, next_cursor=next_cursor)

    @router.get("/outbox", summary="Events committed and not yet confirmed by the bus")
    async def outbox_status(runtime: RuntimeDep, _: Admin) -> OutboxStatus:
        return OutboxStatus(unsent=await runtime.relay.backlog())

    return router


__all__ = ["build_service_app"]
