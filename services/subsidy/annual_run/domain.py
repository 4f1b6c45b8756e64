"""The annual run's states."""

from __future__ import annotations

from enum import StrEnum


class AnnualRunStatus(StrEnum):
    """running -> issued (every instruction recorded; the sender pays them)."""

    running = "running"
    issued = "issued"
