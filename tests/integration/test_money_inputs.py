"""A float or an exponent amount is a 422 naming the field at every endpoint that takes money, on both run modes.

The endpoints and their money fields are not listed by hand: they are read from each service's OpenAPI,
where every amount is the one money type (shared/money.py, marked ``x-money``), down to nested parts
(``contract.annual_salary``) and to each track of a discriminated body (R-SUB-*). The table below holds only
who may call each endpoint; an endpoint that takes money and is not in it fails the first test, so a new one
cannot go untested. R-ROUNDING: an amount is exact with at most 2 places, never a binary float.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from tests.support.tokens import auth

PROBLEM = "application/problem+json"
SERVICES = ("intake", "review", "subsidy", "permits", "directory")

EMPLOYER = ("employer", "org")
OFFICER = ("bureau_officer", None)

CALLERS = {
    ("POST", "/intake/v1/applications"): EMPLOYER,
    ("PATCH", "/intake/v1/applications/{application_id}"): EMPLOYER,
    ("POST", "/review/v1/sittings/{sitting_id}/cases/{application_id}/decision"): OFFICER,
    ("POST", "/review/v1/selections/{application_id}/contract"): EMPLOYER,
    ("POST", "/subsidy/v1/quotes"): EMPLOYER,
    ("POST", "/subsidy/v1/entitlements/{entitlement_id}/claims"): EMPLOYER,
    ("POST", "/subsidy/v1/entitlements/{entitlement_id}/disbursements"): OFFICER,
    ("POST", "/subsidy/v1/ledger-entries/{entry_id}/corrections"): OFFICER,
    ("POST", "/subsidy/v1/recoveries/{recovery_id}/repayments"): OFFICER,
    ("POST", "/directory/v1/experts"): OFFICER,
    ("POST", "/directory/v1/postings"): EMPLOYER,
}
"""Who calls each endpoint that takes money (the role its authorisation wants, so validation is what answers)."""

REFUSED = {
    "JSON float": ("850000.5", "amount_type"),
    "JSON float with an integral value": ("850000.0", "amount_type"),
    "JSON exponent": ("1e6", "amount_type"),
    "exponent string": ('"1e6"', "amount_format"),
    "three places": ('"850000.005"', "amount_format"),
}
"""The amount as it is written in the JSON body, and the error type the field must report."""

ACCEPTED = '"1000.00"'


@dataclass(frozen=True)
class MoneyField:
    service: str
    method: str
    path: str
    field: tuple[str | int, ...]
    fixed: tuple[tuple[str, str], ...] = ()
    """Body members that choose the union arm the field belongs to (``track``)."""
    path_types: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        """The field as the problem names it (a union arm's fields are named as the caller wrote them)."""
        return ".".join(str(step) for step in self.field)

    def label(self) -> str:
        arm = "".join(f" [{k}={v}]" for k, v in self.fixed)
        return f"{self.method} {self.path}{arm} {self.name}"

    def url(self) -> str:
        url = self.path
        for name, kind in self.path_types:
            url = url.replace("{" + name + "}", "1" if kind == "integer" else str(uuid.uuid4()))
        return url

    def body(self, amount: str) -> bytes:
        """The smallest body that puts ``amount`` (raw JSON) at the field; the other fields are left out."""
        value: object = "__AMOUNT__"
        for step in reversed(self.field):
            value = [value] if isinstance(step, int) else {step: value}
        value = {**dict(self.fixed), **value}
        return json.dumps(value).replace('"__AMOUNT__"', amount).encode()


def _resolve(schema: dict, spec: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _money_paths(schema: dict, spec: dict, path: tuple, fixed: tuple, found: set) -> None:
    schema = _resolve(schema, spec)
    if schema.get("x-money") or schema.get("type") == "number":  # a number: a bare Decimal or a float
        found.add((path, fixed))
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for arm in schema.get(key, []):
            arm_schema = _resolve(arm, spec)
            # A discriminated arm: its fields are sent with the discriminator that selects it.
            tag = {name: prop["const"] for name, prop in arm_schema.get("properties", {}).items() if "const" in prop}
            _money_paths(arm_schema, spec, path, fixed + tuple(sorted(tag.items())) if key == "oneOf" else fixed,
                         found)
    for name, sub in schema.get("properties", {}).items():
        _money_paths(sub, spec, (*path, name), fixed, found)
    if "items" in schema:
        _money_paths(schema["items"], spec, (*path, 0), fixed, found)


def money_fields(platform) -> tuple[list[MoneyField], list[str]]:
    """Every money field of every request body on the platform, and any money in a path or query parameter."""
    fields, parameters = [], []
    for service in SERVICES:
        spec = platform.apps[service].openapi()
        for path, operations in spec["paths"].items():
            for method, operation in operations.items():
                params = operation.get("parameters", [])
                parameters += [f"{method.upper()} {path} {p['name']}" for p in params
                               if _has_money(p.get("schema", {}), spec)]
                body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
                if body is None:
                    continue
                found: set = set()
                _money_paths(body, spec, (), (), found)
                kinds = tuple((p["name"], _resolve(p.get("schema", {}), spec).get("type", "string"))
                              for p in params if p.get("in") == "path")
                fields += [MoneyField(service, method.upper(), path, field, fixed, kinds)
                           for field, fixed in sorted(found, key=str)]
    return fields, parameters


def _has_money(schema: dict, spec: dict) -> bool:
    found: set = set()
    _money_paths(schema, spec, (), (), found)
    return bool(found)


def headers_for(field: MoneyField) -> dict[str, str]:
    role, org = CALLERS[(field.method, field.path)]
    return auth(role, str(uuid.uuid4()) if org else None)


async def test_every_endpoint_that_takes_money_is_known_and_has_a_caller(platform):
    await platform.start()

    fields, parameters = money_fields(platform)
    endpoints = {(f.method, f.path) for f in fields}

    assert parameters == [], "money in a path or query parameter: give it a case here"
    assert endpoints == set(CALLERS), "an endpoint that takes money without a caller here, or one that no longer does"
    # The walk reaches nested parts and every track of a discriminated body.
    names = {(f.path, f.name, f.fixed) for f in fields}
    assert ("/intake/v1/applications", "contract.annual_salary", ()) in names
    assert ("/review/v1/sittings/{sitting_id}/cases/{application_id}/decision", "cap_exception.amount", ()) in names
    assert {f.fixed for f in fields if f.path == "/subsidy/v1/quotes"} == {
        (("track", "haiju_long_term"),), (("track", "key_industry_recurring"),), (("track", "short_term"),)}


async def test_a_float_or_exponent_amount_is_a_422_naming_the_field_at_every_endpoint_that_takes_money(platform):
    await platform.start()
    fields, _ = money_fields(platform)
    failures = []

    for field in fields:
        async with platform.client(field.service, headers_for(field)) as client:
            for case, (amount, error_type) in REFUSED.items():
                response = await client.request(field.method, field.url(), content=field.body(amount),
                                                headers={"Content-Type": "application/json"})
                body = response.json()
                named = [e for e in body.get("errors", []) if e.get("field") == field.name]
                if (response.status_code != 422 or response.headers["content-type"] != PROBLEM
                        or [e["type"] for e in named] != [error_type]):
                    failures.append(f"{field.label()} {case}: {response.status_code} {body}")
            # The same body with an exact amount: whatever else is wrong with it, not that field.
            accepted = await client.request(field.method, field.url(), content=field.body(ACCEPTED),
                                            headers={"Content-Type": "application/json"})
            if accepted.status_code < 500 and any(e.get("field") == field.name
                                                  for e in accepted.json().get("errors", [])):
                failures.append(f"{field.label()} refused an exact amount: {accepted.json()}")
            elif accepted.status_code >= 500:
                failures.append(f"{field.label()} exact amount: {accepted.status_code} {accepted.text}")

    assert len(fields) >= 25
    assert failures == []
