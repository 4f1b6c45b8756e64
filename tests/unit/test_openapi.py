"""Each service's OpenAPI document builds, under its own prefix, with stable operation ids."""

from __future__ import annotations

import importlib
from collections import Counter

import pytest

pytestmark = pytest.mark.unit

SERVICES = ["intake", "review", "subsidy", "permits", "directory"]


def openapi(name: str, tmp_path) -> dict:
    settings_class = getattr(importlib.import_module(f"services.{name}.settings"), f"{name.capitalize()}Settings")
    app = importlib.import_module(f"services.{name}.app").create_app(settings_class(var_dir=tmp_path))
    return app.openapi()


@pytest.mark.parametrize("name", SERVICES)
def test_openapi_document_builds_with_every_path_under_the_service_prefix(name, tmp_path):
    document = openapi(name, tmp_path)

    assert document["paths"]
    assert [path for path in document["paths"] if not path.startswith(f"/{name}/")] == []
    assert {f"/{name}/healthz", f"/{name}/readyz", f"/{name}/metrics"} <= set(document["paths"])


@pytest.mark.parametrize("name", SERVICES)
def test_operation_ids_are_unique_and_name_the_service(name, tmp_path):
    operations = [
        operation["operationId"]
        for item in openapi(name, tmp_path)["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    ]

    assert [op for op, n in Counter(operations).items() if n > 1] == []
    assert [op for op in operations if not op.startswith(f"{name}_")] == []
