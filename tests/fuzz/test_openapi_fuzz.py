"""Schemathesis against every service's OpenAPI: no 5xx, responses conform to the document, and
authentication is never ignored (no token, a forged token and an expired one are all refused).

Bounded (``FUZZ_EXAMPLES`` cases per operation, derandomised) so CI runs it in a minute or two.
"""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.fuzz.conftest import COVERAGE, EXAMPLES, SERVICES, all_roles_token
from tests.support.tokens import token

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


def _schema_fixture(service: str):
    @pytest.fixture(scope="session")
    def load(platform_url):
        schema = schemathesis.openapi.from_url(f"{platform_url}/{service}/openapi.json")
        # The coverage phase enumerates boundary values without bound (minutes per service on
        # two cores): off unless FUZZ_COVERAGE=1 (`make fuzz FUZZ_COVERAGE=1`).
        schema.config.phases.coverage.enabled = COVERAGE
        return schema

    load.__name__ = f"{service}_schema"
    return load


for _service in SERVICES:
    globals()[f"{_service}_schema"] = _schema_fixture(_service)


def _secured(case) -> bool:
    return bool(case.operation.definition.raw.get("security"))


def _fuzz_test(service: str):
    schema = schemathesis.pytest.from_fixture(f"{service}_schema")

    @schema.parametrize()
    @FUZZ
    def fuzz(case, platform_url):
        headers = {"Authorization": f"Bearer {all_roles_token()}"}
        response = case.call(base_url=platform_url, headers=headers, timeout=30)
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:500]}"
        # Every other built-in check runs (no 5xx, status code, content type, headers and body against
        # the document, invalid data rejected, ignored authentication). Not positive_data_acceptance:
        # the domain refuses schema-valid input the schema cannot express (a credit code's check
        # character, an opaque cursor), with a 422 naming the field, as it must.
        case.validate_response(response, headers=headers, excluded_checks=[positive_data_acceptance])

    fuzz.__name__ = f"test_{service}_no_5xx_and_responses_conform"
    return fuzz


def _auth_test(service: str):
    schema = schemathesis.pytest.from_fixture(f"{service}_schema")

    @schema.parametrize()
    @settings(max_examples=2, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    def auth(case, platform_url):
        if not _secured(case):
            return
        forged = token("admin", secret="not-the-platform-secret-" + "x" * 40)
        expired = token("admin", ttl=-120)
        for label, headers in (("no token", {}), ("forged token", {"Authorization": f"Bearer {forged}"}),
                               ("expired token", {"Authorization": f"Bearer {expired}"}),
                               ("not a bearer token", {"Authorization": "Basic YWRtaW46YWRtaW4="})):
            kwargs = case.as_transport_kwargs(base_url=platform_url, headers=headers)
            kwargs["headers"] = {k: v for k, v in kwargs.get("headers", {}).items() if k.lower() != "authorization"} | headers
            response = httpx.request(kwargs["method"], kwargs["url"], headers=kwargs["headers"],
                                     params=kwargs.get("params"), content=_content(kwargs), timeout=30)
            assert response.status_code == 401, (
                f"{case.method} {case.formatted_path} with {label}: {response.status_code} {response.text[:300]}")

    auth.__name__ = f"test_{service}_authentication_is_never_ignored"
    return auth


def _content(kwargs) -> bytes | None:
    import json

    if "json" in kwargs:
        return json.dumps(kwargs["json"]).encode()
    data = kwargs.get("data") or kwargs.get("content")
    if isinstance(data, str):
        return data.encode()
    return data


for _service in SERVICES:
    globals()[f"test_{_service}_no_5xx_and_responses_conform"] = _fuzz_test(_service)
    globals()[f"test_{_service}_authentication_is_never_ignored"] = _auth_test(_service)
