"""What each webhook answer means: delivered, gone, retried on the schedule with jitter, Retry-After, exhausted."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from services.permits.webhooks.domain import DeliveryStatus, judge, retry_after_seconds
from services.permits.settings import PermitsSettings

pytestmark = pytest.mark.unit

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
SETTINGS = PermitsSettings(webhook_retry_schedule_seconds=[5, 300, 1800], webhook_retry_jitter=0.2,
                           webhook_max_retry_after_seconds=600)


def outcome(attempts=1, status_code=None, retry_after=None, error=None, settings=SETTINGS, seed=1):
    return judge(attempts=attempts, status_code=status_code, retry_after=retry_after, error=error,
                 settings=settings, now=NOW, rng=random.Random(seed))


def delay(result) -> float:
    return (result.next_attempt_at - NOW).total_seconds()


@pytest.mark.parametrize("code", [200, 201, 202, 204, 299])
def test_2xx_is_delivered(code):
    assert outcome(status_code=code).status == DeliveryStatus.delivered


def test_410_is_gone_without_retry():
    result = outcome(status_code=410)

    assert result.status == DeliveryStatus.gone
    assert result.next_attempt_at is None


@pytest.mark.parametrize("code", [301, 400, 401, 404, 500, 502, 504])
def test_other_answers_are_retried_on_the_schedule(code):
    result = outcome(status_code=code)

    assert result.status == DeliveryStatus.pending
    assert 4 <= delay(result) <= 6
    assert result.error == f"HTTP {code}"


def test_network_error_is_retried_and_named():
    result = outcome(error="ConnectError: refused")

    assert result.status == DeliveryStatus.pending
    assert result.error == "ConnectError: refused"


@pytest.mark.parametrize(("attempts", "base"), [(1, 5), (2, 300), (3, 1800)])
def test_each_retry_waits_its_scheduled_delay_within_the_jitter(attempts, base):
    delays = [delay(outcome(attempts=attempts, status_code=500, seed=seed)) for seed in range(50)]

    assert all(base * 0.8 <= d <= base * 1.2 for d in delays)
    assert len({round(d, 6) for d in delays}) > 40, "jittered, not all the same"


def test_after_the_last_scheduled_retry_the_delivery_is_exhausted():
    result = outcome(attempts=4, status_code=500)

    assert result.status == DeliveryStatus.exhausted
    assert result.next_attempt_at is None


@pytest.mark.parametrize("code", [429, 503])
def test_retry_after_seconds_is_honoured_for_429_and_503(code):
    assert delay(outcome(status_code=code, retry_after="120")) == 120


def test_retry_after_http_date_is_honoured():
    when = (NOW + timedelta(seconds=90)).strftime("%a, %d %b %Y %H:%M:%S GMT")

    assert delay(outcome(status_code=429, retry_after=when)) == 90


def test_retry_after_is_capped():
    assert delay(outcome(status_code=429, retry_after="86400")) == 600


def test_retry_after_on_a_500_is_ignored():
    assert 4 <= delay(outcome(status_code=500, retry_after="120")) <= 6


def test_unreadable_retry_after_falls_back_to_the_schedule():
    assert 4 <= delay(outcome(status_code=429, retry_after="soon")) <= 6
    assert retry_after_seconds(None, NOW) is None


def test_429_after_the_schedule_is_exhausted_too():
    assert outcome(attempts=4, status_code=429, retry_after="1").status == DeliveryStatus.exhausted
