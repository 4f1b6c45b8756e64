"""Every amount the platform reads is the one money type (shared/money.py), found by introspection (R-ROUNDING).

The fields are not listed by hand: every event contract and every request/response model of the
services is walked, and each ``Decimal`` in them (however nested: a part, a list, an optional) must refuse
a float. A field added later with a bare ``Decimal`` fails here without anyone writing a test for it.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import types
import typing
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_settings import BaseSettings

import services
from shared.events import registered_events

ROOT = Path(__file__).resolve().parents[2]
LIST = object()
"""A path step into a list: the payload holds one element there."""


def money_leaves(model: type[BaseModel], prefix: tuple = (), seen: frozenset = frozenset()):
    """(path, annotation) of every Decimal reachable from ``model``'s fields; the annotation keeps its metadata."""
    if model in seen:
        return
    seen = seen | {model}
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if field.metadata:
            annotation = Annotated[(annotation, *field.metadata)]
        yield from _leaves(annotation, (*prefix, name), seen)


def _leaves(annotation: Any, path: tuple, seen: frozenset):
    origin = get_origin(annotation)
    if origin is Annotated:
        base = get_args(annotation)[0]
        if base is Decimal:
            yield path, annotation
        else:
            yield from _leaves(base, path, seen)
    elif annotation is Decimal:
        yield path, annotation
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield from money_leaves(annotation, path, seen)
    elif origin in (list, tuple, set, frozenset):
        for arg in get_args(annotation):
            if arg is not Ellipsis:
                yield from _leaves(arg, (*path, LIST), seen)
    elif origin is dict:
        yield from _leaves(get_args(annotation)[1], (*path, LIST), seen)
    elif origin in (typing.Union, types.UnionType):
        for arg in get_args(annotation):
            yield from _leaves(arg, path, seen)


def payload(path: tuple, value: Any) -> dict:
    """The smallest payload that puts ``value`` at ``path`` (other fields are left out)."""
    for step in reversed(path):
        value = [value] if step is LIST else {step: value}
    return value


def location(path: tuple) -> tuple:
    return tuple(0 if step is LIST else step for step in path)


def dotted(path: tuple) -> str:
    return ".".join("[]" if step is LIST else step for step in path)


EVENT_MONEY = sorted(((cls, path) for cls in registered_events() for path, _ in money_leaves(cls)),
                     key=lambda p: (p[0].event_type, dotted(p[1])))


def event_case_id(case) -> str:
    cls, path = case
    return f"{cls.event_type}.v{cls.version}:{dotted(path)}"


def test_the_walk_finds_the_money_the_contracts_are_known_to_carry():
    found = {event_case_id(case) for case in EVENT_MONEY}

    assert {"ApplicationApproved.v1:contract.annual_salary",
            "ApplicationApproved.v1:funding_plan.items.[].estimated_yearly_amount",
            "ApplicationApproved.v1:cap_exception.amount",
            "DisbursementSettled.v1:amount",
            "BenefitsRevoked.v1:recovery_amount"} <= found


def _errors_at(cls: type[BaseModel], data: dict, loc: tuple) -> list[dict]:
    try:
        cls.model_validate(data)
    except ValidationError as exc:
        return [e for e in exc.errors() if tuple(e["loc"]) == loc]
    return []


@pytest.mark.parametrize("case", EVENT_MONEY, ids=event_case_id)
@pytest.mark.parametrize("amount", [850000.5, 1e6, 850000.0], ids=["float", "exponent", "float_integral"])
def test_an_event_payload_with_a_float_amount_fails_validation_at_that_field(case, amount):
    cls, path = case

    errors = _errors_at(cls, payload(path, amount), location(path))

    assert [e["type"] for e in errors] == ["amount_type"], errors


@pytest.mark.parametrize("case", EVENT_MONEY, ids=event_case_id)
def test_an_event_payload_with_an_exponent_string_fails_and_a_decimal_string_passes_at_that_field(case):
    cls, path = case

    assert [e["type"] for e in _errors_at(cls, payload(path, "1e6"), location(path))] == ["amount_format"]
    assert [e["type"] for e in _errors_at(cls, payload(path, "1.005"), location(path))] == ["amount_format"]
    assert _errors_at(cls, payload(path, "1000.50"), location(path)) == []
    assert _errors_at(cls, payload(path, 1000), location(path)) == []


# -- the services' request and response models --------------------------------------------------

