"""``Idempotency-Key`` (IETF draft-ietf-httpapi-idempotency-key-header) on every authenticated POST.

A client that may repeat a POST (a retry after a lost response, a double click) sends a unique key with it;
the service carries the request out once, and answers a repetition with the first response.

- **Scope.** A key belongs to the caller: the bearer token's subject and organisation. Two callers may use the
  same key without meeting. A POST without a valid token is not covered (it is answered 401, or it is the
  finance callback, signed and made harmless to repeat by its own notification id): the header is ignored.
- **Claim.** Before the handler runs, a short transaction of its own claims ``(scope, key)``: a row in flight
  under a lease, with a keyed hash of the request (method, path and query, body). A row already there answers
  instead: another request under the same key, 422; the first request still in flight, 409 (``Retry-After``);
  completed, its response replayed (status, body, ``Location``, ``ETag`` and the other headers, plus
  ``Idempotent-Replayed: true``).
- **Effect.** The handler's unit of work, at commit, marks the row *committed* in the same transaction as the
  change (``UnitOfWork.commit`` calls :meth:`Claim.record_effect`): the change is stored if and only if the key
  is. A request that outlived its lease and lost its key to a retry fails that commit (409) rather than doing
  the change a second time.
- **Outcome.** The response is recorded before it is sent, so whoever has seen it can replay it. A request that
  committed nothing (refused, failed, or nothing to change) releases its key: the client may send it again.
- **Crash after commit.** If the process dies between the commit and recording the response (or the request
  fails with a 5xx after committing), the row stays *committed* without a response: once its lease is over a
  retry is answered 409 ``idempotency-key-outcome-unknown`` until the key expires. The change is not made
  twice; the client reads what the first request created rather than repeating it under a new key.
- **Expiry.** A key holds for ``idempotency_key_ttl_seconds`` (24 h); an expired row is treated as absent
  (claimed afresh) and purged by range from the claim path, at most once a minute per process.
- **At rest.** The database holds no key and no request in clear: a hash of the key, an HMAC of the request
  under the key, and the response sealed with AES-GCM under a key derived from the client's key (a response may
  carry a passport number). Without the client's key, a copy of the database cannot read a stored response.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import hmac
import json
import logging
import os
import uuid
from base64 import b64decode, b64encode
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import Database, dialect_insert
from shared.errors import Conflict, problem

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
PURGE_EVERY_SECONDS = 60.0
_NONCE_BYTES = 12
_AAD = b"idempotency-response/v1"

# Headers of the first response that a replay does not repeat: per connection, or recomputed.
_NOT_REPLAYED = frozenset({
    b"content-length", b"transfer-encoding", b"connection", b"keep-alive", b"date", b"server", b"x-request-id",
    b"set-cookie",
})


class KeyState(StrEnum):
    in_flight = "in_flight"
    """Claimed by a request that has not committed a change yet."""
    committed = "committed"
    """The request's change is committed with the key; its response is not recorded (yet)."""
    completed = "completed"
    """The first response is recorded: a repetition replays it."""


class MalformedKey(ValueError):
    """The header's value is not a key: the message says why."""


def parse_key(values: list[bytes]) -> str:
    """The key of an ``Idempotency-Key`` header: an sf-string (``"..."``, as the draft writes it) or the bare
    value most clients send; 1 to 255 printable ASCII characters, one header."""
    if len(values) != 1:
        raise MalformedKey(f"send one {HEADER} header, not {len(values)}")
    raw = values[0]
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        raise MalformedKey("the key must be printable ASCII") from None
    text = text.strip(" \t")
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        text = _unquote(text[1:-1])
    elif text.startswith('"') or text.endswith('"'):
        raise MalformedKey("a quoted key must be quoted at both ends")
    if not text:
        raise MalformedKey("the key is empty")
    if len(text) > MAX_KEY_LENGTH:
        raise MalformedKey(f"the key is longer than {MAX_KEY_LENGTH} characters")
    if any(not (0x20 <= ord(c) <= 0x7E) for c in text):
        raise MalformedKey("the key must be printable ASCII (no control characters)")
    return text


