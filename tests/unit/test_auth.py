"""Bearer tokens per RFC 8725: only our issuer, audience, type and pinned algorithm are accepted."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.auth import LEEWAY_SECONDS, TOKEN_TYPE, InvalidToken, Role, TokenVerifier, issue_token

pytestmark = pytest.mark.unit

SECRET = "unit-test-secret-0123456789abcdef-0123456789abcdef-0123456789abc"  # 64 bytes: fine for HS512 too
ISSUER = "https://auth.platform.local"
AUDIENCE = "foreign-expert-platform"


@pytest.fixture
def verifier() -> TokenVerifier:
    return TokenVerifier(issuer=ISSUER, audience=AUDIENCE, secret=SECRET)


def claims(**overrides) -> dict:
    now = int(time.time())
    values = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "officer-7",
        "iat": now,
        "exp": now + 600,
        "roles": ["bureau_officer"],
        "org": "bureau-haidian",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def signed(payload: dict, *, key=SECRET, algorithm: str = "HS256", typ: str | None = TOKEN_TYPE) -> str:
    # PyJWT adds typ "JWT" unless told otherwise; None removes the header entirely.
    return jwt.encode(payload, key, algorithm=algorithm, headers={"typ": typ})


def b64url(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def test_token_from_local_issuer_yields_principal_with_roles_and_organisation(verifier):
    token = issue_token(
        secret=SECRET, issuer=ISSUER, audience=AUDIENCE, subject="employer-user-1",
        roles=["employer", "expert"], organisation="employer-42",
    )

    principal = verifier.verify(token)

    assert principal.subject == "employer-user-1"
    assert principal.roles == frozenset({Role.employer, Role.expert})
    assert principal.organisation == "employer-42"
    assert principal.has_any(Role.employer) and not principal.has_any(Role.admin)


def test_token_without_organisation_yields_principal_acting_for_none(verifier):
    token = issue_token(secret=SECRET, issuer=ISSUER, audience=AUDIENCE, subject="admin-1", roles=["admin"])

    assert verifier.verify(token).organisation is None


def test_unknown_roles_are_ignored_not_fatal(verifier):
    principal = verifier.verify(signed(claims(roles=["bureau_officer", "sharepoint_admin", "root"])))

    assert principal.roles == frozenset({Role.bureau_officer})


def test_token_expired_within_leeway_is_still_accepted(verifier):
    now = int(time.time())
    token = signed(claims(iat=now - 600, exp=now - LEEWAY_SECONDS // 3))

    assert verifier.verify(token).subject == "officer-7"


def test_token_expired_beyond_leeway_is_refused(verifier):
    now = int(time.time())
    token = signed(claims(iat=now - 600, exp=now - LEEWAY_SECONDS - 30))

    with pytest.raises(InvalidToken, match="expired"):
        verifier.verify(token)


def test_token_from_another_issuer_is_refused(verifier):
    with pytest.raises(InvalidToken):
        verifier.verify(signed(claims(iss="https://evil.example")))


def test_token_for_another_audience_is_refused(verifier):
    with pytest.raises(InvalidToken):
        verifier.verify(signed(claims(aud="some-other-api")))


def test_token_without_typ_header_is_refused(verifier):
    token = signed(claims(), typ=None)
    assert "typ" not in jwt.get_unverified_header(token)

    with pytest.raises(InvalidToken, match="type"):
        verifier.verify(token)


def test_token_typed_plain_jwt_is_refused(verifier):
    # An ID token or any other JWT signed with the same key must not pass as an access token.
    with pytest.raises(InvalidToken, match="type"):
        verifier.verify(signed(claims(), typ="JWT"))


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_token_signed_with_alg_none_is_refused(verifier, alg):
    token = f"{b64url({'alg': alg, 'typ': TOKEN_TYPE})}.{b64url(claims(roles=['admin']))}."

    with pytest.raises(InvalidToken, match="algorithm"):
        verifier.verify(token)


@pytest.mark.parametrize("algorithm", ["HS384", "HS512"])
def test_token_signed_with_other_hmac_algorithm_and_same_secret_is_refused(verifier, algorithm):
    with pytest.raises(InvalidToken, match="algorithm"):
        verifier.verify(signed(claims(), algorithm=algorithm))


def test_token_signed_with_rsa_key_is_refused_by_secret_verifier(verifier):
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    with pytest.raises(InvalidToken, match="algorithm"):
        verifier.verify(signed(claims(), key=private_key, algorithm="RS256"))


def test_token_with_tampered_payload_is_refused(verifier):
    header, _, signature = signed(claims(roles=["employer"])).split(".")
    forged = f"{header}.{b64url(claims(roles=['admin']))}.{signature}"

    with pytest.raises(InvalidToken, match="[Ss]ignature"):
        verifier.verify(forged)


def test_token_signed_with_another_secret_is_refused(verifier):
    other = "another-secret-0123456789abcdef-0123456789abcdef-0123456789abcdef"

    with pytest.raises(InvalidToken, match="[Ss]ignature"):
        verifier.verify(signed(claims(), key=other))


@pytest.mark.parametrize("claim", ["exp", "sub", "iat", "iss", "aud"])
def test_token_missing_a_required_claim_is_refused(verifier, claim):
    with pytest.raises(InvalidToken, match=claim):
        verifier.verify(signed(claims(**{claim: None})))


@pytest.mark.parametrize(
    "garbage",
    ["", "not-a-token", "a.b.c", "...", "Bearer abc.def.ghi", "eyJhbGciOiJIUzI1NiJ9", "eyJ.eyJ.sig"],
)
def test_garbage_string_is_refused(verifier, garbage):
    with pytest.raises(InvalidToken):
        verifier.verify(garbage)


def test_verifier_without_secret_or_jwks_cannot_be_built():
    with pytest.raises(ValueError):
        TokenVerifier(issuer=ISSUER, audience=AUDIENCE)


class FakeClock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def counting(verifier: TokenVerifier) -> list[str]:
    """Every full verification (signature and claims) the verifier makes, by token."""
    calls: list[str] = []
    decode = verifier._decode

    def spy(token: str):
        calls.append(token)
        return decode(token)

    verifier._decode = spy
    return calls


def test_a_verified_token_is_served_from_the_cache_until_the_cache_time_runs_out():
    clock = FakeClock()
    verifier = TokenVerifier(issuer=ISSUER, audience=AUDIENCE, secret=SECRET, cache_seconds=60, clock=clock)
    calls = counting(verifier)
    token = signed(claims(exp=int(clock.now) + 3600))

    first = verifier.verify(token)
    clock.now += 59
    again = verifier.verify(token)
    assert again == first and calls == [token]

    clock.now += 2  # past the minute: the signature is checked again
    verifier.verify(token)
    assert calls == [token, token]


def test_a_cached_token_is_never_trusted_past_its_expiry():
    clock = FakeClock()
    verifier = TokenVerifier(issuer=ISSUER, audience=AUDIENCE, secret=SECRET, cache_seconds=3600, clock=clock)
    calls = counting(verifier)
    token = signed(claims(exp=int(clock.now) + 5))
    verifier.verify(token)

    clock.now = int(clock.now) + 6
    verifier.verify(token)  # re-verified in full (PyJWT's own clock and leeway decide)
    assert calls == [token, token]


def test_a_refused_token_is_not_cached_and_a_tampered_copy_of_a_cached_one_is_refused(verifier):
    calls = counting(verifier)
    bad = signed(claims(aud="someone-else"))
    for _ in range(2):
        with pytest.raises(InvalidToken):
            verifier.verify(bad)
    assert calls == [bad, bad]

    good = signed(claims())
    verifier.verify(good)
    header, payload, signature = good.split(".")
    forged = ".".join([header, b64url(claims(roles=["admin"])), signature])
    with pytest.raises(InvalidToken):
        verifier.verify(forged)


def test_the_cache_keeps_at_most_its_size_dropping_the_least_recently_used():
    verifier = TokenVerifier(issuer=ISSUER, audience=AUDIENCE, secret=SECRET, cache_size=2)
    calls = counting(verifier)
    a, b, c = (signed(claims(sub=f"user-{n}")) for n in range(3))
    for token in (a, b, a, c):  # c evicts b, the least recently used
        verifier.verify(token)
    verifier.verify(a)
    verifier.verify(b)
    assert calls == [a, b, c, b]
