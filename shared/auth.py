"""Bearer JWT authentication per RFC 8725, and the principal an endpoint acts for.

Production verifies against an OIDC provider's JWKS (RS256/ES256); development and tests
have a local issuer that signs HS256 with a secret refused outside development.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import jwt

TOKEN_TYPE = "at+jwt"  # RFC 9068 access tokens; RFC 8725 §3.11 explicit typing
LOCAL_ALGORITHMS = ("HS256",)
OIDC_ALGORITHMS = ("RS256", "ES256")
LEEWAY_SECONDS = 30
VERIFIED_CACHE_SIZE = 4096
VERIFIED_CACHE_SECONDS = 60.0
"""A verified token is trusted again without its signature being checked for at most this long (and never past
its ``exp``): a key withdrawn from the provider's JWKS stops admitting its tokens within a minute."""


class Role(StrEnum):
    employer = "employer"
    preliminary_reviewer = "preliminary_reviewer"
    bureau_officer = "bureau_officer"
    committee_member = "committee_member"
    expert = "expert"
    partner_agency = "partner_agency"
    admin = "admin"


@dataclass(frozen=True)
class Principal:
    """Who calls, with which roles, for which organisation (employer, bureau or department id)."""

    subject: str
    roles: frozenset[Role]
    organisation: str | None = None
    claims: dict = field(default_factory=dict, compare=False, repr=False)

    def has_any(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))


class InvalidToken(Exception):
    """The token is missing, malformed, expired, or not ours; the message says which."""


class TokenVerifier:
    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        secret: str | None = None,
        jwks_url: str | None = None,
        cache_size: int = VERIFIED_CACHE_SIZE,
        cache_seconds: float = VERIFIED_CACHE_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not secret and not jwks_url:
            raise ValueError("a token verifier needs a secret or a JWKS URL")
        self.issuer = issuer
        self.audience = audience
        self._secret = secret
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300) if jwks_url else None
        # A client sends the same token with every request: its signature and claims are checked once, then
        # the principal is served from here until min(exp, verified + cache_seconds). Only tokens that
        # verified are kept, keyed by the whole token (signature included), least recently used dropped first.
        self._verified: OrderedDict[str, tuple[Principal, float]] = OrderedDict()
        self._cache_size = cache_size
        self._cache_seconds = cache_seconds
        self._clock = clock

    @property
    def algorithms(self) -> tuple[str, ...]:
        return OIDC_ALGORITHMS if self._jwks else LOCAL_ALGORITHMS

    def verify(self, token: str) -> Principal:
        now = self._clock()
        hit = self._verified.get(token)
        if hit is not None:
            principal, trusted_until = hit
            if now < trusted_until:
                self._verified.move_to_end(token)
                return principal
            del self._verified[token]
        principal = self._decode(token)
        if self._cache_size > 0:
            self._verified[token] = (principal, min(float(principal.claims["exp"]), now + self._cache_seconds))
            if len(self._verified) > self._cache_size:
                self._verified.popitem(last=False)
        return principal

    def _decode(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidToken("malformed token") from exc
        # Pinned algorithms: 'none' and anything we did not choose are refused before any key is used.
        if header.get("alg") not in self.algorithms:
            raise InvalidToken(f"algorithm {header.get('alg')!r} is not accepted")
        if str(header.get("typ", "")).lower() not in (TOKEN_TYPE, f"application/{TOKEN_TYPE}"):
            raise InvalidToken(f"token type must be {TOKEN_TYPE!r}")
        try:
            key = self._jwks.get_signing_key_from_jwt(token).key if self._jwks else self._secret
        except jwt.PyJWKClientError as exc:  # unknown kid, or the provider's JWKS unreachable
            raise InvalidToken(f"no signing key for this token: {exc}") from exc
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=list(self.algorithms),
                audience=self.audience,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise InvalidToken("token expired") from exc
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        roles = set()
        for name in claims.get("roles") or []:
            try:
                roles.add(Role(name))
            except ValueError:
                continue  # roles of other applications are not ours to interpret
        return Principal(
            subject=str(claims["sub"]),
            roles=frozenset(roles),
            organisation=claims.get("org"),
            claims=claims,
        )


def issue_token(
    *,
    secret: str,
    issuer: str,
    audience: str,
    subject: str,
    roles: list[str],
    organisation: str | None = None,
    ttl_seconds: int = 8 * 3600,
) -> str:
    """The local development issuer."""
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "iat": now,
        "nbf": now,
        "exp": now + ttl_seconds,
        "jti": str(uuid.uuid4()),
        "roles": roles,
    }
    if organisation:
        claims["org"] = organisation
    return jwt.encode(claims, secret, algorithm="HS256", headers={"typ": TOKEN_TYPE})


def district_bureau(district: str) -> str:
    """The organisation of a district HR bureau (区人力社保局) acting as preliminary reviewer (R-APPLY)."""
    return f"district:{district}"


def competent_department(name: str) -> str:
    """The organisation of an employer's competent department (主管部门) acting as preliminary reviewer."""
    return f"department:{name}"
