"""The pieces of Idempotency-Key handling that need no database: the header's syntax, what is stored of a
request and a response, the claim's reach, and the OpenAPI documentation of the header."""

from __future__ import annotations

import asyncio
import importlib

import pytest
from cryptography.exceptions import InvalidTag

from shared import idempotency
from shared.idempotency import MalformedKey, caller_scope, fingerprint, open_response, parse_key, seal_response

pytestmark = pytest.mark.unit

SERVICES = ["intake", "review", "subsidy", "permits", "directory"]


@pytest.mark.parametrize("raw, key", [
    (b"8e03978e-40d5-43e8-bc93-6894a57f9324", "8e03978e-40d5-43e8-bc93-6894a57f9324"),
    (b'"8e03978e-40d5-43e8-bc93-6894a57f9324"', "8e03978e-40d5-43e8-bc93-6894a57f9324"),  # the draft's sf-string
    (b'"say \\"hi\\" \\\\ ok"', 'say "hi" \\ ok'),
    (b"  padded\t", "padded"),
    (b"k" * 255, "k" * 255),
    (b"with space", "with space"),
])
def test_a_key_is_a_bare_or_quoted_string_of_printable_ascii(raw, key):
    assert parse_key([raw]) == key


@pytest.mark.parametrize("raw", [
    b"", b"   ", b'""', b"k" * 256, b'"' + b"k" * 256 + b'"', b"tab\tinside", b"nul\x00", b"del\x7f",
    "caf\u00e9".encode(), b"\xff\xfe", b'"open', b'close"', b'"a"b"', b'"bad \\n escape"', b'"ends \\"',
])
def test_a_malformed_key_is_refused_with_a_reason(raw):
    with pytest.raises(MalformedKey) as refused:
        parse_key([raw])
    assert str(refused.value)


def test_more_than_one_key_header_is_refused():
    with pytest.raises(MalformedKey, match="one Idempotency-Key header"):
        parse_key([b"a", b"a"])


def test_the_fingerprint_covers_method_target_and_body_and_is_keyed_by_the_key():
    base = fingerprint("k1", "POST", "/x/v1/things", b'{"a":1}')
    assert base == fingerprint("k1", "POST", "/x/v1/things", b'{"a":1}')
    others = [
        fingerprint("k1", "PUT", "/x/v1/things", b'{"a":1}'),
        fingerprint("k1", "POST", "/x/v1/other", b'{"a":1}'),
        fingerprint("k1", "POST", "/x/v1/things?a=1", b'{"a":1}'),
        fingerprint("k1", "POST", "/x/v1/things", b'{"a":2}'),
        fingerprint("k2", "POST", "/x/v1/things", b'{"a":1}'),  # no dictionary attack without the key
    ]
    assert base not in others and len(set(others)) == len(others)


def test_scopes_tell_callers_apart():
    assert caller_scope("officer-1", None) != caller_scope("officer-2", None)
    assert caller_scope("hr", "employer-a") != caller_scope("hr", "employer-b")
    assert caller_scope("a", "b") != caller_scope("a\x00b", None)  # no ambiguity once joined
    assert len(caller_scope("x" * 500, "y" * 500)) == 64


def test_a_stored_response_opens_only_with_its_key_and_scope():
    headers = [(b"content-type", b"application/json"), (b"location", b"/intake/v1/applications/1"),
               (b"etag", b'"1"')]
    body = b'{"passport_number":"K1234567"}'
    sealed = seal_response("the-key", "scope-a", headers, body)
    assert b"K1234567" not in sealed and b"location" not in sealed
    assert open_response("the-key", "scope-a", sealed) == (headers, body)
    with pytest.raises(InvalidTag):
        open_response("another-key", "scope-a", sealed)
    with pytest.raises(InvalidTag):
        open_response("the-key", "scope-b", sealed)
    assert seal_response("the-key", "scope-a", headers, body) != sealed  # a fresh nonce each time


async def test_a_claim_reaches_the_units_of_work_of_its_own_task_only():
    claim = idempotency.Claim(store=None, scope="s", key_hash="h", token="t",  # type: ignore[arg-type]
                              task=asyncio.current_task())
    token = idempotency._claim.set(claim)
    try:
        assert idempotency.current_claim() is claim
        # A task started while the request runs (a background job) copies the context, not the claim's reach.
        assert await asyncio.create_task(_claim_in_task()) is None
    finally:
        idempotency._claim.reset(token)
    assert idempotency.current_claim() is None


async def _claim_in_task():
    return idempotency.current_claim()


