"""One OpenAPI document of the whole platform, from the documents of its services.

The embedded platform and the gateway serve it at ``/openapi.json``, and the console's typed client is
generated from it (``console/openapi.json``). Every service lives under its own path prefix and prefixes its
operation ids with its name, so paths and operations never meet; components do, and a name two services
define must mean one thing, or a generated client would silently keep only one of them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

TITLE = "Foreign-expert platform"
DESCRIPTION = ("The REST APIs of Beijing's platform for the Interim Measures on foreign experts (2013), "
               "one service per path prefix:")
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SINGULAR = {"schemas": "schema", "securitySchemes": "security scheme", "responses": "response",
             "parameters": "parameter", "headers": "header", "requestBodies": "request body"}


def combine(documents: Mapping[str, dict]) -> dict:
    """The documents of the services (by service name, in the order given) as one OpenAPI 3.1 document.

    Each operation's tags are qualified by its service (``intake: applications``) and each service's tags
    grouped under its name (``x-tagGroups``). A component (schema, security scheme, ...) that several
    services define is kept once when equal; two different definitions under one name are a ``ValueError``
    naming it and both services."""
    combined = _Combined()
    for service, document in documents.items():
        combined.add(service, document)
    return combined.document()


class _Combined:
    def __init__(self) -> None:
        self.paths: dict[str, dict] = {}
        self.components: dict[str, dict[str, Any]] = {}
        self.defined_by: dict[tuple[str, str], str] = {}
        self.operation_ids: dict[str, str] = {}
        self.tags: list[dict] = []
        self.groups: list[dict] = []
        self.summary: list[str] = []

    def add(self, service: str, document: dict) -> None:
        info = document.get("info", {})
        self.summary.append(f"- `{service}`: {info.get('description') or info.get('title', service)}")
        described = {tag["name"]: tag.get("description") for tag in document.get("tags", [])}
        group: list[str] = []
        for path, item in document.get("paths", {}).items():
            if path in self.paths:
                raise ValueError(f"path {path} is defined twice, the second time by {service}")
            self.paths[path] = item = _copy(item)
            for operation in (item[m] for m in _METHODS if m in item):
                self._claim_operation_id(operation.get("operationId"), service)
                own = operation.get("tags") or []
                operation["tags"] = [f"{service}: {tag}" for tag in own] or [service]
                for qualified, tag in zip(operation["tags"], own or [None]):
                    if qualified not in group:
                        group.append(qualified)
                        self.tags.append({"name": qualified} | (
                            {"description": described[tag]} if described.get(tag) else {}))
        self.groups.append({"name": service, "tags": group})
        for kind, named in document.get("components", {}).items():
            merged = self.components.setdefault(kind, {})
            for name, definition in named.items():
                if name not in merged:
                    merged[name] = _copy(definition)
                    self.defined_by[kind, name] = service
                elif _canonical(merged[name]) != _canonical(definition):
                    raise ValueError(
                        f"{_SINGULAR.get(kind, kind)} {name!r} differs between {self.defined_by[kind, name]} and "
                        f"{service}: give one of them a name that says what it is")

    def _claim_operation_id(self, operation_id: str | None, service: str) -> None:
        if operation_id is None:
            return
        if operation_id in self.operation_ids:
            raise ValueError(f"operationId {operation_id} is defined by {self.operation_ids[operation_id]} "
                             f"and by {service}")
        self.operation_ids[operation_id] = service

    def document(self) -> dict:
        combined: dict[str, Any] = {
            "openapi": "3.1.0",
            "info": {"title": TITLE, "version": "1", "description": "\n".join([DESCRIPTION, *self.summary])},
            "paths": self.paths,
            "tags": self.tags,
            "x-tagGroups": self.groups,
        }
        if self.components:
            combined["components"] = {kind: dict(sorted(named.items())) for kind, named in self.components.items()}
        return combined


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _copy(value: Any) -> Any:
    return json.loads(json.dumps(value))


__all__ = ["TITLE", "combine"]
