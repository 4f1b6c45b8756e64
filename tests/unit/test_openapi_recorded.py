"""Each service's OpenAPI document equals the one recorded in tests/contract/openapi (the public contract).

A change to the API is made on purpose: ``python scripts/openapi_documents.py --write`` in the same commit."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("openapi_documents", ROOT / "scripts" / "openapi_documents.py")
documents = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(documents)


@pytest.mark.parametrize("name", documents.SERVICES)
def test_openapi_document_equals_the_recorded_one(name, tmp_path):
    recorded = json.loads((documents.RECORDED / f"{name}.json").read_text())

    assert documents.differences(recorded, documents.document(name, tmp_path)) == []


def test_the_comparison_names_a_changed_field():
    recorded = {"paths": {"/a": {"get": {"summary": "A"}}}, "components": {"schemas": {"X": {}}}}
    current = {"paths": {"/a": {"get": {"summary": "B"}}}, "components": {"schemas": {}}}

    assert documents.differences(recorded, current) == [
        '/components/schemas/X: removed', '/paths//a/get/summary: "A" -> "B"']
