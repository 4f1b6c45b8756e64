"""What the permits service's sub-domains share, without I/O: the calendar its rules count in, and the states
of the green-channel case and of a permit application (the tables in ``tables.py``).

Calendar arithmetic used throughout: "N years after a date" is the same month and day N years
later, and 29 February becomes 28 February in a year that has none (``add_years``). A permit
"valid for N years" from ``valid_from`` expires on ``add_years(valid_from, N)`` (``valid_until``,
the expiry date printed on the document); a person "turns 18" on ``add_years(date_of_birth, 18)``.
Working days (R-GREEN) are Monday to Friday on Beijing's calendar, less its public holidays.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from enum import StrEnum

from shared import clock


def add_years(day: date, years: int) -> date:
    """The same month and day ``years`` later; 29 February → 28 February in a common year."""
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return day.replace(year=year)


def beijing_date(at: datetime) -> date:
    """Working days are Beijing's calendar days (the platform's one clock); a naive instant is UTC."""
    return clock.beijing_date(at)


def is_working_day(day: date, holidays: frozenset[date] = frozenset()) -> bool:
    """Monday to Friday, unless a listed public holiday."""
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: frozenset[date] = frozenset()) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself not counted); ``start`` when 0."""
    if days < 0:
        raise ValueError("a service-level target is a number of working days, not negative")
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            counted += 1
    return day


def working_days_between(start: date, end: date, holidays: frozenset[date] = frozenset()) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is ``start``)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count


class CaseStatus(StrEnum):
    """A green-channel case (绿色通道): open until revoked; its SLA clock stops at documents issued."""

    open = "open"
    revoked = "revoked"
    """R-SUPERVISE: an expert-attributable breach withdrew its open applications."""


class ApplicationStatus(StrEnum):
    """An application's path at the issuing authority: filed → submitted → issued | refused; or withdrawn."""

    filed = "filed"
    submitted = "submitted"
    """Submitted to the issuing authority."""
    issued = "issued"
    refused = "refused"
    withdrawn = "withdrawn"
    """R-SUPERVISE: withdrawn after an expert-attributable breach."""


OPEN_STATUSES = frozenset({ApplicationStatus.filed, ApplicationStatus.submitted})
LIVE_STATUSES = OPEN_STATUSES | {ApplicationStatus.issued}
"""An application in one of these blocks another of the same kind for the same holder."""
