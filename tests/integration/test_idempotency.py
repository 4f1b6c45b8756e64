"""Idempotency-Key on creating POSTs (shared/idempotency.py), on both run modes: one effect per key and request,
the first response replayed, another request under the key 422, a request in flight 409, keys expiring, and a
request that failed leaving its key free. Catalogue editions (directory), draft applications (intake) and
disbursements (subsidy) are the creating POSTs exercised."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import sqlalchemy as sa

from services.directory.catalogue import handlers as directory_handlers
from services.directory.models import catalogue_editions
from services.intake.models import applications
from services.subsidy.models import disbursements
from shared import idempotency
from shared.uow import UnitOfWork
from tests.support import data
from tests.support.finance import finance_simulator
from tests.support.selection import OFFICER, employer_auth, published_entry, registered_employer
from tests.support.subsidy import FAST_SENDER, granted_entitlement
from tests.support.tokens import auth

PROBLEM = "application/problem+json"
EDITIONS = "/directory/v1/catalogue-editions"


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def edition_body(title: str = "Introduction catalogue 2024") -> bytes:
    """A fixed byte string, so a test can fingerprint exactly what it sends."""
    return json.dumps(data.catalogue_edition(title=title)).encode()


JSON = {"Content-Type": "application/json"}


@contextlib.asynccontextmanager
async def client(platform, service: str, headers: dict):
    """Like ``platform.client``, but a 500 is an answer to look at rather than an exception in the test."""
    transport = httpx.ASGITransport(app=platform.apps[service], raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://platform.test", headers=headers) as c:
        yield c


def store(platform, service: str) -> idempotency.IdempotencyStore:
    return platform.apps[service].state.idempotency


def shift_clock(platform, service: str, by: timedelta) -> None:
    store(platform, service).clock = lambda: datetime.now(UTC) + by


async def editions(platform) -> int:
    return await platform.count("directory", catalogue_editions)


async def keys_stored(platform, service: str) -> list:
    runtime = platform.runtime(service)
    async with runtime.db.session() as session:
        return (await session.execute(sa.select(runtime.tables.idempotency_keys))).all()


def same_response(first: httpx.Response, again: httpx.Response) -> None:
    assert again.status_code == first.status_code
    assert again.content == first.content
    for name in ("Location", "ETag", "Content-Type", "Cache-Control"):
        assert again.headers.get(name) == first.headers.get(name), name
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers


def names_the_header(response: httpx.Response, status: int, slug: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert body["type"].endswith(slug) and body["status"] == status
    assert [e["field"] for e in body["errors"]] == ["Idempotency-Key"]
    return body


async def test_a_catalogue_edition_posted_twice_with_one_key_is_drafted_once_and_answered_alike(platform):
    await platform.start()
    headers = {**key(), **JSON}
    async with platform.client("directory", OFFICER) as c:
        first = await c.post(EDITIONS, content=edition_body(), headers=headers)
        assert first.status_code == 201, first.text
        again = await c.post(EDITIONS, content=edition_body(), headers=headers)
        same_response(first, again)
        assert await editions(platform) == 1

        other = await c.post(EDITIONS, content=edition_body("Another catalogue"), headers=headers)
        names_the_header(other, 422, "idempotency-key-reused")
        elsewhere = await c.post(f"{EDITIONS}?x=1", content=edition_body(), headers=headers)
        names_the_header(elsewhere, 422, "idempotency-key-reused")
        assert await editions(platform) == 1

        # Without a key, two POSTs are two editions (the key is what makes the second a repetition).
        assert (await c.post(EDITIONS, content=edition_body(), headers=JSON)).status_code == 201
        assert (await c.post(EDITIONS, content=edition_body(), headers=JSON)).status_code == 201
        assert await editions(platform) == 3

    # Keys belong to the caller: another officer's request under the same key is a request of its own.
    async with platform.client("directory", auth("bureau_officer", subject="another-officer")) as c:
        theirs = await c.post(EDITIONS, content=edition_body(), headers=headers)
        assert theirs.status_code == 201 and "Idempotent-Replayed" not in theirs.headers
        assert theirs.json()["id"] != first.json()["id"]
    assert await editions(platform) == 4


async def test_a_draft_application_sent_twice_with_one_key_is_one_application_and_the_stored_reply_is_sealed(platform):
    """R-APPLY: on PostgreSQL the draft is one statement without a transaction; under a key it gets one."""
    await platform.start()
    employer = await registered_employer(platform)
    entry = await published_entry(platform)
    headers = key()
    body = data.application(entry["id"])
    async with platform.client("intake", employer_auth(employer)) as c:
        first = await c.post("/intake/v1/applications", json=body, headers=headers)
        assert first.status_code == 201, first.text
        again = await c.post("/intake/v1/applications", json=body, headers=headers)
    same_response(first, again)
    assert first.headers["ETag"] == '"1"' and first.headers["Location"].endswith(first.json()["id"])
    assert await platform.count("intake", applications) == 1
    assert await platform.count("intake", "audit_log", sa.column("action") == "draft_application") == 1

    # The reply carries the passport number: the stored row holds neither it nor the key in clear.
    [row] = await keys_stored(platform, "intake")
    assert row.state == "completed" and row.response_status == 201
    stored = repr(tuple(row)).encode() + bytes(row.response)
    assert body["candidate"]["passport_number"].encode() not in stored
    assert headers["Idempotency-Key"].encode() not in stored


async def test_the_same_disbursement_sent_twice_with_one_key_pays_once_and_replays_the_first_answer(platform):
    """R-SUB: a client's retry after a lost response does not instruct finance twice."""
    await platform.start(settings={"subsidy": FAST_SENDER})
    entitlement = await granted_entitlement(platform)
    url = f"/subsidy/v1/entitlements/{entitlement['id']}/disbursements"
    headers = key()
    async with finance_simulator(platform, latency_seconds=0, callbacks_enabled=False, settle_delay_seconds=0.01):
        async with platform.client("subsidy", OFFICER) as c:
            first = await c.post(url, json={"funding_year": 2024, "amount": "1000.00"}, headers=headers)
            assert first.status_code == 201, first.text
            again = await c.post(url, json={"funding_year": 2024, "amount": "1000.00"}, headers=headers)
            other = await c.post(url, json={"funding_year": 2024, "amount": "2000.00"}, headers=headers)
    same_response(first, again)
    assert first.headers["Location"] == f"/subsidy/v1/disbursements/{first.json()['id']}"
    names_the_header(other, 422, "idempotency-key-reused")
    assert await platform.count("subsidy", disbursements) == 1