def _api_modules() -> list[str]:
    """Every module of the services that declares request/response models (``*schemas``, read models)."""
    names = [m.name for m in pkgutil.walk_packages(services.__path__, "services.")
             if ".migrations" not in m.name and not m.name.endswith("__main__")]
    return sorted(n for n in names if n.rsplit(".", 1)[-1].endswith("schemas") or n in READ_MODEL_MODULES)


READ_MODEL_MODULES = {"services.directory.timeline.schemas"}


def _api_models() -> list[type[BaseModel]]:
    models = []
    for name in _api_modules():
        module = importlib.import_module(name)
        models += [value for value in vars(module).values()
                   if isinstance(value, type) and issubclass(value, BaseModel) and not issubclass(value, BaseSettings)
                   and value.__module__ == name]
    return models


API_MONEY = sorted({f"{cls.__module__}.{cls.__qualname__}:{dotted(path)}": annotation
                    for cls in _api_models() if "[" not in cls.__qualname__
                    for path, annotation in money_leaves(cls)}.items())


def test_the_walk_finds_the_money_of_every_service_that_takes_or_shows_any():
    modules = {name.split(":")[0].rsplit(".", 1)[0] for name, _ in API_MONEY}

    assert {"services.intake.applications.schemas", "services.review.committee.schemas", "services.review.supervision.schemas",
            "services.subsidy.entitlements.schemas", "services.directory.experts.schemas"} <= modules
    assert "services.intake.applications.schemas.Contract:annual_salary" in dict(API_MONEY)


@pytest.mark.parametrize("field", [name for name, _ in API_MONEY])
def test_every_amount_in_a_request_or_response_model_is_the_money_type(field):
    leaf = TypeAdapter(dict(API_MONEY)[field])

    for amount in (850000.5, 1e6):
        with pytest.raises(ValidationError) as refused:
            leaf.validate_python(amount)
        assert refused.value.errors()[0]["type"] == "amount_type"
    assert leaf.validate_json('"850000.5"') == Decimal("850000.50")
    assert leaf.dump_json(Decimal("850000.5")) == b'"850000.50"'


# -- no second money type -----------------------------------------------------------------------

def _python_files() -> list[Path]:
    files = [p for folder in ("services", "shared", "embedded") for p in (ROOT / folder).rglob("*.py")]
    return [p for p in files if "migrations" not in p.parts and p != ROOT / "shared" / "money.py"]


def duplicates(paths: list[Path]) -> list[str]:
    """Money column types, ``Numeric`` columns and ``Annotated[Decimal, ...]`` types declared in ``paths``."""
    found = []
    for path in paths:
        where = path.relative_to(ROOT) if ROOT in path.parents else path.name
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ClassDef) and any("TypeDecorator" in ast.unparse(b) for b in node.bases):
                found.append(f"{where}:{node.lineno} TypeDecorator {node.name}")
            if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("Numeric"):
                found.append(f"{where}:{node.lineno} {ast.unparse(node)}")
            if (isinstance(node, ast.Subscript) and ast.unparse(node.value).endswith("Annotated")
                    and ast.unparse(node.slice).split(",")[0].strip().endswith("Decimal")):
                found.append(f"{where}:{node.lineno} {ast.unparse(node)[:60]}")
    return found


def test_no_module_but_shared_money_declares_a_money_column_type_or_an_amount_type():
    # What this replaced: two Money TypeDecorators, three Annotated[Decimal, ...] parsers, a bare NUMERIC.
    assert duplicates(_python_files()) == []


def test_the_duplicate_scan_reports_a_planted_money_type(tmp_path):
    planted = tmp_path / "pkg" / "svc" / "models.py"
    planted.parent.mkdir(parents=True)
    planted.write_text(
        "import sqlalchemy as sa\nfrom decimal import Decimal\nfrom typing import Annotated\n"
        "class Cash(sa.types.TypeDecorator):\n    impl = sa.Numeric(14, 2)\n"
        "Amount = Annotated[Decimal, 'x']\n"
    )

    assert len(duplicates([planted])) == 3


def test_a_bare_decimal_field_is_found_and_takes_a_float_so_the_checks_above_would_fail():
    class Item(BaseModel):
        estimated: Decimal | None = None

    class Planted(BaseModel):
        items: list[Item]

    [(path, annotation)] = list(money_leaves(Planted))

    assert dotted(path) == "items.[].estimated"
    assert _errors_at(Planted, payload(path, 850000.5), location(path)) == []
    assert TypeAdapter(annotation).validate_python(850000.5) == Decimal(850000.5)
