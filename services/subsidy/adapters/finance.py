"""The municipal finance (市财政) payment API, as subsidy sees it: an httpx client and callback verification.

Every instruction carries an ``Idempotency-Key`` derived from our disbursement id, so a retry
(after a time-out, a 503, a crash between the call and recording its outcome) never pays twice.
Within one call the client retries with exponential backoff and jitter; what it cannot settle
it reports as ``Unavailable`` and the sender reschedules the instruction, same key.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import random
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal

import httpx

IDEMPOTENCY_NAMESPACE = uuid.UUID("6f1c1a52-6c1e-4c3b-9a55-2f1d3e0b7a10")


def idempotency_key(disbursement_id: uuid.UUID) -> str:
    """Derived from the disbursement id alone: every retry of one disbursement sends the same key."""
    return f"subsidy-disbursement-{uuid.uuid5(IDEMPOTENCY_NAMESPACE, str(disbursement_id))}"


@dataclass(frozen=True)
class Payment:
    """What finance says of one payment."""

    payment_id: str
    reference: str
    status: str
    """accepted, settled, failed or cancelled."""
    amount: Decimal
    booked_on: str
    failure_reason: str | None = None

    @classmethod
    def of(cls, data: dict) -> "Payment":
        return cls(payment_id=data["payment_id"], reference=data["reference"], status=data["status"],
                   amount=Decimal(data["amount"]), booked_on=data["booked_on"],
                   failure_reason=data.get("failure_reason"))


class FinanceError(Exception):
    """Finance could not be reached, or answered something we cannot act on now."""


class Unavailable(FinanceError):
    """Time-outs, 5xx, or a request with our key still in flight: try again later, same key."""


class Refused(FinanceError):
    """Finance refused the instruction itself (4xx other than 409): retrying cannot help."""

    def __init__(self, status_code: int, detail: str) -> None:
        super().__init__(f"HTTP {status_code}: {detail}")
        self.status_code = status_code


class FinanceClient:
    def __init__(self, base_url: str, *, timeout: float, attempts: int, backoff: float,
                 transport: httpx.AsyncBaseTransport | None = None, rng: random.Random | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.attempts = attempts
        self.backoff = backoff
        self.transport = transport
        self.rng = rng or random.Random()
        self._client: httpx.AsyncClient | None = None

    def use_transport(self, transport: httpx.AsyncBaseTransport, base_url: str | None = None) -> None:
        """Talk to an in-process finance (the embedded simulator, tests) instead of over the network."""
        self.transport = transport
        if base_url:
            self.base_url = base_url.rstrip("/")
        self._client = None

    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                base_url=self.base_url, transport=self.transport,
                timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 5.0)),
                limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
            )
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _sleep(self, attempt: int, retry_after: str | None = None) -> None:
        delay = self.backoff * 2 ** attempt * (0.5 + self.rng.random())
        if retry_after and retry_after.isdigit():
            delay = max(delay, min(float(retry_after), 10 * self.backoff + 1))
        await asyncio.sleep(delay)

    async def _call(self, method: str, path: str, *, retry_conflict: bool = False, **kwargs) -> httpx.Response:
        """One request, retried on time-outs, network errors, 429, 5xx and (``retry_conflict``) 409: our key in flight."""
        last = "no attempt"
        for attempt in range(self.attempts):
            retry_after = None
            try:
                # httpx's own time-outs do not apply to in-process transports; this one always does.
                async with asyncio.timeout(self.timeout):
                    response = await self.client().request(method, path, **kwargs)
            except TimeoutError:
                last = f"no answer within {self.timeout} s"
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}: {exc}"
            else:
                retryable = response.status_code >= 500 or response.status_code == 429 or (
                    retry_conflict and response.status_code == 409)
                if not retryable:
                    return response
                last = f"HTTP {response.status_code}"
                retry_after = response.headers.get("Retry-After")
            if attempt + 1 < self.attempts:
                await self._sleep(attempt, retry_after)
        raise Unavailable(f"finance {method} {path}: {last} after {self.attempts} attempt(s)")

    async def instruct(self, *, disbursement_id: uuid.UUID, amount: Decimal, payee: str, purpose: str) -> Payment:
        """Instruct one payment; the same disbursement always sends the same key and body."""
        body = {"reference": str(disbursement_id), "amount": f"{amount:.2f}", "currency": "CNY",
                "payee": payee, "purpose": purpose}
        response = await self._call("POST", "/finance/v1/payments", json=body, retry_conflict=True,
                                    headers={"Idempotency-Key": idempotency_key(disbursement_id)})
        if response.status_code in (200, 201):
            return Payment.of(response.json())
        raise Refused(response.status_code, response.text[:500])

    async def find(self, disbursement_id: uuid.UUID) -> Payment | None:
        """Poll by our reference: the payment finance holds for a disbursement, or None if it has none."""
        response = await self._call("GET", "/finance/v1/payments", params={"reference": str(disbursement_id)})
        if response.status_code != 200:
            raise Refused(response.status_code, response.text[:500])
        payments = response.json()
        return Payment.of(payments[0]) if payments else None

    async def cancel(self, payment_id: str) -> Payment:
        """Cancel a payment not yet settled; a settled or failed one comes back as it is."""
        response = await self._call("POST", f"/finance/v1/payments/{payment_id}/cancel")
        if response.status_code == 200:
            return Payment.of(response.json())
        if response.status_code == 409:
            found = await self._call("GET", f"/finance/v1/payments/{payment_id}")
            return Payment.of(found.json())
        raise Refused(response.status_code, response.text[:500])

    async def statement(self, day) -> list[Payment]:
        response = await self._call("GET", "/finance/v1/statement", params={"date": day.isoformat()})
        if response.status_code != 200:
            raise Refused(response.status_code, response.text[:500])
        return [Payment.of(entry) for entry in response.json()["entries"]]


class CallbackRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


SIGNATURE_HEADER_MAX_LENGTH = 256
"""``t=`` (at most 12 digits), ``,v1=`` and 64 hex digits fit with room; anything longer is not ours."""
TIMESTAMP_MAX_DIGITS = 12
"""Unix seconds: 12 digits last until the year 33658, and int() of a huge string is never attempted."""
HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def _signature_parts(header: str) -> tuple[str, str]:
    """``(t, v1)`` of a well-formed ``Finance-Signature``, or CallbackRefused("malformed-signature").

    Exactly the two parts, each once: ``t`` 1 to 12 ASCII digits, ``v1`` 64 hex digits (SHA-256). Anything else —
    non-ASCII, a missing, empty, repeated or unknown part, a sign, spaces inside a value — is refused before any
    arithmetic or comparison, so a malformed header is a 401 and never an error of ours.
    """
    if len(header) > SIGNATURE_HEADER_MAX_LENGTH or not header.isascii():
        raise CallbackRefused("malformed-signature")
    parts: dict[str, str] = {}
    for part in header.split(","):
        key, equals, value = part.strip().partition("=")
        if not equals or key not in ("t", "v1") or key in parts:
            raise CallbackRefused("malformed-signature")
        parts[key] = value
    timestamp, signature = parts.get("t", ""), parts.get("v1", "")
    if not (0 < len(timestamp) <= TIMESTAMP_MAX_DIGITS and all("0" <= c <= "9" for c in timestamp)):
        raise CallbackRefused("malformed-signature")
    if len(signature) != 2 * hashlib.sha256().digest_size or not HEX_DIGITS.issuperset(signature):
        raise CallbackRefused("malformed-signature")
    return timestamp, signature.lower()


def verify_callback(secret: str, header: str | None, body: bytes, *, tolerance: int, now: float | None = None) -> None:
    """``Finance-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">``, within ``tolerance``.

    Refusals (``CallbackRefused.reason``): ``missing-signature``, ``malformed-signature``,
    ``stale-or-future-timestamp``, ``invalid-signature``; nothing else is raised whatever the header holds.
    """
    if not header:
        raise CallbackRefused("missing-signature")
    timestamp, signature = _signature_parts(header)
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > tolerance:
        raise CallbackRefused("stale-or-future-timestamp")
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise CallbackRefused("invalid-signature")
