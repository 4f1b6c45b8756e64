"""The platform's one clock: aware timestamps, the Beijing business date (Asia/Shanghai), one test override.

Every date the policy reads (claim periods, submission and application dates, catalogue and permit
validity, the green-channel SLA, finance booking days, contract and breach dates) is the business date
in Beijing, whatever the server's own time zone: at 01:52 in Beijing it is already tomorrow there and
still today in UTC. Timestamps are aware and in UTC; they leave the platform with their offset.

Tests move time in one way only, :func:`travel`: the whole process reads the moment it is given (and,
unless told to stand still, runs on from it), so a handler deep in a consumer sees the same instant as
the request that caused it.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

log = logging.getLogger(__name__)

BEIJING_ZONE = "Asia/Shanghai"

_FIXED_BEIJING = timezone(timedelta(hours=8), BEIJING_ZONE)
"""China Standard Time: UTC+8 without daylight saving since 1991, the stand-in where no tz database is."""


@functools.cache
def beijing() -> tzinfo:
    """The Asia/Shanghai zone from the tz database (the system's, or the ``tzdata`` package), read once
    on first use, not at import; UTC+8 where neither is installed (the same for every date since 1991)."""
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    except ImportError:  # pragma: no cover - zoneinfo is in the standard library from 3.9
        return _FIXED_BEIJING
    try:
        return ZoneInfo(BEIJING_ZONE)
    except ZoneInfoNotFoundError:
        log.warning("no tz database has %s; Beijing dates use the fixed offset UTC+08:00", BEIJING_ZONE)
        return _FIXED_BEIJING


# The override (tests): where the clock was set, against the machine's clock when it was set; None: real time.
_set_to: datetime | None = None
_set_at: datetime | None = None
_ticking = True


def now() -> datetime:
    """The current instant, aware, in UTC."""
    real = datetime.now(UTC)
    if _set_to is None:
        return real
    return _set_to + (real - _set_at) if _ticking else _set_to


def beijing_date(at: datetime) -> date:
    """The Beijing calendar date of an instant; a naive one is taken as UTC (how SQLite used to return them)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(beijing()).date()


def beijing_today() -> date:
    """Today's business date in Beijing: the date every policy rule reads."""
    return beijing_date(now())


def beijing_day_start(day: date) -> datetime:
    """The instant a Beijing calendar day begins (00:00 in Beijing), aware, in UTC."""
    return datetime.combine(day, time.min, tzinfo=beijing()).astimezone(UTC)


def utc(at: datetime) -> datetime:
    """``at`` as an aware UTC instant; a naive one is taken as UTC already."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


@contextlib.contextmanager
def travel(to: datetime, *, tick: bool = True) -> Iterator[None]:
    """Tests: the clock of the whole process reads ``to`` (aware), then runs on from it; ``tick=False``
    stops it there. Restored on exit, also after an error. The one way to move time in this platform."""
    global _set_to, _set_at, _ticking
    if to.tzinfo is None:
        raise ValueError("travel to an aware instant (a naive one has no place in time)")
    saved = (_set_to, _set_at, _ticking)
    _set_to, _set_at, _ticking = to.astimezone(UTC), datetime.now(UTC), tick
    try:
        yield
    finally:
        _set_to, _set_at, _ticking = saved


__all__ = ["BEIJING_ZONE", "beijing", "beijing_date", "beijing_day_start", "beijing_today", "now", "travel", "utc"]
