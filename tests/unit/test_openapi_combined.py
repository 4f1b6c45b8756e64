"""The five services' OpenAPI documents combine into one (``shared.openapi.combine``), the one the console's
typed client is generated from (``console/openapi.json``): schema names unique across the services."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from shared.openapi import TITLE, combine

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("openapi_documents", ROOT / "scripts" / "openapi_documents.py")
documents = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(documents)


@pytest.fixture(scope="module")
def services(tmp_path_factory) -> dict[str, dict]:
    var_dir = tmp_path_factory.mktemp("var")
    return {name: documents.document(name, var_dir) for name in documents.SERVICES}


@pytest.fixture(scope="module")
def combined(services) -> dict:
    return combine(services)


def _document(service: str, schemas: dict, path: str = "/x") -> dict:
    return {"openapi": "3.1.0", "info": {"title": service.capitalize(), "version": "1"},
            "paths": {f"/{service}{path}": {"get": {"operationId": f"{service}_get", "tags": ["things"]}}},
            "components": {"schemas": schemas}}


def test_a_name_two_services_define_differently_is_refused_naming_it():
    intake = _document("intake", {"BreachRead": {"properties": {"breach_id": {"type": "string"}}}})
    review = _document("review", {"BreachRead": {"properties": {"id": {"type": "string"}}}})

    with pytest.raises(ValueError, match="schema 'BreachRead' differs between intake and review"):
        combine({"intake": intake, "review": review})


def test_a_name_two_services_define_alike_is_kept_once():
    audit = {"properties": {"id": {"type": "integer"}}, "title": "AuditRecord"}
    combined = combine({"intake": _document("intake", {"AuditRecord": audit}),
                        "review": _document("review", {"AuditRecord": dict(reversed(audit.items()))})})

    assert combined["components"]["schemas"] == {"AuditRecord": audit}
    assert set(combined["paths"]) == {"/intake/x", "/review/x"}


def test_an_operation_id_two_services_use_is_refused():
    review = _document("review", {})
    review["paths"]["/review/x"]["get"]["operationId"] = "intake_get"

    with pytest.raises(ValueError, match="operationId intake_get"):
        combine({"intake": _document("intake", {}), "review": review})


def test_the_five_documents_combine_into_one_document_of_every_path(services, combined):
    assert combined["openapi"] == "3.1.0"
    assert combined["info"]["title"] == TITLE
    assert set(combined["paths"]) == {path for document in services.values() for path in document["paths"]}
    assert len(combined["paths"]) == sum(len(document["paths"]) for document in services.values())


def test_every_schema_name_means_one_thing_across_the_services(services, combined):
    schemas = combined["components"]["schemas"]
    for name, document in services.items():
        for schema, definition in document["components"]["schemas"].items():
            assert schemas[schema] == definition, f"{name}'s {schema} is not the combined one"
    # the five that clashed before each service named its own (issue 17)
    assert {"BreachRead", "ContractRead", "EvaluationRead", "CapExceptionRead"} <= set(schemas)
    assert {"BreachNoticeRead", "ContractTermsRead", "EntitlementEvaluationRead", "EntitlementCapExceptionRead",
            "CommitteeCaseRead", "PermitCaseRead"} <= set(schemas)
    assert "CaseRead" not in schemas


def test_every_operation_is_tagged_with_its_service(combined):
    groups = {group["name"]: set(group["tags"]) for group in combined["x-tagGroups"]}
    assert list(groups) == list(documents.SERVICES)
    declared = {tag["name"] for tag in combined["tags"]}
    for path, item in combined["paths"].items():
        service = path.split("/")[1]
        for operation in item.values():
            assert operation["tags"], path
            assert all(tag.startswith(f"{service}: ") for tag in operation["tags"]), path
            assert set(operation["tags"]) <= groups[service] <= declared


def test_the_console_holds_the_combined_document_of_today(combined):
    """The console's typed client is generated from console/openapi.json: recorded with the services'
    documents by ``scripts/openapi_documents.py --write``, it must be the combination of today's."""
    assert documents.differences(json.loads(documents.COMBINED.read_text()), combined) == []
