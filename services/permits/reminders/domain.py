"""Rules of the expiry reminders that need no I/O (R-PERMIT): which reminder a permit is due."""

from __future__ import annotations

from datetime import date


def reminder_due(*, valid_until: date, today: date, thresholds: list[int]) -> int | None:
    """The expiry reminder a permit is due today (the nearest threshold reached), or None.

    Only the nearest threshold is sent: a job that did not run for a while sends the 30-day
    reminder, not a stale 90-day one as well.
    """
    days_left = (valid_until - today).days
    if days_left < 0:
        return None
    reached = [t for t in thresholds if days_left <= t]
    return min(reached) if reached else None