def _openapi(name: str, tmp_path) -> dict:
    settings_class = getattr(importlib.import_module(f"services.{name}.settings"), f"{name.capitalize()}Settings")
    app = importlib.import_module(f"services.{name}.app").create_app(settings_class(var_dir=tmp_path))
    return app.openapi()


@pytest.mark.parametrize("name", SERVICES)
def test_every_authenticated_post_documents_the_idempotency_key_header(name, tmp_path):
    document = _openapi(name, tmp_path)
    posts = {path: item["post"] for path, item in document["paths"].items() if "post" in item}
    secured = {path: op for path, op in posts.items() if op.get("security")}
    assert secured, "each service has authenticated POSTs"
    for path, operation in secured.items():
        [parameter] = [p for p in operation["parameters"] if p["name"] == "Idempotency-Key"]
        assert parameter["in"] == "header" and parameter["required"] is False, path
        assert parameter["schema"]["maxLength"] == 255
        successes = [r for status, r in operation["responses"].items() if status.startswith("2")]
        assert successes and all("Idempotent-Replayed" in r["headers"] for r in successes), path
    for path, operation in posts.items():
        if not operation.get("security"):  # not covered: no caller to scope the key to
            assert all(p["name"] != "Idempotency-Key" for p in operation.get("parameters", [])), path
    for item in document["paths"].values():
        for method, operation in item.items():
            if method != "post" and isinstance(operation, dict):
                assert all(p["name"] != "Idempotency-Key" for p in operation.get("parameters", []))


def test_the_finance_callback_is_not_covered(tmp_path):
    callback = _openapi("subsidy", tmp_path)["paths"]["/subsidy/v1/finance/callbacks"]["post"]
    assert not callback.get("security")
    assert all(p["name"] != "Idempotency-Key" for p in callback.get("parameters", []))


class _Verifier:
    def verify(self, token: str):
        from shared.auth import Principal, Role

        if token != "good":
            raise ValueError("not a token")
        return Principal(subject="officer", roles=frozenset({Role.bureau_officer}))


class _Runtime:
    verifier = _Verifier()


class _Store:
    """Claims every key; records what the middleware settles."""

    def __init__(self) -> None:
        self.settled: list[tuple] = []

    async def claim(self, scope, key, fp):
        return idempotency.Claim(self, scope, "h", "t", asyncio.current_task())  # type: ignore[arg-type]

    async def complete(self, claim, key, status, headers, body):
        self.settled.append(("complete", status, body))

    async def release(self, claim):
        self.settled.append(("release",))


async def _post(app, path: str, headers: list[tuple[bytes, bytes]]) -> int:
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message):
        sent.append(message)

    await app({"type": "http", "method": "POST", "path": path, "query_string": b"", "headers": headers},
              receive, send)
    return sent[0]["status"]


async def test_a_request_served_inside_a_claimed_one_has_no_claim_and_the_outer_claim_comes_back():
    seen = {}
    store = _Store()

    async def app(scope, receive, send):
        seen[scope["path"] + ":before"] = idempotency.current_claim()
        if scope["path"] == "/outer":
            await _post(middleware, "/inner", [(b"authorization", b"Bearer good")])  # an in-process callback
            seen["/outer:after"] = idempotency.current_claim()
            idempotency.current_claim().effect_committed = True  # as its unit of work would at commit
        await send({"type": "http.response.start", "status": 201, "headers": [(b"location", b"/x/1")]})
        await send({"type": "http.response.body", "body": scope["path"].encode()})

    middleware = idempotency.IdempotencyMiddleware(app, runtime=_Runtime(), store=store)  # type: ignore[arg-type]
    status = await _post(middleware, "/outer", [(b"authorization", b"Bearer good"), (b"idempotency-key", b"k")])
    assert status == 201
    outer = seen["/outer:before"]
    assert outer is not None and seen["/inner:before"] is None and seen["/outer:after"] is outer
    assert store.settled == [("complete", 201, b"/outer")]
    assert idempotency.current_claim() is None


async def test_a_request_that_commits_nothing_releases_its_key_and_one_without_a_valid_token_claims_nothing():
    store = _Store()

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 422, "headers": []})
        await send({"type": "http.response.body", "body": b"refused"})

    middleware = idempotency.IdempotencyMiddleware(app, runtime=_Runtime(), store=store)  # type: ignore[arg-type]
    assert await _post(middleware, "/x", [(b"authorization", b"Bearer good"), (b"idempotency-key", b"k")]) == 422
    assert store.settled == [("release",)]
    assert await _post(middleware, "/x", [(b"authorization", b"Bearer forged"), (b"idempotency-key", b"")]) == 422
    assert await _post(middleware, "/x", [(b"idempotency-key", b"k")]) == 422
    assert store.settled == [("release",)]
