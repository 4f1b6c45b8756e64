"""The platform's one clock (shared/clock.py): Beijing business dates, aware instants, the one test override."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from services.intake.applications import domain as intake_domain
from services.permits import domain as permits_domain
from shared import clock

pytestmark = pytest.mark.unit

# 01:52 in Beijing on 5 December is 17:52 UTC on 4 December: the case the issue was filed on.
NIGHT_IN_BEIJING = datetime(2026, 12, 4, 17, 52, tzinfo=UTC)


def test_the_beijing_zone_comes_from_the_tz_database_on_this_machine():
    zone = clock.beijing()
    assert getattr(zone, "key", None) == "Asia/Shanghai"  # a ZoneInfo, not the fixed-offset stand-in
    assert datetime(2026, 12, 5, 1, 52, tzinfo=zone).utcoffset() == timedelta(hours=8)


def test_after_midnight_in_beijing_the_business_date_is_tomorrow_while_utc_is_still_today():
    assert NIGHT_IN_BEIJING.date() == date(2026, 12, 4)
    assert clock.beijing_date(NIGHT_IN_BEIJING) == date(2026, 12, 5)
    # A minute before 16:00 UTC is still the 4th in Beijing; a naive instant is taken as UTC.
    assert clock.beijing_date(datetime(2026, 12, 4, 15, 59)) == date(2026, 12, 4)
    assert clock.beijing_date(datetime(2026, 12, 4, 16, 0, tzinfo=UTC)) == date(2026, 12, 5)
    # The offset of the instant given does not matter, only the instant.
    assert clock.beijing_date(datetime(2026, 12, 4, 9, 52, tzinfo=timezone(timedelta(hours=-8)))) == date(2026, 12, 5)


def test_a_beijing_day_starts_at_16_00_utc_the_day_before():
    start = clock.beijing_day_start(date(2026, 12, 5))
    assert start == datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    assert start.utcoffset() == timedelta(0)


def test_now_is_aware_and_in_utc():
    moment = clock.now()
    assert moment.tzinfo is not None and moment.utcoffset() == timedelta(0)
    assert abs(moment - datetime.now(UTC)) < timedelta(seconds=5)


def test_travel_moves_the_whole_clock_then_runs_on_and_is_undone_on_exit():
    with clock.travel(NIGHT_IN_BEIJING):
        first = clock.now()
        assert clock.beijing_today() == date(2026, 12, 5)
        time.sleep(0.02)
        later = clock.now()
    assert NIGHT_IN_BEIJING <= first < later < NIGHT_IN_BEIJING + timedelta(seconds=5)
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_travel_can_stop_the_clock_and_is_undone_after_an_error():
    with pytest.raises(RuntimeError), clock.travel(NIGHT_IN_BEIJING, tick=False):
        time.sleep(0.01)
        assert clock.now() == NIGHT_IN_BEIJING
        raise RuntimeError("a failing test")
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_travel_refuses_a_naive_instant():
    with pytest.raises(ValueError), clock.travel(datetime(2026, 12, 5, 1, 52)):
        pass


def test_intake_and_permits_read_the_same_beijing_date_from_the_one_clock():
    with clock.travel(NIGHT_IN_BEIJING):
        assert intake_domain.today_in_beijing() == date(2026, 12, 5)
        assert permits_domain.beijing_date(clock.now()) == date(2026, 12, 5)