def _unquote(inner: str) -> str:
    """The content of an RFC 8941 string: ``\\"`` and ``\\\\`` escapes, nothing else escaped, no bare quote."""
    out, escaped = [], False
    for c in inner:
        if escaped:
            if c not in '"\\':
                raise MalformedKey("a quoted key may escape only '\"' and '\\'")
            out.append(c)
            escaped = False
        elif c == "\\":
            escaped = True
        elif c == '"':
            raise MalformedKey("a quoted key has an unescaped '\"' inside")
        else:
            out.append(c)
    if escaped:
        raise MalformedKey("a quoted key ends in a lone '\\'")
    return "".join(out)


def caller_scope(subject: str, organisation: str | None) -> str:
    """Whose keys these are: the token's subject and the organisation it acts for (hashed: fixed length)."""
    return hashlib.sha256(f"{subject}\x00{organisation or ''}".encode()).hexdigest()


def key_hash(key: str) -> str:
    return hashlib.sha256(b"idempotency-key\x00" + key.encode()).hexdigest()


def fingerprint(key: str, method: str, target: str, body: bytes) -> str:
    """The request a key was first used with, keyed by the key: no dictionary attack on a stored body."""
    mac = hmac.new(key.encode(), digestmod="sha256")
    mac.update(f"{method}\n{target}\n".encode())
    mac.update(body)
    return mac.hexdigest()


def _cipher(key: str, scope: str) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=scope.encode(), info=_AAD).derive(key.encode())
    return AESGCM(derived)


def seal_response(key: str, scope: str, headers: list[tuple[bytes, bytes]], body: bytes) -> bytes:
    document = json.dumps({
        "headers": [[name.decode("latin-1"), value.decode("latin-1")] for name, value in headers],
        "body": b64encode(body).decode(),
    }).encode()
    nonce = os.urandom(_NONCE_BYTES)
    return nonce + _cipher(key, scope).encrypt(nonce, document, _AAD)


def open_response(key: str, scope: str, sealed: bytes) -> tuple[list[tuple[bytes, bytes]], bytes]:
    document = json.loads(_cipher(key, scope).decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], _AAD))
    headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in document["headers"]]
    return headers, b64decode(document["body"])


class KeyTakenOver(Conflict):
    """The request outlived its lease and a repetition holds the key now: its change must not be made too."""

    slug, title = "idempotency-key-taken-over", "Idempotency-Key taken over"


@dataclass(eq=False)
class Claim:
    """A request's hold on its key, carried to its units of work in a context variable."""

    store: "IdempotencyStore"
    scope: str
    key_hash: str
    token: str
    task: asyncio.Task | None
    effect_committed: bool = False
    """Set once a unit of work that recorded the effect has committed."""

    async def record_effect(self, session: AsyncConnection) -> None:
        """In the unit's transaction, just before it commits: the key now goes with the change."""
        table = self.store.table
        result = await session.execute(
            sa.update(table)
            .where(table.c.scope == self.scope, table.c.key_hash == self.key_hash, table.c.claim_token == self.token)
            .values(state=KeyState.committed.value)
        )
        if result.rowcount != 1:
            detail = (f"this request outlived its {HEADER} lease and a repetition holds the key now; "
                      "nothing was changed by it")
            raise KeyTakenOver(detail, errors=_key_error(detail, "idempotency_key_taken_over"))


_claim: contextvars.ContextVar[Claim | None] = contextvars.ContextVar("idempotency_claim", default=None)


def current_claim() -> Claim | None:
    """The claim of the request this task is serving, if it sent a key (never inherited by tasks it spawns)."""
    claim = _claim.get()
    if claim is None or claim.task is not asyncio.current_task():
        return None
    return claim


@dataclass(frozen=True)
class Stored:
    """A row found where a claim was tried."""

    state: KeyState
    fingerprint: str
    lease_alive: bool
    status: int | None
    response: bytes | None


