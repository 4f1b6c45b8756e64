"""Passport numbers: encrypted at rest, found by keyed hash, shown only to the roles that need them, never logged."""

from __future__ import annotations

import json
import logging
import uuid

import sqlalchemy as sa

from services.intake.models import applications
from tests.support import data
from tests.support.selection import (
    OFFICER, awaiting_committee, draft, employer_auth, published_entry, registered_employer, reviewer_auth, submitted,
)
from tests.support.tokens import auth

PASSPORT = "E98765432"


async def test_passport_number_is_encrypted_at_rest_and_shown_only_to_the_roles_that_need_it(platform):
    await platform.start()
    employer = await registered_employer(platform, district="dongcheng")
    entry = await published_entry(platform)
    application = await submitted(platform, employer, entry, candidate={"passport_number": PASSPORT})

    async with platform.runtime("intake").db.session() as session:
        row = (await session.execute(
            sa.select(applications).where(applications.c.id == uuid.UUID(application["id"]))
        )).first()
    assert PASSPORT.encode() not in row.passport_ciphertext
    assert PASSPORT not in row.passport_hash and len(row.passport_hash) == 64
    assert row.passport_key_version == 1

    seen = {}
    for name, headers in {"employer": employer_auth(employer), "reviewer": reviewer_auth(employer),
                          "officer": OFFICER, "admin": auth("admin")}.items():
        async with platform.client("intake", headers) as client:
            body = (await client.get(f"/intake/v1/applications/{application['id']}")).json()
        seen[name] = (body["candidate"]["passport_number"], body["candidate"]["passport_masked"])
    assert seen == {"employer": (PASSPORT, False), "reviewer": (PASSPORT, False), "officer": (PASSPORT, False),
                    "admin": ("*******32", True)}


async def test_second_live_application_for_the_same_passport_is_flagged_to_reviewers_not_linked_for_another_employer(
        platform):
    await platform.start()
    first_employer = await registered_employer(platform, district="haidian")
    second_employer = await registered_employer(platform, district="haidian")
    entry = await published_entry(platform)
    first = await submitted(platform, first_employer, entry, candidate={"passport_number": PASSPORT})
    # The same number written differently is the same passport.
    second = await submitted(platform, second_employer, entry, candidate={"passport_number": "e9876 5432"})
    other = await submitted(platform, second_employer, entry, candidate={"passport_number": "X0000001"})

    # One person, one expert id (the caps per expert and year span employers); but the second employer is not
    # told the first employer's expert's id: it would open that expert's records to it.
    assert second["expert_id"] is None and other["expert_id"] not in (None, first["expert_id"])
    async with platform.client("intake", reviewer_auth(first_employer)) as client:
        linked = (await client.get(f"/intake/v1/applications/{second['id']}")).json()
    assert linked["expert_id"] == first["expert_id"]  # reviewers see the link
    async with platform.client("intake", reviewer_auth(first_employer)) as client:
        flags = {a["id"]: (await client.get(f"/intake/v1/applications/{a['id']}")).json()["possible_duplicate"]
                 for a in (first, second, other)}
    assert flags == {first["id"]: True, second["id"]: True, other["id"]: False}
    async with platform.client("intake", reviewer_auth(first_employer)) as client:
        listed = {a["id"]: a["possible_duplicate"] for a in (await client.get("/intake/v1/applications")).json()["items"]}
    assert listed == flags
    async with platform.client("intake", employer_auth(second_employer)) as client:
        own = (await client.get(f"/intake/v1/applications/{second['id']}")).json()
    assert own["possible_duplicate"] is None  # reviewers are told, not the other employer
    async with platform.client("intake", employer_auth(second_employer)) as client:
        own_list = (await client.get("/intake/v1/applications")).json()["items"]
    assert {a["possible_duplicate"] for a in own_list} == {None}

    async with platform.client("intake", reviewer_auth(first_employer)) as client:
        await client.post(f"/intake/v1/applications/{first['id']}/preliminary-review",
                          json={"outcome": "reject", "reason": "withdrawn by the candidate"})
        after = (await client.get(f"/intake/v1/applications/{second['id']}")).json()
    assert after["possible_duplicate"] is False  # a rejected application is no longer live

    # The employer's own earlier application does name the expert, however the number is written.
    again = await draft(platform, first_employer, entry, candidate={"passport_number": "e98-765-432"})
    assert again["expert_id"] == first["expert_id"]


async def test_passport_number_never_reaches_logs_events_or_the_audit_log(platform, caplog):
    caplog.set_level(logging.DEBUG)
    await platform.start()
    employer = await registered_employer(platform)
    entry = await published_entry(platform)
    await draft(platform, employer, entry, candidate={"passport_number": PASSPORT})
    passed = await awaiting_committee(platform, employer, entry, candidate={"passport_number": PASSPORT})
    async with platform.client("intake", employer_auth(employer)) as client:
        bad = await client.post("/intake/v1/applications",
                                json=data.application(entry["id"], candidate={"passport_number": PASSPORT,
                                                                              "nationality": "ZZ"}))
    assert bad.status_code == 422 and PASSPORT not in bad.text

    runtime = platform.runtime("intake")
    async with runtime.db.session() as session:
        events = (await session.execute(sa.select(runtime.tables.outbox.c.event_type,
                                                  runtime.tables.outbox.c.payload))).all()
        audit = (await session.execute(sa.select(runtime.tables.audit_log))).all()
    assert {e.event_type for e in events} >= {"ApplicationSubmitted", "FormalReviewPassed"}
    [formal] = [json.loads(e.payload)["data"] for e in events if e.event_type == "FormalReviewPassed"]
    assert formal["possible_duplicate"] is True and formal["application_id"] == passed["id"]
    for text in [e.payload for e in events] + [json.dumps([tuple(a) for a in audit], default=str)]:
        assert PASSPORT not in text and PASSPORT.lower() not in text
    assert caplog.records, "the platform logged nothing: the capture would prove nothing"
    formatter = logging.Formatter("%(name)s %(message)s")
    for record in caplog.records:
        text = formatter.format(record)  # message, arguments and any traceback
        assert PASSPORT not in text and PASSPORT not in str(record.__dict__)
