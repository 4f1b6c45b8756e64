"""Performance evaluations (R-SUB-RECURRING) as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime


def aware(moment: datetime) -> datetime:
    """A moment read back from SQLite (naive, UTC) or PostgreSQL (aware), as an aware one."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