@dataclass
class IdempotencyStore:
    """The service's ``idempotency_keys`` table: claim, record, release, purge."""

    db: Database
    table: sa.Table
    ttl_seconds: float
    lease_seconds: float
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    _last_purge: datetime | None = None

    async def claim(self, scope: str, key: str, fp: str) -> Claim | Stored:
        """Hold ``key`` for this request, or say what holds it (the existing row)."""
        now = self.clock()
        if self._last_purge is None or (now - self._last_purge).total_seconds() >= PURGE_EVERY_SECONDS:
            self._last_purge = now
            await self.purge_expired(now)
        table = self.table
        hashed = key_hash(key)
        token = uuid.uuid4().hex
        row = {
            "scope": scope, "key_hash": hashed, "fingerprint": fp, "state": KeyState.in_flight.value,
            "claim_token": token, "created_at": now, "lease_until": now + timedelta(seconds=self.lease_seconds),
            "expires_at": now + timedelta(seconds=self.ttl_seconds), "response_status": None, "response": None,
        }
        async with self.db.session() as session:
            await self.db.begin_write(session)
            insert = dialect_insert(session)(table).values(**row)
            # A row left by an expired key, or by a request that died before committing, is claimed afresh.
            # (PostgreSQL locks the conflicting row even when it is not updated: it cannot go before it is read.)
            statement = insert.on_conflict_do_update(
                index_elements=[table.c.scope, table.c.key_hash],
                set_={name: insert.excluded[name] for name in row if name not in ("scope", "key_hash")},
                where=sa.or_(
                    table.c.expires_at <= now,
                    sa.and_(table.c.state == KeyState.in_flight.value, table.c.lease_until <= now),
                ),
            ).returning(table.c.claim_token)
            claimed = (await session.execute(statement)).scalar()
            if claimed == token:
                await session.commit()
                return Claim(self, scope, hashed, token, asyncio.current_task())
            found = (await session.execute(
                sa.select(table.c.state, table.c.fingerprint, table.c.lease_until, table.c.response_status,
                          table.c.response)
                .where(table.c.scope == scope, table.c.key_hash == hashed)
            )).one()
            await session.commit()
        return Stored(state=KeyState(found.state), fingerprint=found.fingerprint,
                      lease_alive=_aware(found.lease_until) > now, status=found.response_status,
                      response=found.response)

    async def complete(self, claim: Claim, key: str, status: int, headers: list[tuple[bytes, bytes]],
                       body: bytes) -> None:
        """Record the first response of a request whose change is committed."""
        table = self.table
        sealed = seal_response(key, claim.scope, headers, body)
        async with self.db.session() as session:
            await self.db.begin_write(session)
            await session.execute(
                sa.update(table)
                .where(table.c.scope == claim.scope, table.c.key_hash == claim.key_hash,
                       table.c.claim_token == claim.token, table.c.state == KeyState.committed.value)
                .values(state=KeyState.completed.value, response_status=status, response=sealed)
            )
            await session.commit()

    async def release(self, claim: Claim) -> None:
        """Free the key of a request that committed nothing (only while the row still says so)."""
        table = self.table
        async with self.db.session() as session:
            await self.db.begin_write(session)
            await session.execute(
                sa.delete(table)
                .where(table.c.scope == claim.scope, table.c.key_hash == claim.key_hash,
                       table.c.claim_token == claim.token, table.c.state == KeyState.in_flight.value)
            )
            await session.commit()

    async def purge_expired(self, now: datetime | None = None) -> int:
        """Delete the rows of expired keys; returns how many."""
        now = now or self.clock()
        async with self.db.session() as session:
            await self.db.begin_write(session)
            result = await session.execute(sa.delete(self.table).where(self.table.c.expires_at <= now))
            await session.commit()
        return result.rowcount or 0


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _key_error(message: str, kind: str) -> list[dict[str, str]]:
    return [{"field": HEADER, "message": message, "type": kind}]


