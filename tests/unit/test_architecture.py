"""The boundaries the style guide asks a linter to hold, and no I/O at import time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("shared", "services", "embedded", "simulators")


def lint_imports(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("lint-imports")
    fallback = [sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()"]
    command = [str(script)] if script.exists() else fallback
    return subprocess.run(
        [*command, "--no-cache", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def independence_contract() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return next(c for c in config["contracts"] if c["type"] == "independence")


def test_import_contracts_in_pyproject_are_kept():
    result = lint_imports(cwd=ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_import_contracts_cover_every_service():
    services = {p.name for p in (ROOT / "services").iterdir() if (p / "__init__.py").exists()}

    assert set(independence_contract()["modules"]) == {f"services.{name}" for name in services}


def test_simulators_are_linted_and_forbidden_to_services_and_shared():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    forbidding = [
        c for c in config["contracts"]
        if c["type"] == "forbidden" and "simulators" in c["forbidden_modules"]
    ]

    assert "simulators" in config["root_packages"]
    assert any({"services", "shared"} <= set(c["source_modules"]) for c in forbidding)


def test_a_service_importing_another_breaks_the_independence_contract(tmp_path):
    files = {
        "services/__init__.py": "",
        "services/a/__init__.py": "",
        "services/a/handlers.py": "from services.b import domain\n",
        "services/b/__init__.py": "",
        "services/b/domain.py": "RULE = 1\n",
    }
    for name, body in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(body)
    contract = independence_contract()
    (tmp_path / "importlinter.toml").write_text(
        textwrap.dedent(
            f"""\
            [tool.importlinter]
            root_packages = ["services"]

            [[tool.importlinter.contracts]]
            name = "{contract['name']}"
            type = "{contract['type']}"
            modules = ["services.a", "services.b"]
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}

    result = lint_imports("--config", str(tmp_path / "importlinter.toml"), cwd=tmp_path, env=env)

    assert result.returncode != 0, result.stdout
    assert f"{contract['name']} BROKEN" in result.stdout
    assert "services.a.handlers -> services.b.domain" in result.stdout


IMPORT_EVERYTHING = r"""
import importlib, json, pkgutil, sys, traceback

class ConnectedAtImport(RuntimeError):
    pass

def refuse(what):
    def refused(*args, **kwargs):
        raise ConnectedAtImport(f"{what} called at import time")
    return refused

import aio_pika, sqlalchemy, sqlalchemy.engine, sqlalchemy.ext.asyncio, sqlalchemy.ext.asyncio.engine
for module, name in [
    (sqlalchemy.ext.asyncio, "create_async_engine"),
    (sqlalchemy.ext.asyncio.engine, "create_async_engine"),
    (sqlalchemy, "create_engine"),
    (sqlalchemy.engine, "create_engine"),
    (aio_pika, "connect_robust"),
    (aio_pika, "connect"),
]:
    setattr(module, name, refuse(f"{module.__name__}.{name}"))

failures, imported = {}, []
def record(name):
    failures[name] = traceback.format_exc(limit=-3)

for root in sys.argv[1:]:
    try:
        package = importlib.import_module(root)
    except Exception:
        record(root)
        continue
    imported.append(root)
    for info in pkgutil.walk_packages(getattr(package, "__path__", []), prefix=root + ".", onerror=record):
        try:
            importlib.import_module(info.name)
            imported.append(info.name)
        except Exception:
            record(info.name)
print(json.dumps({"imported": imported, "failures": failures}))
"""


def import_in_fresh_process(*packages: str, pythonpath: Path = ROOT) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING, *packages],
        cwd=pythonpath, env={**os.environ, "PYTHONPATH": str(pythonpath)},
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_no_module_builds_an_engine_or_connection_at_import():
    report = import_in_fresh_process(*PACKAGES)

    assert report["failures"] == {}, "\n".join(f"{m}:\n{tb}" for m, tb in report["failures"].items())
    expected = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts[1:-1]  # Alembic scripts, not modules
    }
    assert expected <= set(report["imported"])


