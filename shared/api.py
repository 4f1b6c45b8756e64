"""FastAPI dependencies every service's routers use: the runtime, the caller, role checks."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared import context
from shared.auth import InvalidToken, Principal, Role
from shared.errors import Forbidden, Unauthorized
from shared.runtime import ServiceRuntime

_bearer = HTTPBearer(auto_error=False, description="OAuth2 access token (JWT, typ at+jwt)")


async def get_runtime(request: Request) -> ServiceRuntime:
    return request.app.state.runtime


RuntimeDep = Annotated[ServiceRuntime, Depends(get_runtime)]


async def current_principal(
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("a bearer token is required")
    try:
        principal = runtime.verifier.verify(credentials.credentials)
    except InvalidToken as exc:
        raise Unauthorized(f"invalid token: {exc}") from exc
    context.current().principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: Role):
    """A dependency that admits only callers holding one of ``roles``."""

    async def check(principal: CurrentPrincipal) -> Principal:
        if not principal.has_any(*roles):
            raise Forbidden(f"this action needs one of the roles: {', '.join(sorted(roles))}")
        return principal

    return check


def role_dependency(*roles: Role):
    return Annotated[Principal, Depends(require_roles(*roles))]


Officer = role_dependency(Role.bureau_officer, Role.admin)
Admin = role_dependency(Role.admin)
