"""Performance evaluations (R-SUB-RECURRING) as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum


class EvaluationSource(StrEnum):
    """Who recorded a work year's grade: an officer (the endpoint), or review (PerformanceEvaluated, which prevails)."""

    officer = "officer"
    review = "review"


def aware(moment: datetime) -> datetime:
    """A moment read back from SQLite (naive, UTC) or PostgreSQL (aware), as an aware one."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
