"""Write or compare each service's OpenAPI document against the recorded one (``tests/contract/openapi``).

``python scripts/openapi_documents.py``          compare; exit 1 and name each difference
``python scripts/openapi_documents.py --write``  record the documents as they are now
``python scripts/openapi_documents.py --production-combined PATH``  the combined document as production serves it
(the development sign-in left out), for the gateway's ``/openapi.json`` (deploy/Dockerfile builds it so)

The recorded documents are the public contract of the five services: a restructuring must leave them
equal, and a change to the API is made on purpose, by recording it again in the same commit. The five
combined into one (``shared.openapi.combine``) are recorded too, at ``console/openapi.json``: the console's
typed client is generated from it, so it is compared (and written) with them.
"""

from __future__ import annotations

import argparse
import base64
import importlib
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORDED = ROOT / "tests" / "contract" / "openapi"
COMBINED = ROOT / "console" / "openapi.json"
SERVICES = ("intake", "review", "subsidy", "permits", "directory")


def document(name: str, var_dir: Path, *, production: bool = False) -> dict:
    settings_class = getattr(importlib.import_module(f"services.{name}.settings"), f"{name.capitalize()}Settings")
    overrides = _production_placeholders(settings_class) if production else {}
    app = importlib.import_module(f"services.{name}.app").create_app(settings_class(var_dir=var_dir, **overrides))
    return app.openapi()


def _production_placeholders(settings_class) -> dict:
    """Production settings with throw-away secrets: enough to build the apps (no I/O) for their documents."""
    key = base64.b64encode(os.urandom(32)).decode()
    values = {"environment": "production", "bus": "rabbitmq", "database_url": "postgresql+asyncpg://document/only",
              "jwt_secret": base64.b64encode(os.urandom(48)).decode()}
    if "passport_keys" in settings_class.model_fields:
        values |= {"passport_keys": json.dumps({"1": key}), "passport_hash_key": base64.b64encode(os.urandom(32)).decode()}
    return values


def differences(recorded, current, path: str = "") -> list[str]:
    """Every place where the two JSON values differ, as ``path: recorded -> current``."""
    if isinstance(recorded, dict) and isinstance(current, dict):
        found = []
        for key in sorted(set(recorded) | set(current)):
            where = f"{path}/{key}"
            if key not in current:
                found.append(f"{where}: removed")
            elif key not in recorded:
                found.append(f"{where}: added")
            else:
                found.extend(differences(recorded[key], current[key], where))
        return found
    if isinstance(recorded, list) and isinstance(current, list) and len(recorded) == len(current):
        return [d for i, (a, b) in enumerate(zip(recorded, current)) for d in differences(a, b, f"{path}[{i}]")]
    return [] if recorded == current else [f"{path or '/'}: {json.dumps(recorded)[:120]} -> {json.dumps(current)[:120]}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="record the documents as they are now")
    parser.add_argument("--production-combined", type=Path, metavar="PATH",
                        help="write the combined document as production serves it to PATH, and nothing else")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from shared.openapi import combine

    if args.production_combined:
        with tempfile.TemporaryDirectory() as var_dir:
            documents = {name: document(name, Path(var_dir), production=True) for name in SERVICES}
        args.production_combined.write_text(json.dumps(combine(documents), ensure_ascii=False) + "\n")
        print(f"combined (production): {args.production_combined}")
        return 0

    RECORDED.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as var_dir:
        documents = {name: document(name, Path(var_dir)) for name in SERVICES}
    targets = {name: (RECORDED / f"{name}.json", current) for name, current in documents.items()}
    targets["combined"] = (COMBINED, combine(documents))
    failed = False
    for name, (target, current) in targets.items():
        if args.write:
            target.write_text(json.dumps(current, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
            print(f"{name}: recorded {len(current['paths'])} paths in {target.relative_to(ROOT)}")
            continue
        found = differences(json.loads(target.read_text()), current) if target.exists() else ["/: not recorded"]
        failed |= bool(found)
        print(f"{name}: {'equal' if not found else f'{len(found)} difference(s)'} ({target.relative_to(ROOT)})")
        for line in found:
            print(f"  {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
