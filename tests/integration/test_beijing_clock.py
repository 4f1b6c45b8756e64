"""One Beijing clock (shared/clock.py) on both run modes: every date the policy reads is the Asia/Shanghai date
(RULES.md, Dates), and every timestamp leaves the platform with its offset.

01:52 on Friday 4 December 2026 in Beijing is 17:52 UTC on Thursday 3 December: the hour in which a claim for a
period ending "today" was refused, since subsidy read the UTC date while permits read Beijing's."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

import sqlalchemy as sa

from embedded.app import SERVICES
from services.permits.domain import add_working_days, add_years
from shared import clock
from tests.support import data
from tests.support import permits as permit_data
from tests.support.events import publish
from tests.support.platform import eventually
from tests.support.selection import (
    OFFICER, draft, employer_auth, published_entry, registered_employer, submitted,
)
from tests.support.subsidy import approval, entitlements_of
from tests.support.tokens import auth

NIGHT = datetime(2026, 12, 3, 17, 52, tzinfo=UTC)
BEIJING_TODAY = date(2026, 12, 4)
UTC_TODAY = date(2026, 12, 3)
ADMIN = auth("admin")

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")


def haiju_claim(period_end: date) -> dict:
    return {"track": "haiju_long_term", "period_end": period_end.isoformat(), "evidence_reference": "payroll",
            "salary_paid": "600000.00", "medical_premium_paid": "18000.00", "thousand_talents_salary_subsidy": False,
            "salary_funded_by_municipal_finance": False, "contract_fulfilled": True}


async def open_entitlement(platform) -> dict:
    event = approval()
    await publish(platform, event)
    [entitlement] = await eventually(lambda: entitlements_of(platform, event.expert.expert_id),
                                     message="subsidy opened the entitlement")
    return entitlement


async def claim(platform, entitlement, period_end: date):
    async with platform.client("subsidy", auth("employer", entitlement["employer_id"])) as client:
        return await client.post(f"/subsidy/v1/entitlements/{entitlement['id']}/claims", json=haiju_claim(period_end))


def timestamps_without_offset(value, path="$") -> list[str]:
    """Every string in a JSON document that is a timestamp and carries no offset, with where it is."""
    if isinstance(value, dict):
        return [bad for k, v in value.items() for bad in timestamps_without_offset(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [bad for i, v in enumerate(value) for bad in timestamps_without_offset(v, f"{path}[{i}]")]
    if isinstance(value, str) and TIMESTAMP.match(value) and not OFFSET.search(value):
        return [f"{path} = {value}"]
    return []


async def test_at_0152_in_beijing_a_claim_ending_today_is_accepted_and_every_service_reads_the_beijing_date(
        platform):
    await platform.start()
    with clock.travel(NIGHT):
        assert clock.now().date() == UTC_TODAY and clock.beijing_today() == BEIJING_TODAY

        # Subsidy: a claim period ending today (Beijing) has ended; one ending tomorrow has not.
        entitlement = await open_entitlement(platform)
        today = await claim(platform, entitlement, BEIJING_TODAY)
        tomorrow = await claim(platform, entitlement, date(2026, 12, 5))

        # Intake: a catalogue entry valid from today and an intent reached today are cited on submission
        # (R-CATALOGUE, R-APPLY); an intent dated tomorrow is not.
        employer = await registered_employer(platform)
        entry = await published_entry(platform, edition=data.catalogue_edition(valid_from=BEIJING_TODAY.isoformat()))
        application = await submitted(platform, employer, entry, intent_date=BEIJING_TODAY.isoformat())
        early = await draft(platform, employer, entry, intent_date="2026-12-05")
        async with platform.client("intake", employer_auth(employer)) as client:
            await client.post(f"/intake/v1/applications/{early['id']}/recommendations", json=data.recommendation())
            refused_intent = await client.post(f"/intake/v1/applications/{early['id']}/submit")

        # Permits: the green-channel SLA counts from today (R-GREEN); a permit application is dated today by
        # default and may not be dated tomorrow (R-PERMIT).
        _, case = await permit_data.open_case(platform, contract_start=BEIJING_TODAY,
                                              contract_end=add_years(BEIJING_TODAY, 5))
        async with platform.client("permits", OFFICER) as client:
            filed = await client.post(f"/permits/v1/cases/{case['id']}/applications",
                                      json=permit_data.principal_body(valid_from=BEIJING_TODAY))
            future = await client.post(f"/permits/v1/cases/{case['id']}/applications",
                                       json=permit_data.principal_body("work_residence_permit",
                                                                       valid_from=BEIJING_TODAY,
                                                                       application_date="2026-12-05"))

    assert today.status_code == 201, today.text
    assert today.json()["funding_year"] == 2026
    assert tomorrow.status_code == 422, tomorrow.text
    assert tomorrow.json()["errors"][0]["field"] == "period_end"

    assert application["state"] == "preliminary_review", application
    assert refused_intent.status_code == 422, refused_intent.text
    assert "intent_date" in refused_intent.text

    settings = platform.settings["permits"]
    holidays = frozenset(settings.green_channel_public_holidays)
    days = settings.green_channel_sla_working_days
    assert date.fromisoformat(case["due_by"]) == add_working_days(BEIJING_TODAY, days, holidays)
    assert add_working_days(UTC_TODAY, days, holidays) != add_working_days(BEIJING_TODAY, days, holidays)
    assert filed.status_code == 201, filed.text
    assert filed.json()["application_date"] == BEIJING_TODAY.isoformat()
    assert future.status_code == 422, future.text
    assert "application_date" in future.text


async def test_timestamps_in_api_replies_audit_rows_and_events_carry_their_offset(platform):
    await platform.start()
    replies = []
    employer = await registered_employer(platform)
    replies.append(employer)
    entitlement = await open_entitlement(platform)
    replies.append(entitlement)
    made = await claim(platform, entitlement, date(2024, 12, 31))
    assert made.status_code == 201, made.text
    replies.append(made.json())
    _, case = await permit_data.open_case(platform)
    replies.append(case)

    for reply in replies:
        assert timestamps_without_offset(reply) == [], reply
    assert datetime.fromisoformat(case["opened_at"]).utcoffset() is not None

    for entry in SERVICES:
        runtime = platform.runtime(entry.name)
        audit_log, outbox = runtime.tables.audit_log, runtime.tables.outbox
        async with runtime.db.session() as session:
            ats = (await session.execute(sa.select(audit_log.c.at))).scalars().all()
            payloads = (await session.execute(sa.select(outbox.c.payload))).scalars().all()
            created = (await session.execute(sa.select(outbox.c.created_at))).scalars().all()
        assert all(at.tzinfo is not None and at.utcoffset().total_seconds() == 0 for at in ats + created), entry.name
        for payload in payloads:
            assert timestamps_without_offset(json.loads(payload)) == [], (entry.name, payload)
        async with platform.client(entry.name, ADMIN) as client:
            trail = await client.get(f"/{entry.name}/v1/admin/audit")
        assert trail.status_code == 200, trail.text
        assert timestamps_without_offset(trail.json()) == [], (entry.name, trail.json())
        if entry.name in ("directory", "subsidy", "permits"):
            assert trail.json()["items"], f"{entry.name} recorded nothing to check"
