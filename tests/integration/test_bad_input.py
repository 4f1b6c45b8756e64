"""Bad input and bad credentials: a clear 4xx problem+json, and nothing written."""

from __future__ import annotations

import base64
import json
import re

import jwt
import pytest

from shared.settings import DEV_JWT_SECRET
from tests.support.data import employer
from tests.support.directory import PUBLIC_PAGES
from tests.support.tokens import AUDIENCE, ISSUER, auth, token

PROBLEM = "application/problem+json"
PUBLIC = re.compile(r"^/\w+/(healthz|readyz|metrics|docs|openapi\.json)")
PUBLIC_READS = re.compile(r"^/directory/v1/(taxonomy|catalogue-entries)")
SIGN_IN = "/directory/v1/sign-in/token"
"""The development issuer's sign-in: it is how a token is had, so it asks for none (403 in production:
tests/integration/test_dev_sign_in.py); a body-less request is a 422 naming the body."""
"""Reference data anyone may read (R-FIELD, R-CATALOGUE): answered without a token (200, or 404 for no such id).
The directory's other public pages are ``PUBLIC_PAGES``."""


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def forged(alg: str) -> str:
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "mallory", "roles": ["admin"], "iat": 1, "exp": 4102444800}
    if alg == "none":
        return f"{b64({'alg': 'none', 'typ': 'at+jwt'})}.{b64(claims)}."
    return jwt.encode(claims, DEV_JWT_SECRET, algorithm=alg, headers={"typ": "at+jwt"})


CASES = {
    "malformed JSON body": ({"content": b'{"name": "x", ', "headers": {"content-type": "application/json"}}, 422, "body"),
    "wrong type": ({"json": employer(municipal_state_owned="perhaps")}, 422, "municipal_state_owned"),
    "unknown field": ({"json": employer(passport_scan="x")}, 422, "passport_scan"),
    "missing field": ({"json": {k: v for k, v in employer().items() if k != "district"}}, 422, "district"),
    "bad credit code": ({"json": employer(credit_code="91110108MA01ABCDE0")}, 422, "credit_code"),
    "no token": ({"json": employer(), "auth": {}}, 401, None),
    "expired token": ({"json": employer(), "auth": {"Authorization": f"Bearer {token('bureau_officer', ttl=-120)}"}}, 401, None),
    "alg none": ({"json": employer(), "auth": {"Authorization": f"Bearer {forged('none')}"}}, 401, None),
    "HS512 instead of HS256": ({"json": employer(), "auth": {"Authorization": f"Bearer {forged('HS512')}"}}, 401, None),
    "another secret": ({"json": employer(), "auth": {"Authorization": f"Bearer {token('admin', secret='x' * 40)}"}}, 401, None),
    "wrong role": ({"json": employer(), "auth": auth("employer", "6f1c1d38-5f7e-4a43-9a4c-1b6a7f0e2d11")}, 403, None),
}


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
@pytest.mark.parametrize("case", list(CASES))
async def test_bad_request_is_a_problem_and_writes_nothing(platform, case):
    await platform.start()
    request, status, field = CASES[case]
    request = dict(request)
    headers = request.pop("auth", auth("bureau_officer"))
    extra_headers = request.pop("headers", None)
    async with platform.client("directory", headers) as client:
        response = await client.post("/directory/v1/employers", **request, headers=extra_headers)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == status and problem["title"] and problem["type"]
    if field:
        assert field in [e["field"] for e in problem["errors"]], problem
    directory = platform.runtime("directory")
    assert await platform.count("directory", "employers") == 0
    assert await platform.count("directory", directory.tables.outbox) == 0
    assert await platform.count("directory", directory.tables.audit_log) == 0


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
async def test_every_endpoint_but_health_metrics_and_docs_wants_a_token(platform):
    await platform.start()
    checked = 0
    for service, app in platform.apps.items():
        async with platform.client(service) as client:
            document = (await client.get(f"/{service}/openapi.json")).json()
            for path, operations in document["paths"].items():
                concrete = re.sub(r"\{[^}]+\}", "00000000-0000-0000-0000-000000000000", path)
                for method in operations:
                    response = await client.request(method.upper(), concrete)
                    if PUBLIC.match(path):
                        assert response.status_code == 200, (method, path)
                    elif method == "get" and (PUBLIC_READS.match(path) or path in PUBLIC_PAGES):
                        # R-FIELD/R-CATALOGUE reference data and R-PLATFORM pages are published to anyone
                        assert response.status_code in (200, 404), (method, path, response.status_code)
                    elif path == SIGN_IN:
                        assert response.status_code == 422, (method, path, response.status_code)
                    else:
                        assert response.status_code == 401, (method, path, response.status_code)
                        assert response.headers["content-type"] == PROBLEM
                        checked += 1
    assert checked >= 10


OUT_OF_RANGE = [
    ("subsidy", "GET", "/subsidy/v1/experts/00000000-0000-0000-0000-000000000000/ledger?funding_year=99999999999",
     "funding_year"),
    ("subsidy", "GET", "/subsidy/v1/statistics?funding_year=-1", "funding_year"),
    ("subsidy", "GET", "/subsidy/v1/statistics?district=Hai%00dian", "district"),
    ("subsidy", "POST", "/subsidy/v1/ledger-entries/99999999999999999999/corrections", "entry_id"),
    ("permits", "GET", "/permits/v1/webhook-deliveries/9223372036854775808/attempts", "delivery_id"),
    ("directory", "GET", "/directory/v1/experts?q=a%00b", "q"),
]


@pytest.mark.parametrize("platform", [pytest.param("real", marks=[pytest.mark.postgres, pytest.mark.rabbit])],
                         indirect=True)
async def test_parameters_postgresql_cannot_hold_are_a_422_naming_them_not_a_500(platform):
    """Integers past bigint or a column's range and NUL characters in a query are refused before the database."""
    await platform.start()
    for service, method, url, field in OUT_OF_RANGE:
        async with platform.client(service, auth("bureau_officer")) as client:
            response = await client.request(method, url, json={"corrected_amount": "1.00", "reason": "x"})
        assert response.status_code == 422, (url, response.status_code, response.text)
        assert response.headers["content-type"] == PROBLEM
        assert field in [e["field"] for e in response.json()["errors"]], (url, response.json())


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
async def test_an_unreadable_body_to_a_secured_endpoint_without_credentials_is_401(platform):
    await platform.start()
    async with platform.client("subsidy") as client:
        response = await client.post("/subsidy/v1/ledger-entries/null/corrections", content=b"\xff\xfe{",
                                     headers={"content-type": "application/json"})
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == PROBLEM
