"""Signed tokens whose claims are of the wrong type or shape are a 401 problem+json on real endpoints, both run modes.

Issue 15 saw ``"roles": {"admin": false}`` treated as admin, ``org`` as a list or a number answer 500 on six
endpoints, and an employer token with a bureau-shaped ``org`` answer 500 on two and register a bureau as an
employer on a third. These endpoints are the ones that answered 500 (or did the wrong thing) when every
endpoint was probed with such tokens; each malformed token now gets a 401 on each, and changes nothing.
The verifier's own table is tests/unit/test_auth.py.
"""

from __future__ import annotations

import time
import uuid

import jwt

from shared.auth import TOKEN_TYPE, competent_department, district_bureau
from shared.errors import PROBLEM_JSON
from shared.settings import DEV_JWT_SECRET
from tests.support.tokens import AUDIENCE, ISSUER, auth

OFFICER = auth("bureau_officer")
EMPLOYER_ID = str(uuid.uuid4())
BUREAU = district_bureau("haidian")


def signed(**overrides) -> str:
    """A token the platform's issuer signed, with ``overrides`` as they are (None: the JSON null)."""
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "hr-1", "iat": now, "nbf": now, "exp": now + 600,
              "jti": str(uuid.uuid4()), "roles": ["employer"], "org": EMPLOYER_ID}
    claims.update(overrides)
    return jwt.encode(claims, DEV_JWT_SECRET, algorithm="HS256", headers={"typ": TOKEN_TYPE})


def without(claim: str, **overrides) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "hr-1", "iat": now, "exp": now + 600,
              "roles": ["employer"], "org": EMPLOYER_ID, **overrides}
    del claims[claim]
    return jwt.encode(claims, DEV_JWT_SECRET, algorithm="HS256", headers={"typ": TOKEN_TYPE})


def malformed() -> dict[str, str]:
    future = int(time.time()) + 600
    return {
        "roles an object {admin: false}": signed(roles={"admin": False}, org=None),
        "roles an object {admin: true}": signed(roles={"admin": True}),
        "roles a string": signed(roles="admin"),
        "roles with a number": signed(roles=["admin", 1]),
        "roles null": signed(roles=None),
        "employer org a list": signed(org=[EMPLOYER_ID]),
        "employer org a number": signed(org=42),
        "employer org an object": signed(org={"id": EMPLOYER_ID}),
        "employer org true": signed(org=True),
        "employer org null": signed(org=None),
        "employer org missing": without("org"),
        "employer org a district bureau": signed(org=BUREAU),
        "employer org a competent department": signed(org=competent_department("Municipal Health Commission")),
        "employer org a name": signed(org="employer-1"),
        "employer org with a NUL": signed(org=EMPLOYER_ID + "\x00"),
        "reviewer org a list": signed(roles=["preliminary_reviewer"], org=[BUREAU]),
        "reviewer org a number": signed(roles=["preliminary_reviewer"], org=7),
        "reviewer org an employer id": signed(roles=["preliminary_reviewer"], org=EMPLOYER_ID),
        "employer and reviewer at once": signed(roles=["employer", "preliminary_reviewer"]),
        "officer org a number": signed(roles=["bureau_officer"], org=7),
        "admin org a list": signed(roles=["admin"], org=["bureau"]),
        "committee org an object": signed(roles=["committee_member"], org={"a": 1}),
        "expert org true": signed(roles=["expert"], org=True, sub=str(uuid.uuid4())),
        "partner org of 101 characters": signed(roles=["partner_agency"], org="p" * 101),
        "sub a number": signed(sub=12345),
        "sub empty": signed(sub=""),
        "sub a list": signed(sub=["hr-1"]),
        "exp a string": signed(exp=str(future)),
        "exp true": signed(exp=True),
        "exp of 400 digits": signed(exp=10 ** 400),
        "nbf a string": signed(nbf="0"),
        "nbf true": signed(nbf=True),
        "iat a string": signed(iat=str(int(time.time()))),
        "iat false": signed(iat=False),
    }


