"""FastAPI dependencies every service's routers use: the runtime, the caller, role checks."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared import context
from shared.auth import InvalidToken, Principal, Role
from shared.errors import Forbidden, Unauthorized, Unprocessable
from shared.runtime import ServiceRuntime

_BEARER = "OAuth2 access token (JWT, typ at+jwt)"


async def get_runtime(request: Request) -> ServiceRuntime:
    return request.app.state.runtime


RuntimeDep = Annotated[ServiceRuntime, Depends(get_runtime)]


def authenticate(runtime: ServiceRuntime, credentials: HTTPAuthorizationCredentials | None) -> Principal:
    """The caller of a bearer token, bound to the action's context; 401 without a valid one."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("a bearer token is required")
    try:
        principal = runtime.verifier.verify(credentials.credentials)
    except InvalidToken as exc:
        raise Unauthorized(f"invalid token: {exc}") from exc
    context.current().principal = principal
    return principal


class BearerCaller(HTTPBearer):
    """The caller of a bearer token, holding one of ``roles`` if any are named: the OpenAPI security scheme
    (``HTTPBearer``) and the check in one dependency, which reads the runtime off the request rather than
    depending on ``get_runtime`` (one level of dependency fewer on every request: docs/performance.md)."""

    authenticates = True  # how shared.errors tells a secured route (401) from a public one

    def __init__(self, *roles: Role) -> None:
        super().__init__(auto_error=False, scheme_name="HTTPBearer", description=_BEARER)
        self.roles = roles

    async def __call__(self, request: Request) -> Principal:  # type: ignore[override]
        principal = authenticate(request.app.state.runtime, await super().__call__(request))
        if self.roles and not principal.has_any(*self.roles):
            raise Forbidden(f"this action needs one of the roles: {', '.join(sorted(self.roles))}")
        return principal


current_principal = BearerCaller()
"""Any authenticated caller."""

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


async def refuse_nul_parameters(request: Request) -> None:
    """No NUL character in a path or query parameter: a 422 naming it (PostgreSQL cannot store NUL in text,
    and no identifier or filter has one). Bodies are checked by ``shared.schemas.Input``."""
    scope = request.scope
    query = scope["query_string"]
    if "\x00" not in scope["path"] and b"%00" not in query and b"\x00" not in query:
        return  # path parameters come from the decoded path, query values from %-escapes: nothing to name
    for where, params in (("path", request.path_params), ("query", request.query_params)):
        for name, value in params.items():
            if "\x00" in str(value):
                raise RequestValidationError([{"loc": (where, name), "msg": "NUL characters are not allowed",
                                               "type": "value_error", "input": None}])


def require_roles(*roles: Role) -> BearerCaller:
    """A dependency that admits only callers holding one of ``roles``."""
    return BearerCaller(*roles)


def role_dependency(*roles: Role):
    return Annotated[Principal, Depends(require_roles(*roles))]


Officer = role_dependency(Role.bureau_officer, Role.admin)
Admin = role_dependency(Role.admin)


RowId = Annotated[int, Path(ge=1, le=2**63 - 1, description="A row number (a positive 64-bit integer)")]
"""An integer id in a path: beyond PostgreSQL's bigint it is a 422 naming the parameter, never a 500."""

YearQuery = Annotated[int | None, Query(ge=1900, le=9999, description="A calendar or funding year")]
"""An optional year filter, bounded so that a fuzzed value is refused rather than overflowing a column."""


ETAG = {"ETag": {
    "description": "The version of what was read (a strong ETag): send it back in `If-Match` to change it, or in "
                   "`If-None-Match` to be answered 304 Not Modified, without a body, while it is unchanged",
    "schema": {"type": "string"},
}}
LOCATION = {"Location": {"description": "The path of what was created", "schema": {"type": "string"}}}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again", "schema": {"type": "integer"}}}


def documented(status: int, *headers: dict, description: str | None = None) -> dict[int, dict]:
    """A route's ``responses`` entry documenting the headers its ``status`` answer carries (``ETAG``,
    ``LOCATION``, ...), merged by FastAPI into that status's response."""
    entry: dict = {"headers": {name: spec for header in headers for name, spec in header.items()}}
    if description:
        entry["description"] = description
    return {status: entry}


def etag(version: int) -> str:
    """The strong ETag of a row at ``version`` (what ``If-Match`` hands back)."""
    return f'"{version}"'


def parse_if_match(if_match: str | None, what: str, *, any_version: bool = True) -> int | None:
    """The version an ``If-Match`` header names; None when absent (or ``*`` where ``any_version``).

    ``any_version=False``: ``*`` is refused like any value that is not an ETag this API handed out (where an
    edit must name the version it was made on)."""
    if if_match is None or (any_version and if_match.strip() == "*"):
        return None
    try:
        return int(if_match.strip().removeprefix("W/").strip('"'))
    except ValueError as exc:
        raise Unprocessable(f"If-Match is the ETag of the {what} as read", field="If-Match") from exc


class IfMatch:
    """The ``If-Match`` header of a request, read when the route asks for its ``version``.

    Lazily: a malformed header is refused where the route reads it, after the caller is authenticated and
    the body validated, as a check written in the route would be."""

    __slots__ = ("header", "what", "any_version")

    def __init__(self, header: str | None, what: str, any_version: bool) -> None:
        self.header, self.what, self.any_version = header, what, any_version

    @property
    def version(self) -> int | None:
        """The version the header names (``parse_if_match``): None when absent; a 422 naming it if malformed."""
        return parse_if_match(self.header, self.what, any_version=self.any_version)


def if_match(what: str, *, any_version: bool = True):
    """The one If-Match dependency: declares the header and hands the route an ``IfMatch`` of ``what``."""

    async def header(if_match: Annotated[str | None, Header()] = None) -> IfMatch:
        return IfMatch(if_match, what, any_version)

    return Annotated[IfMatch, Depends(header)]