def test_a_module_that_builds_an_engine_at_import_is_reported(tmp_path):
    (tmp_path / "eager").mkdir()
    (tmp_path / "eager" / "__init__.py").write_text("")
    (tmp_path / "eager" / "db.py").write_text(
        "from sqlalchemy.ext.asyncio import create_async_engine\n"
        "engine = create_async_engine('sqlite+aiosqlite://')\n"
    )
    (tmp_path / "eager" / "bus.py").write_text(
        "import asyncio, aio_pika\n"
        "connection = asyncio.run(aio_pika.connect_robust('amqp://127.0.0.1/'))\n"
    )

    report = import_in_fresh_process("eager", pythonpath=tmp_path)

    assert set(report["failures"]) == {"eager.db", "eager.bus"}
    assert all("ConnectedAtImport" in tb for tb in report["failures"].values())


def layers_contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return [c for c in config["contracts"] if c["type"] == "layers"]


def layer_modules(layer: str) -> list[str]:
    """The module names of one layer entry: ``"handlers | queries"``, ``"(models)"``, ``"a : b"``."""
    return [name.strip().strip("()").strip() for name in layer.replace(":", "|").split("|") if name.strip()]


def test_every_service_has_a_layers_contract_over_its_sub_domains():
    services = {p.name for p in (ROOT / "services").iterdir() if (p / "__init__.py").exists()}
    covered = {container.split(".")[1] for c in layers_contracts() for container in c.get("containers", [])}

    assert covered == services
    for contract in layers_contracts():
        for container in contract.get("containers", []):
            assert (ROOT / Path(*container.split("."))).is_dir(), f"{contract['name']}: no package {container}"


@pytest.mark.parametrize("contract", [c for c in layers_contracts() if c.get("containers")], ids=lambda c: c["name"])
def test_a_lower_layer_importing_a_higher_one_breaks_the_layers_contract(tmp_path, contract):
    """Plant, in a copy of the contract's first container, a bottom-layer module importing the top one."""
    container = contract["containers"][0]
    top, bottom = layer_modules(contract["layers"][0])[0], layer_modules(contract["layers"][-1])[0]
    package = tmp_path / Path(*container.split("."))
    for depth in range(1, len(container.split(".")) + 1):
        init = tmp_path / Path(*container.split(".")[:depth]) / "__init__.py"
        init.parent.mkdir(parents=True, exist_ok=True)
        init.write_text("")
    for layer in contract["layers"]:
        for name in layer_modules(layer):
            (package / f"{name}.py").write_text("RULE = 1\n")
    (package / f"{bottom}.py").write_text(f"from {container} import {top}\n")
    layers = ", ".join(f'"{layer}"' for layer in contract["layers"])
    (tmp_path / "importlinter.toml").write_text(textwrap.dedent(f"""\
        [tool.importlinter]
        root_packages = ["services"]

        [[tool.importlinter.contracts]]
        name = "{contract['name']}"
        type = "layers"
        containers = ["{container}"]
        layers = [{layers}]
        """))
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}

    result = lint_imports("--config", str(tmp_path / "importlinter.toml"), cwd=tmp_path, env=env)

    assert result.returncode != 0, result.stdout
    assert f"{contract['name']} BROKEN" in result.stdout
    assert f"{container}.{bottom} -> {container}.{top}" in result.stdout


@pytest.mark.parametrize("contract", [c for c in layers_contracts() if not c.get("containers")],
                         ids=lambda c: c["name"])
def test_a_lower_module_importing_a_higher_one_breaks_the_service_layers_contract(tmp_path, contract):
    """The same for a contract naming whole modules: the bottom module planted importing the top one."""
    top, bottom = layer_modules(contract["layers"][0])[0], layer_modules(contract["layers"][-1])[0]
    for module in (top, bottom):
        parts = module.split(".")
        for depth in range(1, len(parts)):
            init = tmp_path / Path(*parts[:depth]) / "__init__.py"
            init.parent.mkdir(parents=True, exist_ok=True)
            init.write_text("")
    (tmp_path / Path(*top.split("."))).with_suffix(".py").write_text("RULE = 1\n")
    (tmp_path / Path(*bottom.split("."))).with_suffix(".py").write_text(f"import {top}\n")
    (tmp_path / "importlinter.toml").write_text(textwrap.dedent(f"""\
        [tool.importlinter]
        root_packages = ["services"]

        [[tool.importlinter.contracts]]
        name = "{contract['name']}"
        type = "layers"
        layers = ["{top}", "{bottom}"]
        """))
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}

    result = lint_imports("--config", str(tmp_path / "importlinter.toml"), cwd=tmp_path, env=env)

    assert result.returncode != 0, result.stdout
    assert f"{contract['name']} BROKEN" in result.stdout
    assert f"{bottom} -> {top}" in result.stdout