async def endpoints(platform) -> list[tuple[str, str, str, dict | None]]:
    """(service, method, path, body) of the endpoints that answered 500 or misread such a token before."""
    async with platform.client("directory", OFFICER) as client:
        event = await client.post("/directory/v1/matchmaking-events", json={
            "title": "New materials matchmaking", "description": "Projects meet experts.", "field": "new_materials",
            "starts_at": "2030-10-10T09:00:00Z", "location": "Zhongguancun", "capacity": 100})
    assert event.status_code == 201, event.text
    posting = {"title": "Head of battery research", "field": "new_energy_vehicles", "requirements": "Ten years.",
               "term_start": "2030-09-01", "term_end": "2033-08-31", "salary_min": "600000.00",
               "salary_max": "900000.00"}
    return [
        ("intake", "GET", "/intake/v1/applications", None),
        ("review", "GET", "/review/v1/selections", None),
        ("review", "GET", f"/review/v1/selections/{uuid.uuid4()}/breaches", None),
        ("review", "GET", "/review/v1/breaches", None),
        ("permits", "GET", "/permits/v1/cases", None),
        ("subsidy", "GET", "/subsidy/v1/entitlements", None),
        ("directory", "GET", "/directory/v1/experts", None),
        ("directory", "GET", "/directory/v1/award-nominations", None),
        ("directory", "POST", "/directory/v1/postings", posting),
        ("directory", "POST", f"/directory/v1/matchmaking-events/{event.json()['id']}/registrations", None),
        ("intake", "POST", "/intake/v1/admin/parked-messages/replay", {}),
        ("directory", "POST", "/directory/v1/admin/parked-messages/replay", {}),
    ]


async def call(platform, service, method, path, body, token):
    async with platform.client(service, {"Authorization": f"Bearer {token}"}) as client:
        return await client.request(method, path, json=body)


async def test_every_malformed_claim_is_a_401_problem_on_every_endpoint_that_misread_it(platform):
    await platform.start()
    targets = await endpoints(platform)
    audit_before = {s: await platform.count(s, "audit_log") for s in ("intake", "directory")}

    answers = {}
    for case, token in malformed().items():
        for service, method, path, body in targets:
            response = await call(platform, service, method, path, body, token)
            problem = response.json() if response.headers.get("content-type") == PROBLEM_JSON else {}
            answers[(case, method, path)] = (response.status_code, response.headers.get("content-type"),
                                             problem.get("status"))

    refused = {key: value for key, value in answers.items() if value != (401, PROBLEM_JSON, 401)}
    assert refused == {}, f"{len(refused)} of {len(answers)} not a 401 problem: {sorted(refused.items())[:10]}"
    # Nothing of them was done: no posting, no registration, no replay audited.
    assert await platform.count("directory", "postings") == 0
    assert await platform.count("directory", "event_registrations") == 0
    assert {s: await platform.count(s, "audit_log") for s in ("intake", "directory")} == audit_before


async def test_well_formed_tokens_still_reach_the_same_endpoints(platform):
    # The control: the 401s above are the claims' doing, not the endpoints' or the signing's.
    await platform.start()
    targets = {(method, path): (service, body) for service, method, path, body in await endpoints(platform)}
    employer, bureau = signed(), signed(roles=["preliminary_reviewer"], org=BUREAU)

    def at(method, path):
        return next((service, p, body) for (m, p), (service, body) in targets.items()
                    if m == method and p.startswith(path))

    statuses = {}
    for label, method, path, token in [
        ("employer lists applications", "GET", "/intake/v1/applications", employer),
        ("reviewer lists applications", "GET", "/intake/v1/applications", bureau),
        ("employer lists nominations", "GET", "/directory/v1/award-nominations", employer),
        ("employer posts demand", "POST", "/directory/v1/postings", employer),
        ("employer registers", "POST", "/directory/v1/matchmaking-events/", employer),
        ("reviewer may not register", "POST", "/directory/v1/matchmaking-events/", bureau),
        ("upper-case employer id", "GET", "/permits/v1/cases", signed(org=EMPLOYER_ID.upper())),
    ]:
        service, full_path, body = at(method, path)
        statuses[label] = (await call(platform, service, method, full_path, body, token)).status_code

    assert statuses == {
        "employer lists applications": 200, "reviewer lists applications": 200, "employer lists nominations": 200,
        "employer posts demand": 201, "employer registers": 201, "reviewer may not register": 403,
        "upper-case employer id": 200,
    }
    async with platform.client("directory", OFFICER) as client:
        [posting] = (await client.get("/directory/v1/postings")).json()["items"]
    assert posting["employer_id"] == EMPLOYER_ID