class IdempotencyMiddleware:
    """Pure ASGI, inside the request-context middleware: POSTs with a key and a valid token go through a claim."""

    def __init__(self, app, *, runtime: Any, store: IdempotencyStore) -> None:
        self.app = app
        self.runtime = runtime
        self.store = store

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if _claim.get() is None:
            return await self._serve(scope, receive, send)
        # A request served inside another (an in-process callback) starts with no claim: it must not record its
        # effect under the outer request's key.
        reset = _claim.set(None)
        try:
            return await self._serve(scope, receive, send)
        finally:
            _claim.reset(reset)

    async def _serve(self, scope, receive, send):
        if scope["method"] != "POST":
            return await self.app(scope, receive, send)
        keys, authorization = [], None
        for name, value in scope.get("headers") or ():
            if name == b"idempotency-key":
                keys.append(value)
            elif name == b"authorization":
                authorization = value
        if not keys:
            return await self.app(scope, receive, send)
        caller = self._caller(authorization)
        if caller is None:  # no valid token: the route says 401, or it is not a caller's request
            return await self.app(scope, receive, send)
        await self._idempotent(scope, receive, send, keys, caller)

    def _caller(self, authorization: bytes | None) -> str | None:
        if authorization is None:
            return None
        scheme, _, credentials = authorization.decode("latin-1").partition(" ")
        if scheme.lower() != "bearer" or not credentials.strip():
            return None
        try:
            principal = self.runtime.verifier.verify(credentials.strip())
        except Exception:  # invalid, expired, unknown key: the route's own check answers
            return None
        return caller_scope(principal.subject, principal.organisation)

    async def _idempotent(self, scope, receive, send, keys: list[bytes], caller: str) -> None:
        path = scope.get("path", "")
        try:
            key = parse_key(keys)
        except MalformedKey as exc:
            response = problem(400, f"Malformed {HEADER}", str(exc), slug="idempotency-key-malformed",
                               instance=path, errors=_key_error(str(exc), "idempotency_key_malformed"))
            return await response(scope, receive, send)
        body = await _read_body(receive)
        if body is None:  # the client went away before its request was read: nothing to claim or do
            return
        query = scope.get("query_string", b"").decode("latin-1")
        fp = fingerprint(key, scope["method"], f"{path}?{query}" if query else path, body)
        outcome = await self.store.claim(caller, key, fp)
        if isinstance(outcome, Stored):
            return await self._answer(scope, receive, send, key, caller, fp, outcome)
        claim = outcome
        bound = _claim.set(claim)
        try:
            await self._run(scope, receive, send, key, body, claim)
        finally:
            _claim.reset(bound)

    async def _run(self, scope, receive, send, key: str, body: bytes, claim: Claim) -> None:
        replayed_body = False

        async def receive_body():
            nonlocal replayed_body
            if not replayed_body:
                replayed_body = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        start: dict | None = None
        chunks: list[bytes] = []

        async def capture(message):
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self.app(scope, receive_body, capture)
        except BaseException:
            await self._settle(claim, key, None, [], b"")
            raise
        status = start["status"] if start else 500
        headers = list(start.get("headers") or []) if start else []
        content = b"".join(chunks)
        # Recorded before it is sent: whoever has seen the response can replay it.
        await self._settle(claim, key, status, headers, content)
        if start is None:
            return
        await send(start)
        await send({"type": "http.response.body", "body": content, "more_body": False})

    async def _settle(self, claim: Claim, key: str, status: int | None, headers, content: bytes) -> None:
        try:
            if claim.effect_committed:
                if status is not None and status < 500:
                    kept = [(n, v) for n, v in headers if n.lower() not in _NOT_REPLAYED]
                    await self.store.complete(claim, key, status, kept, content)
                # A 5xx after the commit: the change is stored, the response is not worth replaying. The key
                # stays committed; a repetition is told the outcome is unknown rather than repeating the change.
            else:
                await self.store.release(claim)
        except Exception:  # the response still goes out; the lease frees an unreleased key, a committed one holds
            log.warning("could not record the outcome of an %s request", HEADER, exc_info=True)

    async def _answer(self, scope, receive, send, key: str, caller: str, fp: str, stored: Stored) -> None:
        path = scope.get("path", "")
        if not hmac.compare_digest(stored.fingerprint, fp):
            detail = (f"this {HEADER} was first used with another request (method, path or body); "
                      "send a new key with a new request")
            response = problem(422, f"{HEADER} reused", detail, slug="idempotency-key-reused", instance=path,
                               errors=_key_error(detail, "idempotency_key_reused"))
        elif stored.state is KeyState.completed and stored.response is not None:
            headers, content = open_response(key, caller, stored.response)
            headers = [(n, v) for n, v in headers if n.lower() not in _NOT_REPLAYED]
            headers += [(b"content-length", str(len(content)).encode()), (REPLAYED_HEADER.lower().encode(), b"true")]
            await send({"type": "http.response.start", "status": stored.status, "headers": headers})
            await send({"type": "http.response.body", "body": content, "more_body": False})
            return
        elif stored.lease_alive:
            detail = f"a request with this {HEADER} is still being processed; repeat it once that one is answered"
            response = problem(409, f"{HEADER} in use", detail, slug="idempotency-key-in-flight", instance=path,
                               headers={"Retry-After": "1"}, errors=_key_error(detail, "idempotency_key_in_flight"))
        else:
            detail = (f"a request with this {HEADER} was carried out, but its response was not recorded; read what "
                      "it created before sending the request again under a new key")
            response = problem(409, f"{HEADER} outcome unknown", detail, slug="idempotency-key-outcome-unknown",
                               instance=path, errors=_key_error(detail, "idempotency_key_outcome_unknown"))
        await response(scope, receive, send)


