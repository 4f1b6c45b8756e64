"""RFC 9457 problem details: every error the platform returns, in one shape."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from shared import context

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://platform.local/problems/"

PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {
        "description": "A client error as RFC 9457 problem details (401, 403, 404, 409, 412, 422 ...); "
                       "a 422 names the offending fields in `errors`",
        "content": {
            PROBLEM_JSON: {
                "schema": {
                    "type": "object",
                    "required": ["type", "title", "status"],
                    "properties": {
                        "type": {"type": "string"},
                        "title": {"type": "string"},
                        "status": {"type": "integer"},
                        "detail": {"type": "string"},
                        "instance": {"type": "string"},
                        "request_id": {"type": "string"},
                        "errors": {"type": "array", "items": {"type": "object"}},
                    },
                    "additionalProperties": True,
                }
            }
        },
    },
    503: {
        "description": "Unavailable for a moment (the database connection was lost under the request): read "
                       "before repeating a change, after `Retry-After` seconds",
        "headers": {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}},
        "content": {PROBLEM_JSON: {"schema": {"type": "object", "additionalProperties": True}}},
    },
}
"""Every operation's documented client errors: what the handlers below really answer. (FastAPI's
own 422 entry would say application/json and a different shape; a ``4XX`` entry replaces it.)"""


class DomainError(Exception):
    """An error the caller can act on; subclasses fix the status."""

    status = 400
    slug = "bad-request"
    title = "Bad request"

    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions


class NotFound(DomainError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(DomainError):
    """A refused state transition: extensions name the current state."""

    status, slug, title = 409, "conflict", "Conflict"


class Forbidden(DomainError):
    status, slug, title = 403, "forbidden", "Forbidden"


class Unauthorized(DomainError):
    status, slug, title = 401, "unauthorized", "Authentication required"


class Unprocessable(DomainError):
    """Well-formed input the rules refuse: name the field and the rule."""

    status, slug, title = 422, "unprocessable", "Unprocessable input"


class PreconditionFailed(DomainError):
    status, slug, title = 412, "precondition-failed", "Precondition failed"


class ServiceUnavailable(DomainError):
    status, slug, title = 503, "unavailable", "Service unavailable"


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    slug: str | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + (slug or str(status)),
        "title": title,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    request_id = context.current().request_id
    if request_id:
        body["request_id"] = request_id
    body.update(extensions)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_name(loc: tuple | list) -> str:
    parts = [str(p) for p in loc]
    # ("body", 27) is a JSON syntax error at offset 27: the field is the body itself.
    if len(loc) == 2 and loc[0] == "body" and isinstance(loc[1], int):
        return "body"
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:] or parts
    return ".".join(parts)


def _allowed_methods(request: Request) -> str:
    """Every method the path serves (RFC 9110 §15.5.6). Starlette names only the first route whose
    path matched, and FastAPI has one route per method: GET and POST on one path gave ``Allow: POST``.
    Each method is tried against the app's routes (``BaseRoute.matches``, whatever their nesting)."""
    allowed = []
    for method in _METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return ", ".join(allowed)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _needs_principal(request: Request) -> bool:
    def walk(dependant) -> bool:
        return any(getattr(d.call, "authenticates", False) or walk(d) for d in dependant.dependencies)

    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    return dependant is not None and walk(dependant)


def _authenticated(request: Request) -> bool:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    runtime = getattr(request.app.state, "runtime", None)
    if scheme.lower() != "bearer" or not credentials or runtime is None:
        return False
    try:
        runtime.verifier.verify(credentials)
    except Exception:
        return False
    return True


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError):
        headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'} if exc.status == 401 else None
        return problem(
            exc.status, exc.title, exc.detail, slug=exc.slug, instance=request.url.path, headers=headers,
            **exc.extensions,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        # FastAPI parses the body before it runs the dependencies: a secured endpoint must still say
        # 401 to a caller without valid credentials, whatever the body (authentication never ignored).
        if _needs_principal(request) and not _authenticated(request):
            return problem(401, "Authentication required", "a valid bearer token is required",
                           instance=request.url.path, headers={"WWW-Authenticate": "Bearer"})
        errors = [
            {"field": _field_name(e.get("loc", ())), "message": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
        return problem(
            422, "Invalid request", f"invalid field(s): {fields}", slug="validation",
            instance=request.url.path, errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        headers = getattr(exc, "headers", None)
        if exc.status_code == 400 and _needs_principal(request) and not _authenticated(request):
            # A body FastAPI could not even read (before the dependencies ran): still 401 first.
            return problem(401, "Authentication required", "a valid bearer token is required",
                           instance=request.url.path, headers={"WWW-Authenticate": "Bearer"})
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": _allowed_methods(request)}
        return problem(
            exc.status_code, _TITLES.get(exc.status_code, "Error"), str(exc.detail) if exc.detail else None,
            instance=request.url.path, headers=headers,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        if isinstance(exc, DBAPIError) and exc.connection_invalidated:
            # The database dropped the connection under the request (a restart, a network cut): the pool
            # has been renewed, so a retry is likely to succeed; but a write may or may not have committed.
            log.warning("database connection lost during the request", exc_info=exc)
            return problem(503, "Service unavailable", "the database connection was lost during this request; "
                           "whether a change it made was stored is unknown: read before repeating it",
                           slug="unavailable", instance=request.url.path, headers={"Retry-After": "1"})
        log.exception("unhandled error")
        return problem(500, "Internal error", "the error was logged with this request id", instance=request.url.path)


_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    415: "Unsupported media type",
    422: "Invalid request",
    503: "Service unavailable",
}
