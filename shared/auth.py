"""Bearer JWT authentication per RFC 8725, and the principal an endpoint acts for.

Production verifies against an OIDC provider's JWKS (RS256/ES256); development and tests
have a local issuer that signs HS256 with a secret refused outside development.
"""

from __future__ import annotations

import math
import re
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

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


OFFICER_ROLES = frozenset({Role.bureau_officer, Role.admin})
"""The roles of the bureau acting as such (``Principal.is_officer``; ``shared.api.Officer``)."""


class InvalidToken(Exception):
    """The token is missing, malformed, expired, or not ours; the message says which."""


SUBJECT_MAX_LENGTH = 200
"""The audit record's ``actor`` column (shared/tables.py) holds 200 characters."""
ORGANISATION_MAX_LENGTH = 100
"""The audit record's ``organisation`` column (shared/tables.py) holds 100 characters."""
ROLES_MAX = 100
"""More role names than any provider's realm would give one user: a token claiming more is not one of ours."""
TIME_MAX = 253402300799
"""9999-12-31T23:59:59Z: ``exp``/``nbf``/``iat`` beyond it are not times (and a float of them may overflow)."""
TIME_CLAIMS = ("exp", "nbf", "iat")

EMPLOYER_ORGANISATION = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
"""An employer acts for its employer id: the directory's UUID (``str(uuid)``, compared as text everywhere)."""
DISTRICT_BUREAU = re.compile(r"district:[a-z]{2,40}")
"""``district_bureau()``: one of Beijing's districts by its pinyin name (directory ``District``), lower case."""
COMPETENT_DEPARTMENT = re.compile(r"department:\S(?:.*\S)?", re.DOTALL)
"""``competent_department()``: the department's name as the employer registered it, trimmed."""


def _printable(text: str) -> bool:
    """No control characters (NUL included: PostgreSQL refuses it in text), no line or paragraph separators."""
    return text.isprintable()


def employer_organisation_problem(organisation: str) -> str | None:
    if not EMPLOYER_ORGANISATION.fullmatch(organisation):
        return "an employer's org is its employer id (a UUID)"
    return None


def reviewer_organisation_problem(organisation: str) -> str | None:
    if DISTRICT_BUREAU.fullmatch(organisation):
        return None
    if COMPETENT_DEPARTMENT.fullmatch(organisation) and _printable(organisation):
        return None
    return ("a preliminary reviewer's org is a district bureau ('district:<district>') "
            "or a competent department ('department:<name>')")


ORGANISATION_OF_ROLE: dict[Role, Callable[[str], str | None]] = {
    Role.employer: employer_organisation_problem,
    Role.preliminary_reviewer: reviewer_organisation_problem,
}
"""The roles that act for an organisation, with the shape it must have (R-APPLY: the employer applies, the
district bureau or competent department reviews first). These roles need an ``org``; a token that holds
two of them must satisfy both, which no organisation can: one token acts for one organisation, and the
employer that applies is never the body that reviews it. Officers, committee members, administrators and
partner agencies act for the bureau or their agency, which no check reads; an expert acts for themselves
(their ``sub`` is compared with the expert id). For those an ``org`` is optional, but if present a short
printable string."""


def _subject_problem(subject: Any) -> str | None:
    # Not more: an expert's sub is compared with their expert id, and one that is none grants nothing.
    if not isinstance(subject, str) or not subject.strip():
        return "sub must be a non-empty string"
    if len(subject) > SUBJECT_MAX_LENGTH or not _printable(subject):
        return f"sub must be printable and at most {SUBJECT_MAX_LENGTH} characters"
    return None


def _roles(value: Any) -> frozenset[Role]:
    if not isinstance(value, list) or len(value) > ROLES_MAX:
        raise InvalidToken(f"roles must be a list of at most {ROLES_MAX} role names")
    roles = set()
    for name in value:
        if not isinstance(name, str):
            raise InvalidToken("roles must be a list of strings")
        try:
            roles.add(Role(name))
        except ValueError:
            # Unknown names are ignored, not refused: a provider's realm serves several applications, and a
            # user's roles in the others are not ours to interpret. They grant nothing here.
            continue
    return frozenset(roles)


def _organisation(value: Any, roles: frozenset[Role]) -> str | None:
    bound = [role for role in sorted(roles) if role in ORGANISATION_OF_ROLE]
    if value is None:
        if bound:
            raise InvalidToken(f"a token with the role {bound[0].value!r} needs an org")
        return None
    if not isinstance(value, str) or not value or len(value) > ORGANISATION_MAX_LENGTH or not _printable(value):
        raise InvalidToken(f"org must be a printable string of 1 to {ORGANISATION_MAX_LENGTH} characters")
    if len(bound) > 1:
        raise InvalidToken(f"a token acts for one organisation: the roles {', '.join(r.value for r in bound)} "
                           "cannot share one")
    for role in bound:
        problem = ORGANISATION_OF_ROLE[role](value)
        if problem:
            raise InvalidToken(problem)
    return value.lower() if Role.employer in roles else value


def _time_claim_problem(name: str, value: Any) -> str | None:
    # bool is an int in Python (True == 1), and PyJWT's int() takes "1700000000": both refused here.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{name} must be a number (seconds since the epoch)"
    if isinstance(value, float) and not math.isfinite(value) or not 0 <= value <= TIME_MAX:  # no float() of an int
        return f"{name} must be a time between 1970 and 9999"
    return None


@dataclass(frozen=True)
class Principal:
    """Who calls, with which roles, for which organisation (employer, bureau or department id)."""

    subject: str
    roles: frozenset[Role]
    organisation: str | None = None
    claims: dict = field(default_factory=dict, compare=False, repr=False)

    def has_any(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_officer(self) -> bool:
        """A bureau officer or an administrator: the bureau acting, who may read and decide on any case."""
        return bool(self.roles.intersection(OFFICER_ROLES))

    def acts_for(self, role: Role, organisation: object) -> bool:
        """Holds ``role`` and acts for ``organisation`` (an employer's id, a reviewing body's name)."""
        return role in self.roles and organisation is not None and self.organisation == str(organisation)

    def is_expert(self, expert_id: object) -> bool:
        """The expert ``expert_id`` themselves (an expert's ``sub`` is their expert id)."""
        return Role.expert in self.roles and self.subject == str(expert_id)

    @classmethod
    def of_claims(cls, claims: Any) -> "Principal":
        """The principal of verified claims, or InvalidToken: every claim read is of its type and shape.

        ``roles`` a list of strings (unknown names ignored), ``org`` a string of the shape its roles need
        (``ORGANISATION_OF_ROLE``), ``sub`` a non-empty printable string, ``exp``/``nbf``/
        ``iat`` numbers. Nothing of a malformed token becomes a role or an organisation.
        """
        if not isinstance(claims, dict):
            raise InvalidToken("the token's claims are not a JSON object")
        for name in TIME_CLAIMS:
            if name in claims and (problem := _time_claim_problem(name, claims[name])):
                raise InvalidToken(problem)
        roles = _roles(claims.get("roles", []))
        if problem := _subject_problem(claims.get("sub")):
            raise InvalidToken(problem)
        organisation = _organisation(claims.get("org"), roles)
        return cls(subject=claims["sub"], roles=roles, organisation=organisation, claims=claims)


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
        except (ValueError, TypeError, ArithmeticError) as exc:  # a claim PyJWT could not even compare
            raise InvalidToken("malformed claims") from exc
        return Principal.of_claims(claims)


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