async def _read_body(receive) -> bytes | None:
    """The whole request body (it is fingerprinted before the handler reads it), or None on a disconnect."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def idempotency_parameter(ttl_seconds: float) -> dict:
    """The OpenAPI parameter of the header, with how long a key holds on this deployment."""
    hours = ttl_seconds / 3600
    held = f"{hours:g} hours" if hours >= 1 else f"{ttl_seconds:g} seconds"
    return {
        "name": HEADER,
        "in": "header",
        "required": False,
        "description": (
            "A unique key for this request (draft-ietf-httpapi-idempotency-key-header), e.g. a UUID: the same key "
            "with the same request replays the first response (with `Idempotent-Replayed: true`); with another "
            f"request, 422; while the first is in flight, 409. Keys belong to the caller and hold for {held}; "
            "a request that changed nothing leaves its key free. A malformed key is 400."
        ),
        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": "^[\\x20-\\x7E]+$"},
    }


REPLAYED_RESPONSE_HEADER = {
    "description": "`true` when this is the first response to an earlier request with the same `Idempotency-Key`",
    "schema": {"type": "string", "enum": ["true"]},
}


def document(openapi: dict, *, ttl_seconds: float = 24 * 3600) -> dict:
    """Add the header to every authenticated POST operation of an OpenAPI document, and the replay marker to
    its success responses (in place; returns the document)."""
    for item in openapi.get("paths", {}).values():
        operation = item.get("post")
        if not isinstance(operation, dict) or not operation.get("security"):
            continue
        parameters = operation.setdefault("parameters", [])
        if not any(p.get("name") == HEADER and p.get("in") == "header" for p in parameters):
            parameters.append(idempotency_parameter(ttl_seconds))
        for status, response in operation.get("responses", {}).items():
            if str(status).startswith("2"):
                response.setdefault("headers", {})[REPLAYED_HEADER] = dict(REPLAYED_RESPONSE_HEADER)
        in_flight = operation["responses"].setdefault("409", {"description": "Conflict"})
        in_flight["description"] = (in_flight["description"] + "; or the first request under the same "
                                    "`Idempotency-Key` still in flight: repeat it after `Retry-After` seconds")
        in_flight.setdefault("headers", {})["Retry-After"] = {
            "description": "Seconds to wait (a request in flight under the same key)", "schema": {"type": "integer"}}
    return openapi


__all__ = [
    "HEADER", "REPLAYED_HEADER", "Claim", "IdempotencyMiddleware", "IdempotencyStore", "KeyState", "KeyTakenOver",
    "MalformedKey", "current_claim", "document", "parse_key",
]
