"""REST routes of the development sign-in under /directory/v1/sign-in: refused in production, and not in its OpenAPI.

Production signs in with OpenID Connect against the configured provider (the console's ``/console/config.json``
says which); these routes are the local issuer's counterpart for development, the same as ``make token``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response

from services.directory.settings import DirectorySettings
from services.directory.sign_in import domain, queries
from services.directory.sign_in.schemas import (
    SignInEmployerOption,
    SignInLabels,
    SignInOptions,
    SignInOrganisationOption,
    SignInRoleOption,
    SignInToken,
    SignInTokenRequest,
)
from shared.api import RuntimeDep
from shared.errors import Forbidden, Unprocessable
from shared.runtime import ServiceRuntime

NOT_IN_PRODUCTION = "development sign-in is not available in production"


async def development_issuer(request: Request) -> domain.LocalIssuer:
    """The local issuer with the service's own token settings; 403 in production, and where the services verify
    tokens against an OIDC provider's JWKS (they would refuse every token of the local issuer)."""
    runtime: ServiceRuntime = request.app.state.runtime
    settings = runtime.settings
    if not settings.is_development:
        raise Forbidden(NOT_IN_PRODUCTION)
    if settings.oidc_jwks_url:
        raise Forbidden("development sign-in is not available: tokens are verified against the OIDC provider "
                        "(oidc_jwks_url), sign in there")
    return domain.LocalIssuer(secret=settings.jwt_secret, issuer=settings.jwt_issuer, audience=settings.jwt_audience)


Issuer = Annotated[domain.LocalIssuer, Depends(development_issuer)]

router = APIRouter(prefix="/directory/v1/sign-in", tags=["sign-in"])


def _labels(labels: dict[str, str]) -> SignInLabels:
    return SignInLabels.model_validate(labels)


@router.get("/options", summary="Development only: the roles and organisations the local sign-in offers")
async def sign_in_options(
    runtime: RuntimeDep, _: Issuer, response: Response,
    accept_language: Annotated[str | None, Header(description="zh-CN or en: the language of each label")] = None,
) -> SignInOptions:
    language = domain.language_of(accept_language)
    response.headers["Vary"] = "Accept-Language"
    async with runtime.db.session() as session:
        employers = await queries.employer_choices(session)
        departments = await queries.competent_departments(session)
    return SignInOptions(
        roles=[SignInRoleOption(role=role, label=labels[language], labels=_labels(labels))
               for role, labels in domain.ROLE_LABELS.items()],
        employers=[SignInEmployerOption(id=row.id, name=row.name) for row in employers],
        districts=[SignInOrganisationOption(id=organisation, name=labels[language], labels=_labels(labels))
                   for organisation, labels in domain.district_organisations()],
        departments=[SignInOrganisationOption(id=organisation, name=name, labels=_labels({"zh-CN": name, "en": name}))
                     for organisation, name in domain.department_organisations(departments)],
    )


@router.post("/token", summary="Development only: a token of the local issuer for a role and organisation")
async def sign_in_token(body: SignInTokenRequest, issuer: Issuer, response: Response) -> SignInToken:
    try:
        issued = issuer.issue(body.role, body.organisation, body.subject)
    except domain.SignInRefused as exc:
        raise Unprocessable(f"the services would refuse this token: {exc.reason}", field=exc.field) from exc
    principal = issued.principal
    response.headers["Cache-Control"] = "no-store"  # RFC 6749 §5.1: a token is never cached
    return SignInToken(access_token=issued.access_token, token_type="Bearer", expires_in=issued.expires_in,
                       subject=principal.subject, roles=sorted(principal.roles), organisation=principal.organisation)


def router_for(settings: DirectorySettings) -> APIRouter:
    """The routes, in the OpenAPI document only outside production (in production they answer 403 alone)."""
    documented = APIRouter()
    documented.include_router(router, include_in_schema=settings.is_development)
    return documented
