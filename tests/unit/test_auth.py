"""Bearer tokens per RFC 8725: only our issuer, audience, type and pinned algorithm are accepted."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.auth import (
    LEEWAY_SECONDS,
    TOKEN_TYPE,
    InvalidToken,
    Principal,
    Role,
    TokenVerifier,
    competent_department,
    district_bureau,
    issue_token,
)

pytestmark = pytest.mark.unit

SECRET = "unit-test-secret-0123456789abcdef-0123456789abcdef-0123456789abc"  # 64 bytes: fine for HS512 too
ISSUER = "https://auth.platform.local"
AUDIENCE = "foreign-expert-platform"
EMPLOYER_ID = "6f1c1d38-5f7e-4a43-9a4c-1b6a7f0e2d11"


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
        roles=["employer", "expert"], organisation=EMPLOYER_ID,
    )

    principal = verifier.verify(token)

    assert principal.subject == "employer-user-1"
    assert principal.roles == frozenset({Role.employer, Role.expert})
    assert principal.organisation == EMPLOYER_ID
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


# -- claims validated by type and shape: anything else is refused, never a role (issue 15) --------------

NOT_A_STRING = [["x"], 42, 4.2, {"a": 1}, True, False]
PRINTABLE_PROBLEMS = ["", "a" * 101, "nul\x00inside", "line\nbreak", "tab\there"]

MALFORMED_ROLES = {
    "an object of role names": {"admin": False},
    "an object with a true role": {"admin": True},
    "a string": "admin",
    "a number": 7,
    "true": True,
    "null": None,
    "a list with a number": ["bureau_officer", 1],
    "a list with a list": [["admin"]],
    "a list with an object": [{"admin": True}],
    "a list with null": [None],
    "a list of 101 names": ["bureau_officer"] * 101,
}


def raw_claims(**overrides) -> dict:
    """``claims`` where an override of None means the JSON value null, not an absent claim."""
    values = claims()
    values.update(overrides)
    return values


@pytest.mark.parametrize("case", list(MALFORMED_ROLES))
def test_roles_that_are_not_a_list_of_strings_are_refused_never_a_role(verifier, case):
    with pytest.raises(InvalidToken, match="roles"):
        verifier.verify(signed(raw_claims(roles=MALFORMED_ROLES[case])))


def test_roles_missing_mean_no_role_not_a_refusal(verifier):
    principal = verifier.verify(signed(claims(roles=None)))

    assert principal.roles == frozenset() and not principal.has_any(*Role)


EMPLOYER_BAD_ORGS = {
    **{f"not a string: {value!r}": value for value in NOT_A_STRING},
    **{f"not printable or too long: {value[:12]!r}": value for value in PRINTABLE_PROBLEMS},
    "a district bureau": district_bureau("haidian"),
    "a competent department": competent_department("Municipal Health Commission"),
    "a name": "employer-42",
    "a UUID without hyphens": EMPLOYER_ID.replace("-", ""),
    "a UUID in braces": "{" + EMPLOYER_ID + "}",
    "a UUID with a tail": EMPLOYER_ID + "x",
    "a urn": "urn:uuid:" + EMPLOYER_ID,
    "null": None,
}
REVIEWER_BAD_ORGS = {
    **{f"not a string: {value!r}": value for value in NOT_A_STRING},
    **{f"not printable or too long: {value[:12]!r}": value for value in PRINTABLE_PROBLEMS},
    "a list of one bureau": [district_bureau("haidian")],
    "an employer id": EMPLOYER_ID,
    "a bare district": "haidian",
    "an empty district": "district:",
    "a district in capitals": "district:Haidian",
    "a district with a space": "district:hai dian",
    "an empty department": "department:",
    "a department padded with spaces": "department: Health ",
    "a department with a line break": "department:Health\nCommission",
    "null": None,
}
OTHER_BAD_ORGS = {
    **{f"not a string: {value!r}": value for value in NOT_A_STRING},
    **{f"not printable or too long: {value[:12]!r}": value for value in PRINTABLE_PROBLEMS},
}


@pytest.mark.parametrize("case", list(EMPLOYER_BAD_ORGS))
def test_an_employer_token_whose_org_is_no_employer_id_is_refused(verifier, case):
    with pytest.raises(InvalidToken, match="org"):
        verifier.verify(signed(raw_claims(roles=["employer"], org=EMPLOYER_BAD_ORGS[case])))


def test_an_employer_token_without_org_is_refused(verifier):
    with pytest.raises(InvalidToken, match="needs an org"):
        verifier.verify(signed(claims(roles=["employer"], org=None)))


@pytest.mark.parametrize("case", list(REVIEWER_BAD_ORGS))
def test_a_preliminary_reviewer_token_whose_org_is_no_bureau_or_department_is_refused(verifier, case):
    with pytest.raises(InvalidToken, match="org"):
        verifier.verify(signed(raw_claims(roles=["preliminary_reviewer"], org=REVIEWER_BAD_ORGS[case])))


def test_a_preliminary_reviewer_token_without_org_is_refused(verifier):
    with pytest.raises(InvalidToken, match="needs an org"):
        verifier.verify(signed(claims(roles=["preliminary_reviewer"], org=None)))


@pytest.mark.parametrize("role", ["bureau_officer", "committee_member", "admin", "partner_agency", "expert"])
@pytest.mark.parametrize("case", list(OTHER_BAD_ORGS))
def test_any_other_role_refuses_an_org_that_is_not_a_short_printable_string(verifier, role, case):
    with pytest.raises(InvalidToken, match="org"):
        verifier.verify(signed(raw_claims(roles=[role], org=OTHER_BAD_ORGS[case])))


@pytest.mark.parametrize("org", [EMPLOYER_ID, district_bureau("haidian")])
def test_one_token_cannot_act_as_employer_and_as_preliminary_reviewer(verifier, org):
    with pytest.raises(InvalidToken, match="one organisation"):
        verifier.verify(signed(claims(roles=["employer", "preliminary_reviewer"], org=org)))


@pytest.mark.parametrize(("roles", "org", "expected"), [
    (["employer"], EMPLOYER_ID, EMPLOYER_ID),
    (["employer"], EMPLOYER_ID.upper(), EMPLOYER_ID),  # compared as text with str(uuid): lower case
    (["employer", "expert"], EMPLOYER_ID, EMPLOYER_ID),
    (["preliminary_reviewer"], district_bureau("haidian"), "district:haidian"),
    (["preliminary_reviewer"], competent_department("Municipal Health Commission"),
     "department:Municipal Health Commission"),
    (["preliminary_reviewer"], competent_department("北京市卫生健康委员会"), "department:北京市卫生健康委员会"),
    (["bureau_officer"], None, None),
    (["bureau_officer"], "bureau-haidian", "bureau-haidian"),
    (["committee_member", "bureau_officer"], "any printable organisation", "any printable organisation"),
    (["expert"], None, None),
    (["partner_agency"], "entry-exit-bureau", "entry-exit-bureau"),
    (["admin"], "x" * 100, "x" * 100),
])
def test_well_formed_organisations_are_accepted(verifier, roles, org, expected):
    principal = verifier.verify(signed(claims(roles=roles, org=org)))

    assert principal.organisation == expected
    assert principal.roles == frozenset(Role(r) for r in roles)


@pytest.mark.parametrize("subject", ["", "   ", 12345, 1.5, True, ["officer-7"], {"id": "officer-7"}, "s" * 201,
                                     "nul\x00", "two\nlines"])
def test_a_subject_that_is_not_a_non_empty_printable_string_is_refused(verifier, subject):
    with pytest.raises(InvalidToken):
        verifier.verify(signed(raw_claims(sub=subject)))


def test_a_subject_of_200_characters_is_accepted(verifier):
    assert verifier.verify(signed(claims(sub="s" * 200))).subject == "s" * 200


def future() -> int:
    return int(time.time()) + 600


BAD_TIMES = {
    "a string of digits": lambda: str(future()),
    "a word": lambda: "tomorrow",
    "true": lambda: True,
    "false": lambda: False,
    "null": lambda: None,
    "a list": lambda: [future()],
    "an object": lambda: {"at": future()},
    "a 400-digit number": lambda: 10 ** 400,
    "beyond 9999": lambda: 253402300800,
    "infinity": lambda: float("inf"),
    "not a number": lambda: float("nan"),
}


@pytest.mark.parametrize("claim", ["exp", "nbf", "iat"])
@pytest.mark.parametrize("case", list(BAD_TIMES))
def test_time_claims_that_are_not_numbers_are_refused(verifier, claim, case):
    value = BAD_TIMES[case]()
    # A far exp PyJWT accepts (a 400-digit one, or past 9999) is refused here, before the cache's float() of it.
    with pytest.raises(InvalidToken):
        verifier.verify(signed(raw_claims(**{claim: value})))


def test_time_claims_may_be_integers_or_fractions(verifier):
    now = time.time()
    principal = verifier.verify(signed(claims(iat=now - 1.5, nbf=now - 1.25, exp=now + 600.75)))

    assert principal.subject == "officer-7"


def test_claims_that_are_no_json_object_are_refused():
    for value in ([], "claims", 7, None):
        with pytest.raises(InvalidToken):
            Principal.of_claims(value)


def test_the_reported_admin_forgery_is_refused_and_the_issuer_s_own_tokens_still_pass(verifier):
    # Issue 15: a signed token with "roles": {"admin": false} was treated as admin.
    with pytest.raises(InvalidToken):
        verifier.verify(signed(raw_claims(roles={"admin": False})))
    for role in Role:
        org = {Role.employer: EMPLOYER_ID, Role.preliminary_reviewer: district_bureau("chaoyang")}.get(role)
        token = issue_token(secret=SECRET, issuer=ISSUER, audience=AUDIENCE, subject=f"{role}-1", roles=[role.value],
                            organisation=org)
        assert verifier.verify(token).roles == frozenset({role})
