"""The platform demo script (scripts/demo.py), loaded as a module."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "demo.py"


def demo_module():
    spec = importlib.util.spec_from_file_location("platform_demo", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
