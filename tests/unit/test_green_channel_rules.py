"""R-GREEN working days and SLA states, expiry-reminder thresholds, and thin webhook payloads (no I/O)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from services.permits.cases.domain import SlaState, sla_state
from services.permits.domain import add_working_days, beijing_date, working_days_between
from services.permits.reminders.domain import reminder_due
from services.permits.webhooks.domain import WEBHOOK_EVENT_TYPES, WEBHOOK_STATES, thin_payload
from shared.events.permits import (
    PermitCaseOpened, PermitExpiring, PermitRevocationRequested, ResidencePermitIssued, WorkPermitIssued,
)

pytestmark = pytest.mark.unit

FRIDAY = date(2026, 11, 27)


@pytest.mark.parametrize(("days", "due"), [(0, FRIDAY), (1, date(2026, 11, 30)), (5, date(2026, 12, 4)),
                                           (6, date(2026, 12, 7)), (10, date(2026, 12, 11))])
def test_R_GREEN_working_days_run_monday_to_friday(days, due):
    assert add_working_days(FRIDAY, days) == due
    assert working_days_between(FRIDAY, due) == days


def test_R_GREEN_a_public_holiday_is_not_a_working_day():
    holidays = frozenset({date(2026, 11, 30), date(2026, 12, 1)})

    assert add_working_days(FRIDAY, 1, holidays) == date(2026, 12, 2)


def test_R_GREEN_opening_on_a_saturday_counts_from_monday():
    assert add_working_days(date(2026, 11, 28), 1) == date(2026, 11, 30)


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(FRIDAY, -1)


@pytest.mark.parametrize(("issued", "today", "state"), [
    (date(2026, 12, 4), date(2026, 12, 20), SlaState.on_time),  # on the due date itself
    (date(2026, 12, 5), date(2026, 12, 20), SlaState.late),
    (None, date(2026, 12, 4), SlaState.open),  # due today, not yet issued
    (None, date(2026, 12, 5), SlaState.overdue),
])
def test_R_GREEN_sla_state_at_the_due_date_boundary(issued, today, state):
    assert sla_state(due_by=date(2026, 12, 4), documents_issued_on=issued, today=today) is state


def test_R_GREEN_days_are_beijing_days():
    assert beijing_date(datetime(2026, 11, 27, 16, 30, tzinfo=UTC)) == date(2026, 11, 28)
    assert beijing_date(datetime(2026, 11, 27, 15, 59)) == date(2026, 11, 27)  # naive: UTC


@pytest.mark.parametrize(("days_left", "due"), [(91, None), (90, 90), (31, 90), (30, 30), (0, 30), (-1, None)])
def test_expiry_reminder_thresholds(days_left, due):
    valid_until = date(2030, 6, 30)
    today = date.fromordinal(valid_until.toordinal() - days_left)

    assert reminder_due(valid_until=valid_until, today=today, thresholds=[30, 90]) == due


def _events():
    ids = dict(case_id=uuid.uuid4(), expert_id=uuid.uuid4())
    now = datetime(2026, 11, 27, tzinfo=UTC)
    permit = dict(permit_application_id=uuid.uuid4(), permit_number="WP-1", valid_from=date(2026, 12, 1),
                  valid_until=date(2029, 12, 1), issued_at=now, **ids)
    return [
        PermitCaseOpened(application_id=uuid.uuid4(), employer_id=uuid.uuid4(), opened_at=now,
                         due_by=date(2026, 12, 11), **ids),
        WorkPermitIssued(**permit),
        ResidencePermitIssued(holder="child", dependant_id=uuid.uuid4(), **permit),
        PermitExpiring(permit_application_id=uuid.uuid4(), kind="work_permit", valid_until=date(2029, 12, 1),
                       days_ahead=90, **ids),
        PermitRevocationRequested(breach_id=uuid.uuid4(), breach_date=date(2026, 11, 1), requested_at=now, **ids),
    ]


@pytest.mark.parametrize("event", _events(), ids=lambda e: e.event_type)
def test_every_webhook_payload_is_thin_ids_states_and_dates(event):
    payload = thin_payload(event)

    assert payload["state"] == WEBHOOK_STATES[event.event_type]
    assert event.event_type in WEBHOOK_EVENT_TYPES
    forbidden = {"passport", "passport_number", "salary", "annual_salary", "name", "date_of_birth"}
    assert forbidden.isdisjoint(payload), payload
    assert all(isinstance(v, (str, int, list, type(None))) for v in payload.values())
