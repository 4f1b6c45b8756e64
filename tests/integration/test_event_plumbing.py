"""The event plumbing end to end, in-process: embedded (SQLite + embedded bus) and real (PostgreSQL + RabbitMQ)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from services.directory.models import employers
from services.intake.models import employer_replica
from shared.events import CloudEvent
from shared.events.directory import EmployerRegistered
from tests.support.data import employer
from tests.support.events import employer_registered, envelope_of
from tests.support.platform import eventually
from tests.support.tokens import auth

OFFICER = auth("bureau_officer")
ADMIN = auth("admin")


async def register(platform, body=None, headers=None):
    async with platform.client("directory", {**OFFICER, **(headers or {})}) as client:
        response = await client.post("/directory/v1/employers", json=body or employer())
    assert response.status_code == 201, response.text
    return response


async def replicated(platform, employer_id) -> bool:
    async with platform.client("intake", OFFICER) as client:
        return (await client.get(f"/intake/v1/employers/{employer_id}")).status_code == 200


async def test_registered_employer_reaches_intake_replica(platform):
    await platform.start()
    body = employer(name="Haidian Photonics")
    created = (await register(platform, body)).json()

    await eventually(lambda: replicated(platform, created["id"]), message="employer in intake's replica")
    async with platform.client("intake", OFFICER) as client:
        replica = (await client.get(f"/intake/v1/employers/{created['id']}")).json()
    assert replica["name"] == "Haidian Photonics"
    assert replica["district"] == body["district"]
    assert replica["credit_code"] == body["credit_code"]
    async with platform.client("directory", OFFICER) as client:
        listed = (await client.get("/directory/v1/employers")).json()
    assert [e["id"] for e in listed["items"]] == [created["id"]]


async def test_duplicate_delivery_has_one_effect(platform):
    """The relay publishes a row twice (as after a crash between confirm and mark-sent): one effect."""
    await platform.start()
    created = (await register(platform)).json()
    await eventually(lambda: replicated(platform, created["id"]), message="first delivery applied")

    directory = platform.runtime("directory")
    async with directory.db.session() as session, session.begin():
        await session.execute(sa.update(directory.tables.outbox).values(sent_at=None))
    directory.relay.wake()
    intake = platform.runtime("intake")
    handled = intake.metrics.events_handled
    await eventually(lambda: handled.labels("intake", "duplicate")._value.get() >= 1, message="duplicate seen")

    assert handled.labels("intake", "applied")._value.get() == 1
    assert await platform.count("intake", employer_replica) == 1
    assert await platform.count("intake", intake.tables.inbox) == 1


async def test_message_published_before_its_consumer_ever_started_is_not_lost(platform):
    await platform.start(consumers={"intake": False})
    created = (await register(platform)).json()
    directory = platform.runtime("directory")
    await eventually(lambda: _backlog_is(directory, 0), message="the event published to the bus")
    assert not await replicated(platform, created["id"])

    await platform.start_consumer("intake")
    await eventually(lambda: replicated(platform, created["id"]), message="employer replicated after consumer start")


async def _backlog_is(runtime, n):
    return await runtime.relay.backlog() == n


async def test_poison_message_is_parked_and_replayed_while_good_messages_flow(platform):
    await platform.start()
    intake = platform.runtime("intake")
    original = intake.consumer.handlers[EmployerRegistered]
    faulty = {"Poison Ltd"}
    attempts = {"poison": 0}

    async def flaky(event, envelope, uow):
        # The handler fails for one employer until the fault is repaired (a bad deploy, a bug).
        if event.name in faulty:
            attempts["poison"] += 1
            raise RuntimeError("cannot handle this employer yet")
        await original(event, envelope, uow)

    intake.consumer.handlers[EmployerRegistered] = flaky
    poison = employer(name="Poison Ltd")
    before = (await register(platform)).json()
    created = (await register(platform, poison)).json()
    after = (await register(platform)).json()

    for good in (before, after):
        await eventually(lambda g=good: replicated(platform, g["id"]), message="good messages still flow")

    async def parked_ids():
        async with platform.client("intake", ADMIN) as client:
            response = await client.get("/intake/v1/admin/parked-messages")
        assert response.status_code == 200, response.text
        return [m for m in response.json() if created["id"] in m["body"]]

    parked = await eventually(parked_ids, timeout=30, message="poison parked after the delivery limit")
    # First delivery + the limit; on RabbitMQ a delivery that arrived in a batch with others runs once
    # in the batch and once on its own (the batch is undone), so at least that many.
    assert attempts["poison"] >= platform.settings["intake"].delivery_limit + 1, "first delivery + the limit"
    assert not await replicated(platform, created["id"])

    faulty.clear()  # the fault is repaired
    async with platform.client("intake", ADMIN) as client:
        response = await client.post(
            "/intake/v1/admin/parked-messages/replay", json={"message_ids": [parked[0]["message_id"]]}
        )
    assert response.status_code == 200, response.text
    assert response.json() == {"replayed": 1}
    await eventually(lambda: replicated(platform, created["id"]), message="replayed message applied")
    assert await parked_ids() == []


async def test_request_id_travels_from_http_into_the_event_and_the_audit_trail(platform):
    await platform.start()
    response = await register(platform, headers={"X-Request-ID": "req-4711"})
    assert response.headers["x-request-id"] == "req-4711"
    employer_id = response.json()["id"]
    directory = platform.runtime("directory")
    async with directory.db.session() as session:
        payload = (await session.execute(sa.select(directory.tables.outbox.c.payload))).scalar_one()
        audit = (await session.execute(sa.select(directory.tables.audit_log))).one()
    envelope = CloudEvent.model_validate_json(payload)
    assert envelope.correlationid == "req-4711"
    assert envelope.source == "/services/directory"
    assert envelope.subject == f"employers/{employer_id}"
    assert (audit.request_id, audit.actor, audit.action, audit.object_id) == (
        "req-4711", "test-bureau_officer", "register_employer", employer_id
    )
    async with platform.client("directory", ADMIN) as client:
        trail = (await client.get("/directory/v1/admin/audit", params={"object_id": employer_id})).json()
    assert [r["action"] for r in trail["items"]] == ["register_employer"]


async def test_audit_log_is_append_only(platform):
    await platform.start()
    await register(platform)
    directory = platform.runtime("directory")
    for statement in (sa.update(directory.tables.audit_log).values(actor="someone else"),
                      sa.delete(directory.tables.audit_log)):
        with pytest.raises(Exception, match="append-only"):
            async with directory.db.session() as session, session.begin():
                await session.execute(statement)
    assert await platform.count("directory", directory.tables.audit_log) == 1


async def _write_through(uow, name: str) -> None:
    """Write real rows through the unit's session: an employer, its audit record and its outbox row,
    and leave an event and an audit record for the unit to write at commit."""
    employer_id = uuid.uuid4()
    event = employer_registered(
        employer_id=employer_id, name=name, credit_code=uuid.uuid4().hex[:18].upper(), district="haidian",
        municipal_state_owned=False, registered_at=datetime.now(UTC),
    )
    await uow.session.execute(sa.insert(employers).values(
        id=employer_id, name=name, credit_code=event.credit_code, district=event.district,
        municipal_state_owned=False, registered_at=event.registered_at, registered_by="test",
    ))
    await uow.session.execute(uow.tables.insert_audit, [uow.audit("written", stored=True)])
    envelope = envelope_of(event)
    await uow.session.execute(uow.tables.insert_outbox, [{
        "event_id": str(envelope.id), "event_type": envelope.type, "routing_key": envelope.routing_key(),
        "payload": envelope.to_bytes().decode(), "created_at": datetime.now(UTC), "attempts": 0,
    }])
    uow.publish(event)
    uow.audit("nothing")
    # The rows are there inside the unit's transaction ...
    for table in (employers, uow.tables.audit_log, uow.tables.outbox):
        assert (await uow.session.execute(sa.select(sa.func.count()).select_from(table))).scalar_one() == 1


async def test_unit_of_work_rolls_back_unless_committed(platform):
    await platform.start()
    directory = platform.runtime("directory")
    async with directory.uow() as uow:
        await _write_through(uow, "Never")
    # ... and gone once it is left without commit, seen from a fresh session.
    assert await platform.count("directory", directory.tables.outbox) == 0
    assert await platform.count("directory", directory.tables.audit_log) == 0
    assert await platform.count("directory", employers) == 0

    with pytest.raises(RuntimeError, match="handler failed"):
        async with directory.uow() as uow:
            await _write_through(uow, "Never either")
            raise RuntimeError("handler failed")
    assert await platform.count("directory", directory.tables.outbox) == 0
    assert await platform.count("directory", directory.tables.audit_log) == 0
    assert await platform.count("directory", employers) == 0


async def test_readyz_reports_database_and_bus(platform):
    await platform.start()
    for service in ("intake", "review", "subsidy", "permits", "directory"):
        async with platform.client(service) as client:
            ready = await client.get(f"/{service}/readyz")
            metrics = await client.get(f"/{service}/metrics")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"] == {"database": "ok", "bus": "ok"}
        assert "outbox_backlog" in metrics.text
        lines = metrics.text.splitlines()
        labels = (f'service="{service}"', 'method="GET"', f'route="/{service}/readyz"')
        assert [line.rsplit(" ", 1)[1] for line in lines if line.startswith("http_requests_total{")
                and all(label in line for label in (*labels, 'status="200"'))] == ["1.0"]
        assert [line.rsplit(" ", 1)[1] for line in lines if line.startswith("http_request_duration_seconds_count{")
                and all(label in line for label in labels)] == ["1.0"]


async def test_replaying_parked_messages_is_itself_audited(platform):
    await platform.start()
    async with platform.client("intake", ADMIN) as client:
        response = await client.post("/intake/v1/admin/parked-messages/replay", json={})
        trail = (await client.get("/intake/v1/admin/audit")).json()
    assert response.json() == {"replayed": 0}
    assert [(r["action"], r["actor"]) for r in trail["items"]] == [("replay_parked_messages", "test-admin")]


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
async def test_a_state_changing_request_is_audited_even_when_its_handler_names_no_action(platform):
    from shared import context

    await platform.start()
    directory = platform.runtime("directory")
    token = context.bind(context.ActionContext(request_id="r-1", method="PATCH", path="/directory/v1/x"))
    try:
        async with directory.uow() as uow:
            await uow.commit()
    finally:
        context.reset(token)
    async with directory.db.session() as session:
        rows = (await session.execute(sa.select(directory.tables.audit_log))).all()
    assert [(r.action, r.request_id) for r in rows] == [("PATCH /directory/v1/x", "r-1")]


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
async def test_an_audit_record_the_handler_stores_itself_is_neither_written_twice_nor_replaced(platform):
    """``uow.audit(..., stored=True)`` hands the record back for the handler's own statement: the unit writes
    nothing more at commit, not even the generic record of a state-changing request."""
    from shared import context

    await platform.start()
    directory = platform.runtime("directory")
    token = context.bind(context.ActionContext(request_id="r-2", method="POST", path="/directory/v1/x"))
    try:
        async with directory.uow() as uow:
            record = uow.audit("stored_by_handler", object_type="thing", object_id=7, stored=True)
            await uow.session.execute(directory.tables.insert_audit, record)
            await uow.commit()
    finally:
        context.reset(token)
    async with directory.db.session() as session:
        rows = (await session.execute(sa.select(directory.tables.audit_log))).all()
    assert [(r.action, r.object_id, r.request_id) for r in rows] == [("stored_by_handler", "7", "r-2")]


async def in_database_transaction(uow) -> bool:
    return (await uow.session.get_raw_connection()).driver_connection.is_in_transaction()


@pytest.mark.postgres
@pytest.mark.parametrize("platform", ["real"], indirect=True)
async def test_a_single_statement_unit_of_work_commits_its_statement_alone_and_refuses_leftovers(platform):
    """PostgreSQL: no BEGIN, the statement is its own transaction; whatever the handler left for commit to
    write (an audit record not stored, an event) is refused rather than written outside that transaction."""
    from shared import context

    await platform.start()
    directory = platform.runtime("directory")
    audit_log = directory.tables.audit_log
    token = context.bind(context.ActionContext(request_id="r-3", method="POST", path="/directory/v1/x"))
    try:
        async with directory.uow(single_statement=True) as uow:
            record = uow.audit("in_the_statement", stored=True)
            await uow.session.execute(directory.tables.insert_audit, record)
            assert not await in_database_transaction(uow)  # autocommit: the statement committed alone
            await uow.commit()
        with pytest.raises(RuntimeError, match="single-statement"):
            async with directory.uow(single_statement=True) as uow:
                uow.audit("left_for_commit")
                await uow.commit()
        with pytest.raises(RuntimeError, match="single-statement"):
            async with directory.uow(single_statement=True) as uow:  # not even the generic record
                await uow.commit()
        async with directory.uow() as uow:  # the pool's next connection is transactional again
            await uow.session.execute(directory.tables.insert_audit, uow.audit("rolled_back", stored=True))
            assert await in_database_transaction(uow)
    finally:
        context.reset(token)
    async with directory.db.session() as session:
        rows = (await session.execute(sa.select(audit_log.c.action))).scalars().all()
    assert rows == ["in_the_statement"]


async def test_employer_registry_pages_through_every_employer_once(platform):
    await platform.start()
    created = {(await register(platform)).json()["id"] for _ in range(5)}
    seen, cursor = [], None
    async with platform.client("directory", OFFICER) as client:
        while True:
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            page = (await client.get("/directory/v1/employers", params=params)).json()
            seen += [e["id"] for e in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        bad = await client.get("/directory/v1/employers", params={"cursor": "bm9wZQ"})
    assert sorted(seen) == sorted(created) and len(seen) == 5
    assert bad.status_code == 422 and bad.json()["field"] == "cursor"


@pytest.mark.parametrize("platform", [pytest.param("real", marks=[pytest.mark.postgres, pytest.mark.rabbit])],
                         indirect=True)
async def test_a_backlog_is_handled_in_batches_and_one_poison_event_spoils_none_of_the_others(platform):
    """RabbitMQ: deliveries already received share one transaction; a failing one is undone with its batch,
    the others run again singly and take effect once; duplicates in a batch count once."""
    await platform.start(consumers={"intake": False})
    intake = platform.runtime("intake")
    original = intake.consumer.handlers[EmployerRegistered]

    async def poisoned(event, envelope, uow):
        if event.name == "Poison Ltd":
            raise RuntimeError("cannot handle this employer")
        await original(event, envelope, uow)

    intake.consumer.handlers[EmployerRegistered] = poisoned
    sizes: list[int] = []
    handle_batch = intake.consumer.handle_batch

    async def recording(deliveries):
        sizes.append(len(deliveries))
        return await handle_batch(deliveries)

    intake.consumer.handle_batch = recording
    now = datetime.now(UTC)
    events = [employer_registered(employer_id=uuid.uuid4(), registered_at=now,
                                 **employer(name="Poison Ltd" if i == 20 else f"Employer {i}")) for i in range(60)]
    envelopes = [envelope_of(e) for e in events]
    for envelope in envelopes + envelopes[:5]:  # the first five twice
        await platform.bus.publish(envelope.routing_key(), envelope.to_bytes(), message_id=str(envelope.id))

    await platform.start_consumer("intake")
    await eventually(lambda: _count_is(platform, 59),
                     timeout=30, message="the 59 good employers replicated")
    assert max(sizes) > 1, sizes
    parked = await eventually(lambda: intake.bus.parked("intake"), timeout=30, message="the poison event parked")
    assert [m.message_id for m in parked] == [str(envelopes[20].id)]
    assert await platform.count("intake", employer_replica) == 59
    assert await platform.count("intake", intake.tables.inbox) == 59
    handled = intake.metrics.events_handled
    assert handled.labels("intake", "applied")._value.get() == 59


async def _count_is(platform, n):
    return await platform.count("intake", employer_replica) == n
