"""Personal data: no passport number in plain text anywhere the platform writes, in either run mode, and no
expert id (nor the expert's record) to an employer that has no relation with the expert.

The scan reads what is at rest after the flows that handle passport numbers: on SQLite every database file
and its WAL byte for byte (the embedded bus's too); on PostgreSQL every column of every table of every
service's database, as text (a ``bytea`` as its hex). Logs (caplog), events (every outbox), audit rows and
the webhooks a partner received are read as well. A canary written where any text goes (a public notice)
must be found by the same scan, or the scan proves nothing.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from services.directory.app import MIGRATIONS_DIR as DIRECTORY_MIGRATIONS
from services.directory.models import experts
from services.directory.settings import DirectorySettings
from shared.migrations import downgrade, upgrade
from tests.support.demo import demo_module
from tests.support import data, infra
from tests.support.directory import BASE, OFFICER, register
from tests.support.events import publish
from tests.support.permits import start_with_partner
from tests.support.platform import eventually
from tests.support.review import route_quotes_in_process
from tests.support.selection import draft, employer_auth, published_entry, registered_employer
from tests.support.subsidy import approval
from tests.support.tokens import auth

DRAFTED = "e 4455-6677"
"""As an employer types it; stored (sealed) as E44556677."""
REGISTERED = "R55443322"
"""Entered by an officer in the directory."""
CANARY = "Q0CANARY9Z"
"""Published as public text: the scan must find it, else it reads nothing."""
WEBHOOK_EVENTS = ["PermitCaseOpened", "WorkPermitIssued", "ResidencePermitIssued"]
SERVICES = ("intake", "review", "subsidy", "permits", "directory")


def spellings(number: str) -> set[str]:
    """The ways a number could be written down: as typed, normalised, lower case."""
    normalised = number.replace(" ", "").replace("-", "").upper()
    return {number, normalised, normalised.lower()}


def found_in(text: str, needles: set[str]) -> set[str]:
    return {n for n in needles if n in text}


async def _sqlite_bytes(root: Path) -> dict[str, bytes]:
    """Every SQLite database, WAL, shared-memory and journal file under ``root``, as bytes."""
    files = [p for p in root.rglob("*") if p.is_file() and ".db" in p.name]
    names = {p.name for p in files}
    expected = {f"{service}.db" for service in SERVICES} | {"bus.db"}
    assert expected <= names, f"databases missing from the scan: {sorted(expected - names)}"
    assert any(p.name.endswith(".db-wal") for p in files), "no WAL file: the scan would miss what it holds"
    return {str(p): p.read_bytes() for p in files}


async def _postgres_rows(urls: dict[str, str]) -> dict[str, str]:
    """Every row of every table of each service database, as PostgreSQL writes the row as text."""
    out: dict[str, str] = {}
    for service, url in urls.items():
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                tables = (await connection.execute(sa.text(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"))).scalars().all()
                assert tables, f"no table in {service}'s database"
                for table in tables:
                    rows = (await connection.execute(sa.text(f'SELECT t::text FROM "{table}" AS t'))).scalars()
                    out[f"{service}.{table}"] = "\n".join(rows)
        finally:
            await engine.dispose()
    return out


async def at_rest(platform) -> dict[str, str]:
    """What the platform holds at rest, per file (SQLite) or table (PostgreSQL), as searchable text."""
    if platform.mode == "real":
        assert set(platform.database_urls) == set(SERVICES)
        return await _postgres_rows(platform.database_urls)
    return {name: blob.decode("latin-1") for name, blob in (await _sqlite_bytes(platform.tmp_path)).items()}


def needles_at_rest(numbers: set[str], mode: str) -> set[str]:
    """On PostgreSQL a bytea reads as hex: a number stored unencrypted in one would show as its hex."""
    needles = set().union(*(spellings(n) for n in numbers))
    if mode == "real":
        needles |= {n.encode().hex() for n in needles}
    return needles


async def _outbox_and_audit(platform) -> list[str]:
    texts = []
    for service in SERVICES:
        runtime = platform.runtime(service)
        async with runtime.db.session() as session:
            texts += (await session.execute(sa.select(runtime.tables.outbox.c.payload))).scalars().all()
            audit = (await session.execute(sa.select(runtime.tables.audit_log))).all()
        texts.append(json.dumps([tuple(a) for a in audit], default=str))
    return texts


async def test_no_passport_number_in_plain_text_at_rest_in_events_audit_logs_or_webhooks(platform, caplog):
    caplog.set_level(logging.DEBUG)
    partner, _ = await start_with_partner(platform, WEBHOOK_EVENTS)
    route_quotes_in_process(platform)

    # An employer drafts with a passport number (and once with a body refused, the number in it).
    employer = await registered_employer(platform)
    entry = await published_entry(platform)
    drafted = await draft(platform, employer, entry, candidate={"passport_number": DRAFTED})
    async with platform.client("intake", employer_auth(employer)) as client:
        refused = await client.post("/intake/v1/applications", json=data.application(
            entry["id"], candidate={"passport_number": DRAFTED, "nationality": "ZZ"}))
        assert refused.status_code == 422 and "4455" not in refused.text
        shown = (await client.get(f"/intake/v1/applications/{drafted['id']}")).json()
    assert shown["candidate"]["passport_number"] == "E44556677"  # sealed, and opened for its employer
    # Drafted again under an Idempotency-Key and retried: the first response, number and all, is kept to replay.
    async with platform.client("intake", employer_auth(employer)) as client:
        keyed = [await client.post("/intake/v1/applications", headers={"Idempotency-Key": "scan-draft-1"},
                                   json=data.application(entry["id"], candidate={"passport_number": DRAFTED}))
                 for _ in range(2)]
    assert [r.status_code for r in keyed] == [201, 201] and keyed[1].headers["Idempotent-Replayed"] == "true"
    assert keyed[1].json()["candidate"]["passport_number"] == "E44556677"
    assert await platform.count("intake", "idempotency_keys") == 1

    # An officer registers a directory expert with one; the officer and the expert read it back.
    async with platform.client("directory") as client:
        expert = await register(client, 7, passport_number=REGISTERED)
        as_self = (await client.get(f"{BASE}/experts/{expert['id']}",
                                    headers=auth("expert", subject=expert["id"]))).json()
        listed = (await client.get(f"{BASE}/experts", headers=OFFICER)).json()["items"]
        notice = await client.post(f"{BASE}/notices", headers=OFFICER,
                                   json={"title": "Canary", "body": f"scan canary {CANARY}"})
        assert notice.status_code == 201, notice.text
    assert as_self["passport_number"] == REGISTERED
    assert [e["passport_number"] for e in listed if e["id"] == expert["id"]] == [REGISTERED]

    # The whole selection to the committee's approval: directory lists, subsidy entitles, permits tells a partner.
    demo = demo_module()
    async with contextlib.AsyncExitStack() as stack:
        clients = {name: await stack.enter_async_context(platform.client(name))
                   for name in ("directory", "intake", "review", "subsidy")}
        result = await demo.Flow(clients, say=lambda line: None, timeout=30).run()
    assert result["decision"]["outcome"] == "approved"
    async with platform.client("intake", OFFICER) as client:
        approved = (await client.get(f"/intake/v1/applications/{result['application_id']}")).json()
    selected_number = approved["candidate"]["passport_number"]
    assert approved["state"] == "approved" and not approved["candidate"]["passport_masked"]

    async def listed_in_directory():
        async with platform.client("directory", OFFICER) as client:
            response = await client.get(f"{BASE}/experts/{approved['expert_id']}")
        return response.status_code == 200
    await eventually(listed_in_directory, message="the selected expert listed in the directory")
    await eventually(lambda: _received_any(partner), timeout=20, message="a webhook delivered")
    received = await partner.received()

    numbers = {DRAFTED, REGISTERED, selected_number}
    # At rest: every database file and WAL (SQLite) or every table's rows (PostgreSQL).
    stored = await at_rest(platform)
    assert any(CANARY in text for text in stored.values()), f"the canary was not found in {sorted(stored)}"
    leaks = {where: found_in(text, needles_at_rest(numbers, platform.mode)) for where, text in stored.items()}
    assert {where: hits for where, hits in leaks.items() if hits} == {}

    # Events, audit records and the webhooks the partner received.
    plain = set().union(*(spellings(n) for n in numbers))
    texts = await _outbox_and_audit(platform)
    assert any("ApplicationApproved" in t for t in texts) and len(texts) > len(SERVICES)
    texts.append(json.dumps(received))
    assert received["items"], "no webhook reached the partner: nothing to check"
    assert [found_in(t, plain) for t in texts if found_in(t, plain)] == []

    # Logs: message, arguments, traceback and every attribute of each record.
    assert caplog.records, "the platform logged nothing: the capture would prove nothing"
    formatter = logging.Formatter("%(name)s %(message)s")
    logged = [formatter.format(r) + str(r.__dict__) for r in caplog.records]
    assert [found_in(t, plain) for t in logged if found_in(t, plain)] == []


async def _received_any(partner) -> bool:
    return bool((await partner.received())["items"])


async def test_another_employers_passport_spelt_differently_reveals_neither_the_expert_id_nor_the_record(platform):
    await platform.start()
    first, second = await registered_employer(platform), await registered_employer(platform)
    entry = await published_entry(platform)
    own = await draft(platform, first, entry, candidate={"passport_number": "E12345678"})
    # The committee selects the first employer's candidate: the directory lists the expert under that employer.
    event = approval(expert_id=uuid.UUID(own["expert_id"]), application_id=uuid.UUID(own["id"]))
    event = event.model_copy(update={"employer": event.employer.model_copy(
        update={"employer_id": uuid.UUID(first["id"])})})
    await publish(platform, event)
    record = f"{BASE}/experts/{own['expert_id']}"

    async def readable_by_first():
        async with platform.client("directory", employer_auth(first)) as client:
            return (await client.get(record)).status_code == 200
    await eventually(readable_by_first, message="the first employer reads its expert's record")

    # The second employer drafts with the same number spelt differently, and edits another draft to it.
    probe = await draft(platform, second, entry, candidate={"passport_number": "e1234 5678"})
    other = await draft(platform, second, entry, candidate={"passport_number": "X0000001"})
    async with platform.client("intake", employer_auth(second)) as client:
        edited = await client.patch(f"/intake/v1/applications/{other['id']}", headers={"If-Match": '"1"'},
                                    json={"candidate": {**data.application(entry["id"])["candidate"],
                                                        "passport_number": "E-1234-5678"}})
    assert edited.status_code == 200, edited.text
    # The expert is the same person for the platform (one id, so the caps per expert and year span employers),
    # but the second employer is not told the id, in the draft or after the edit, nor when it reads them again.
    assert probe["expert_id"] is None and edited.json()["expert_id"] is None
    async with platform.client("intake", employer_auth(second)) as client:
        reread = [(await client.get(f"/intake/v1/applications/{a['id']}")).json() for a in (probe, other)]
    assert [a["expert_id"] for a in reread] == [None, None]
    assert own["expert_id"] not in str(probe) + edited.text + str(reread)
    async with platform.client("intake", auth("bureau_officer")) as client:
        linked = (await client.get(f"/intake/v1/applications/{probe['id']}")).json()
    assert linked["expert_id"] == own["expert_id"]

    # Nor can the second employer read the record: 404, as for an id that does not exist; not listed either.
    async with platform.client("directory", employer_auth(second)) as client:
        known = await client.get(record)
        unknown = await client.get(f"{BASE}/experts/{uuid.uuid4()}")
        page = (await client.get(f"{BASE}/experts")).json()
    assert (known.status_code, unknown.status_code) == (404, 404)
    assert known.headers["content-type"].startswith("application/problem+json")
    assert set(known.json()) == set(unknown.json()) and "Ada" not in known.text
    assert page["items"] == []

    # The first employer's own later application names the same expert, however the number is written.
    again = await draft(platform, first, entry, candidate={"passport_number": "e 1234-5678"})
    assert again["expert_id"] == own["expert_id"]

    # Once the committee selects the second employer's application, it has a relation with the expert and is told.
    selected = approval(expert_id=uuid.UUID(own["expert_id"]), application_id=uuid.UUID(probe["id"]))
    await publish(platform, selected.model_copy(update={"employer": selected.employer.model_copy(
        update={"employer_id": uuid.UUID(second["id"])})}))

    async def told():
        async with platform.client("intake", employer_auth(second)) as client:
            return (await client.get(f"/intake/v1/applications/{probe['id']}")).json()["expert_id"]
    assert await eventually(told, message="the selected employer is told the expert id") == own["expert_id"]


# -- directory_0023: the numbers already stored are sealed, the plaintext column goes --------------------------

def _plain_experts(numbers: dict[uuid.UUID, str | None]) -> list[dict]:
    from datetime import UTC, datetime

    now = datetime(2026, 12, 1, tzinfo=UTC)
    return [{"id": expert_id, "name": f"Expert {i}", "nationality": "DE", "focus_area": "strategic_emerging_industries",
             "field": "new_generation_it", "status": "registered", "source": "registration", "skills": [],
             "languages": [], "seeking": False, "search_text": f"Expert {i}", "listed_at": now, "updated_at": now,
             "passport_number": number} for i, (expert_id, number) in enumerate(numbers.items())]


_EXPERTS_0022 = sa.table("experts", *(sa.column(c) for c in (
    "name", "nationality", "focus_area", "field", "status", "source", "seeking", "search_text",
    "passport_number")), sa.column("id", sa.Uuid), sa.column("skills", sa.JSON), sa.column("languages", sa.JSON),
    sa.column("listed_at", sa.DateTime(timezone=True)), sa.column("updated_at", sa.DateTime(timezone=True)))


async def _migrated_rows(url: str, numbers: dict[uuid.UUID, str | None]) -> tuple[list, set[str]]:
    """Migrate to directory_0022, store ``numbers`` in plain text, migrate to the head; the rows and columns."""
    await asyncio.to_thread(upgrade, DIRECTORY_MIGRATIONS, url, "directory_0022")
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(sa.insert(_EXPERTS_0022), _plain_experts(numbers))
        await asyncio.to_thread(upgrade, DIRECTORY_MIGRATIONS, url)
        async with engine.connect() as connection:
            columns = await connection.run_sync(lambda c: {col["name"] for col in sa.inspect(c).get_columns("experts")})
            rows = (await connection.execute(sa.text(
                "SELECT id, passport_ciphertext, passport_key_version, passport_hash FROM experts"))).all()
    finally:
        await engine.dispose()
    return rows, columns


def _check_sealed(rows, columns, numbers: dict[uuid.UUID, str | None]) -> None:
    vault = DirectorySettings().passport_vault()
    assert "passport_number" not in columns and {"passport_ciphertext", "passport_hash"} <= columns
    by_id = {uuid.UUID(str(r[0])): r for r in rows}
    for expert_id, number in numbers.items():
        _, ciphertext, version, lookup_hash = by_id[expert_id]
        if number is None:
            assert (ciphertext, version, lookup_hash) == (None, None, None)
            continue
        assert number.encode() not in bytes(ciphertext)
        assert vault.open(version, bytes(ciphertext)) == number.upper()
        assert lookup_hash == vault.lookup_hash(number.lower())  # found whatever the spelling


async def test_directory_0023_seals_the_stored_numbers_and_drops_the_plaintext_on_sqlite(tmp_path):
    path = tmp_path / "directory.db"
    url = f"sqlite+aiosqlite:///{path}"
    numbers = {uuid.uuid4(): "K7654321", uuid.uuid4(): "m1122334", uuid.uuid4(): None}
    rows, columns = await _migrated_rows(url, numbers)
    _check_sealed(rows, columns, numbers)
    on_disk = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert b"K7654321" not in on_disk and b"m1122334" not in on_disk  # the freed pages were overwritten
    assert b"Expert 1" in on_disk  # the rows themselves are in the bytes read

    # And back: the numbers opened into the plaintext column again.
    await asyncio.to_thread(downgrade, DIRECTORY_MIGRATIONS, url, "directory_0022")
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            back = dict(connection.execute(sa.select(_EXPERTS_0022.c.id, _EXPERTS_0022.c.passport_number)).all())
    finally:
        engine.dispose()
    assert back == {k: (v.upper() if v else None) for k, v in numbers.items()}


@pytest.mark.postgres
async def test_directory_0023_seals_the_stored_numbers_and_drops_the_plaintext_on_postgresql():
    urls = await infra.create_databases(("directory",))
    try:
        numbers = {uuid.uuid4(): "K7654321", uuid.uuid4(): None}
        rows, columns = await _migrated_rows(urls["directory"], numbers)
        _check_sealed(rows, columns, numbers)
        live = await _postgres_rows(urls)
        assert not any("K7654321" in text for text in live.values())
    finally:
        await infra.drop_databases(urls)


async def test_directory_key_rotation_seals_new_numbers_with_the_new_version_and_still_opens_the_old(platform):
    old_key, new_key = base64.b64encode(b"o" * 32).decode(), base64.b64encode(b"n" * 32).decode()
    hash_key = base64.b64encode(b"h" * 32).decode()
    await platform.start(settings={"directory": {"passport_keys": json.dumps({"1": old_key, "2": new_key}),
                                                 "passport_key_version": 2, "passport_hash_key": hash_key}})
    async with platform.client("directory") as client:
        before = await register(client, 1, passport_number="V10000001")
        after = await register(client, 2, passport_number="V20000002")
    # ``before`` as it was sealed while version 1 was the current key.
    runtime = platform.runtime("directory")
    previous = DirectorySettings(passport_keys=json.dumps({"1": old_key}), passport_key_version=1,
                                 passport_hash_key=hash_key).passport_vault()
    sealed = previous.seal("V10000001")
    async with runtime.db.session() as session:
        await session.execute(sa.update(experts).where(experts.c.id == uuid.UUID(before["id"])).values(
            passport_ciphertext=sealed.ciphertext, passport_key_version=1, passport_hash=sealed.lookup_hash))
        await session.commit()
        versions = dict((await session.execute(sa.select(experts.c.id, experts.c.passport_key_version))).all())
    assert {str(k): v for k, v in versions.items()} == {before["id"]: 1, after["id"]: 2}
    async with platform.client("directory", OFFICER) as client:
        read = {e["id"]: e["passport_number"] for e in (await client.get(f"{BASE}/experts")).json()["items"]}
    assert read == {before["id"]: "V10000001", after["id"]: "V20000002"}