async def test_a_request_still_in_flight_answers_409_and_then_its_first_response_replays(platform, monkeypatch):
    await platform.start()
    entered, release = asyncio.Event(), asyncio.Event()
    create = directory_handlers.create_catalogue_edition

    async def held(*args, **kwargs):
        entered.set()
        await release.wait()
        return await create(*args, **kwargs)

    monkeypatch.setattr(directory_handlers, "create_catalogue_edition", held)
    headers = {**key(), **JSON}
    async with platform.client("directory", OFFICER) as c:
        first = asyncio.create_task(c.post(EDITIONS, content=edition_body(), headers=headers))
        await asyncio.wait_for(entered.wait(), 10)
        busy = await c.post(EDITIONS, content=edition_body(), headers=headers)
        assert busy.headers["Retry-After"] == "1"
        names_the_header(busy, 409, "idempotency-key-in-flight")
        names_the_header(await c.post(EDITIONS, content=edition_body("Other"), headers=headers), 422,
                         "idempotency-key-reused")
        assert await editions(platform) == 0
        release.set()
        done = await asyncio.wait_for(first, 10)
        assert done.status_code == 201, done.text
        same_response(done, await c.post(EDITIONS, content=edition_body(), headers=headers))
    assert await editions(platform) == 1


async def test_a_request_that_outlived_its_lease_cannot_commit_once_a_repetition_holds_its_key(platform, monkeypatch):
    await platform.start()
    entered, release = asyncio.Event(), asyncio.Event()
    create = directory_handlers.create_catalogue_edition
    calls = []

    async def first_held(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            entered.set()
            await release.wait()
        return await create(*args, **kwargs)

    monkeypatch.setattr(directory_handlers, "create_catalogue_edition", first_held)
    headers = {**key(), **JSON}
    lease = platform.settings["directory"].idempotency_lease_seconds
    async with platform.client("directory", OFFICER) as c:
        slow = asyncio.create_task(c.post(EDITIONS, content=edition_body(), headers=headers))
        await asyncio.wait_for(entered.wait(), 10)
        shift_clock(platform, "directory", timedelta(seconds=lease + 1))  # the slow request's lease is over
        retry = await c.post(EDITIONS, content=edition_body(), headers=headers)
        assert retry.status_code == 201, retry.text
        release.set()
        late = await asyncio.wait_for(slow, 10)
    names_the_header(late, 409, "idempotency-key-taken-over")
    assert await editions(platform) == 1, "the slow request's edition was rolled back with its refused key"


async def test_an_expired_key_no_longer_replays_and_is_purged(platform):
    await platform.start()
    headers = {**key(), **JSON}
    ttl = platform.settings["directory"].idempotency_key_ttl_seconds
    async with platform.client("directory", OFFICER) as c:
        first = await c.post(EDITIONS, content=edition_body(), headers=headers)
        assert first.status_code == 201, first.text
        shift_clock(platform, "directory", timedelta(seconds=ttl // 2))
        same_response(first, await c.post(EDITIONS, content=edition_body(), headers=headers))

        # Expired, and a minute on (the purge runs at most once a minute per process): another key's claim
        # purges the row.
        shift_clock(platform, "directory", timedelta(seconds=ttl + idempotency.PURGE_EVERY_SECONDS))
        assert (await c.post(EDITIONS, content=edition_body("Other"), headers={**key(), **JSON})).status_code == 201
        assert len(await keys_stored(platform, "directory")) == 1
        after = await c.post(EDITIONS, content=edition_body("Something else"), headers=headers)
        assert after.status_code == 201 and "Idempotent-Replayed" not in after.headers
        assert after.json()["id"] != first.json()["id"]
    assert await editions(platform) == 3


async def test_a_request_that_failed_leaves_its_key_free(platform, monkeypatch):
    await platform.start()
    headers = {**key(), **JSON}
    commit = UnitOfWork.commit
    failures = []

    async def fails_once_under_a_key(self):
        if idempotency.current_claim() is not None and not failures:
            failures.append(1)  # the edition is written in this unit; its commit never comes
            raise RuntimeError("the database went away before the commit")
        return await commit(self)

    monkeypatch.setattr(UnitOfWork, "commit", fails_once_under_a_key)
    async with client(platform, "directory", OFFICER) as c:
        invalid = await c.post(EDITIONS, json={"title": "no dates"}, headers=headers)
        assert invalid.status_code == 422 and invalid.json()["type"].endswith("validation")
        refused = await c.post(f"{EDITIONS}/{uuid.uuid4()}/entries", json=data.catalogue_entry(), headers=headers)
        assert refused.status_code in (404, 409), refused.text
        failed = await c.post(EDITIONS, content=edition_body(), headers=headers)
        assert failed.status_code == 500 and failures == [1]
        assert await editions(platform) == 0 and await keys_stored(platform, "directory") == []

        done = await c.post(EDITIONS, content=edition_body(), headers=headers)
        assert done.status_code == 201 and "Idempotent-Replayed" not in done.headers, done.text
        same_response(done, await c.post(EDITIONS, content=edition_body(), headers=headers))
    assert await editions(platform) == 1


async def test_a_commit_whose_response_was_never_recorded_is_not_repeated(platform, monkeypatch):
    """A crash between the commit and recording the response: the change stays single, the retry is told so."""
    await platform.start()
    headers = {**key(), **JSON}

    async def lost(*args, **kwargs):
        raise ConnectionError("the process died here")

    monkeypatch.setattr(store(platform, "directory"), "complete", lost)
    lease = platform.settings["directory"].idempotency_lease_seconds
    async with platform.client("directory", OFFICER) as c:
        first = await c.post(EDITIONS, content=edition_body(), headers=headers)
        assert first.status_code == 201, first.text
        names_the_header(await c.post(EDITIONS, content=edition_body(), headers=headers), 409,
                         "idempotency-key-in-flight")
        shift_clock(platform, "directory", timedelta(seconds=lease + 1))
        names_the_header(await c.post(EDITIONS, content=edition_body(), headers=headers), 409,
                         "idempotency-key-outcome-unknown")
    assert await editions(platform) == 1
    [row] = await keys_stored(platform, "directory")
    assert row.state == "committed" and row.response is None


async def test_a_request_that_died_before_committing_frees_its_key_after_the_lease(platform):
    await platform.start()
    raw = str(uuid.uuid4())
    body = edition_body()
    principal = platform.runtime("directory").verifier.verify(OFFICER["Authorization"].split()[1])
    scope = idempotency.caller_scope(principal.subject, principal.organisation)
    # A claim taken and never settled: the request's process was killed in its handler.
    claim = await store(platform, "directory").claim(scope, raw, idempotency.fingerprint(raw, "POST", EDITIONS, body))
    assert isinstance(claim, idempotency.Claim)
    headers = {"Idempotency-Key": raw, **JSON}
    async with platform.client("directory", OFFICER) as c:
        names_the_header(await c.post(EDITIONS, content=body, headers=headers), 409, "idempotency-key-in-flight")
        lease = platform.settings["directory"].idempotency_lease_seconds
        shift_clock(platform, "directory", timedelta(seconds=lease + 1))
        retried = await c.post(EDITIONS, content=body, headers=headers)
    assert retried.status_code == 201, retried.text
    assert await editions(platform) == 1


async def test_a_malformed_key_is_400_naming_the_header_and_changes_nothing(platform):
    await platform.start()
    malformed = [b"", b" ", b"k" * 256, b"bad\x01key", b'"unterminated', "caf\u00e9".encode(), b'"a"b"']
    async with platform.client("directory", OFFICER) as c:
        for value in malformed:
            response = await c.post(EDITIONS, content=edition_body(),
                                    headers=[("Idempotency-Key", value), *JSON.items()])
            names_the_header(response, 400, "idempotency-key-malformed")
        twice = await c.post(EDITIONS, content=edition_body(),
                             headers=[("Idempotency-Key", b"a"), ("Idempotency-Key", b"b"), *JSON.items()])
        names_the_header(twice, 400, "idempotency-key-malformed")
        # The longest key there may be, and the draft's quoted form, are keys.
        assert (await c.post(EDITIONS, content=edition_body(), headers={"Idempotency-Key": "k" * 255, **JSON})
                ).status_code == 201
    assert await editions(platform) == 1 and await keys_stored(platform, "directory") != []


async def test_without_a_valid_token_the_key_changes_nothing_and_authentication_comes_first(platform):
    await platform.start()
    async with platform.client("directory") as c:
        for headers in ({**key(), **JSON}, {"Idempotency-Key": "", **JSON}):
            response = await c.post(EDITIONS, content=edition_body(), headers=headers)
            assert response.status_code == 401, response.text
    assert await keys_stored(platform, "directory") == []


async def test_eight_simultaneous_posts_under_one_key_make_one_edition(platform):
    """The claim is atomic on both databases: one of eight carries the change, the others wait their turn (409)
    or replay it."""
    await platform.start()
    headers = {**key(), **JSON}
    async with platform.client("directory", OFFICER) as c:
        answers = await asyncio.gather(*(c.post(EDITIONS, content=edition_body(), headers=headers) for _ in range(8)))
        fresh = [a for a in answers if a.status_code == 201 and "Idempotent-Replayed" not in a.headers]
        assert len(fresh) == 1, [a.status_code for a in answers]
        for answer in answers:
            if answer is not fresh[0]:
                if answer.status_code == 409:
                    names_the_header(answer, 409, "idempotency-key-in-flight")
                else:
                    same_response(fresh[0], answer)
        same_response(fresh[0], await c.post(EDITIONS, content=edition_body(), headers=headers))
    assert await editions(platform) == 1
