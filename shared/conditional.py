"""Conditional GET (RFC 9110 §13.1.2): ``If-None-Match`` answered with 304 while the resource is unchanged.

The route answers as always, with the ETag of what it read; when that ETag is one the request names (weak
comparison), the body is dropped and ``304 Not Modified`` goes out with the ETag and the caching headers, so a
console polling a case or an application moves no body while nothing changed. The route still runs (its
authorisation included): a 304 is never an answer the caller would not have been given in full.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

KEPT = frozenset({b"etag", b"cache-control", b"vary", b"expires", b"content-location", b"date", b"x-request-id"})
"""The headers a 304 carries over from the 200 it stands for (RFC 9110 §15.4.5); never a body's length or type."""


def _opaque(tag: bytes) -> bytes:
    return tag.strip().removeprefix(b"W/")


def matches(if_none_match: bytes, etag: bytes) -> bool:
    """Whether an ``If-None-Match`` field value names ``etag`` (weak comparison; ``*`` names any)."""
    if if_none_match.strip() == b"*":
        return True
    return any(_opaque(candidate) == _opaque(etag) for candidate in if_none_match.split(b",") if candidate.strip())


class ConditionalGetMiddleware:
    """Turn a 200 to a GET or HEAD whose ETag the request's ``If-None-Match`` names into a 304 without a body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        if_none_match = next((value for name, value in scope.get("headers") or () if name == b"if-none-match"), None)
        if if_none_match is None:
            return await self.app(scope, receive, send)

        not_modified = False

        async def conditional_send(message: Message) -> None:
            nonlocal not_modified
            if message["type"] == "http.response.start":
                headers = message.get("headers") or []
                etag = next((value for name, value in headers if name.lower() == b"etag"), None)
                if message["status"] == 200 and etag is not None and matches(if_none_match, etag):
                    not_modified = True
                    kept = [(name, value) for name, value in headers if name.lower() in KEPT]
                    await send({"type": "http.response.start", "status": 304, "headers": kept})
                    return
            elif message["type"] == "http.response.body" and not_modified:
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b""})
                return
            await send(message)

        await self.app(scope, receive, conditional_send)


IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "The ETag of the copy you hold: while it is still current the answer is 304 Not Modified, "
                   "without a body",
    "schema": {"type": "string"},
}


def document(openapi: dict) -> dict:
    """``If-None-Match`` (and the 304) on every GET whose 200 answer documents an ETag (in place; returns it)."""
    for item in openapi.get("paths", {}).values():
        operation = item.get("get")
        if not isinstance(operation, dict):
            continue
        ok = operation.get("responses", {}).get("200", {})
        if "ETag" not in ok.get("headers", {}):
            continue
        parameters = operation.setdefault("parameters", [])
        if not any(p.get("name") == "If-None-Match" and p.get("in") == "header" for p in parameters):
            parameters.append(dict(IF_NONE_MATCH))
        operation["responses"].setdefault("304", {
            "description": "Not modified: the copy whose ETag you sent is current",
            "headers": {"ETag": {"description": "The current version", "schema": {"type": "string"}}},
        })
    return openapi


__all__ = ["ConditionalGetMiddleware", "document", "matches"]
