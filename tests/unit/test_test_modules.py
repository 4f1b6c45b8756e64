"""No test module imports another test module: what tests share lives in tests/support.

Importing a test module from another runs its module-level code twice under two names, collects its tests
where they do not belong, and ties one test file's helpers to another's; tests/support holds them instead."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"


def _is_test_module(module: str) -> bool:
    """``tests.<...>.test_*``: a module of the test suite that pytest collects."""
    parts = module.split(".")
    return parts[0] == "tests" and any(part.startswith("test_") for part in parts[1:])


def _absolute(module: str | None, level: int, package: str) -> str:
    if not level:
        return module or ""
    base = package.split(".")[: len(package.split(".")) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def imported_test_modules(source: str, module: str) -> list[str]:
    """The test modules that ``source`` (the text of the module named ``module``) imports, by name."""
    package = module.rpartition(".")[0]
    imported: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names if _is_test_module(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(node.module, node.level, package)
            if _is_test_module(target):
                imported.append(target)
            elif target.split(".")[0] == "tests":  # ``from tests.integration import test_x``, ``from . import test_x``
                imported += [f"{target}.{alias.name}" for alias in node.names if alias.name.startswith("test_")]
    return imported


def violations(root: Path = TESTS) -> list[str]:
    found = []
    for path in sorted(root.rglob("test_*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for imported in imported_test_modules(path.read_text(encoding="utf-8"), module):
            found.append(f"{path.relative_to(ROOT)} imports {imported}")
    return found


def test_no_test_module_imports_another_test_module():
    assert violations() == []


def test_the_checker_names_a_planted_import_of_a_test_module():
    planted = (
        "from tests.integration.test_subsidy_claims import claim\n"
        "import tests.unit.test_finance_signature\n"
        "from .test_quotes_embedded import _audit_actions\n"
        "from ..integration import test_webhook_subscriptions\n"
        "from tests.support.subsidy import claim as fine\n"
        "from . import conftest_like_helper\n"
    )
    assert imported_test_modules(planted, "tests.integration.test_planted") == [
        "tests.integration.test_subsidy_claims",
        "tests.unit.test_finance_signature",
        "tests.integration.test_quotes_embedded",
        "tests.integration.test_webhook_subscriptions",
    ]
