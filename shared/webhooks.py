"""Standard Webhooks (https://www.standardwebhooks.com): secrets, signing and verification.

A message is signed over ``"{webhook-id}.{webhook-timestamp}.{body}"`` with HMAC-SHA256 under
the secret's decoded bytes; the ``webhook-signature`` header holds ``v1,<base64 signature>``
entries separated by spaces, one per secret in force (both old and new during a rotation).
The receiver accepts the message when any entry matches any of its secrets and the timestamp
is within the tolerance, stale and future alike (replay protection).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets as _random
import time
from collections.abc import Mapping, Sequence
from datetime import timedelta

SECRET_PREFIX = "whsec_"
SIGNATURE_VERSION = "v1"
SECRET_BYTES_MIN, SECRET_BYTES_MAX = 24, 32
"""The specification's advice: a secret of 24 to 64 bytes; we generate 24 to 32."""
DEFAULT_TOLERANCE = timedelta(minutes=5)

ID_HEADER = "webhook-id"
TIMESTAMP_HEADER = "webhook-timestamp"
SIGNATURE_HEADER = "webhook-signature"


class WebhookVerificationError(Exception):
    """A message that must be refused; ``reason`` is a short machine-readable slug."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class InvalidSecret(ValueError):
    pass


def generate_secret(nbytes: int = SECRET_BYTES_MAX) -> str:
    """A fresh ``whsec_`` secret: base64 of ``nbytes`` (24 to 32) random bytes."""
    if not SECRET_BYTES_MIN <= nbytes <= SECRET_BYTES_MAX:
        raise ValueError(f"a webhook secret has {SECRET_BYTES_MIN} to {SECRET_BYTES_MAX} random bytes")
    return SECRET_PREFIX + base64.b64encode(_random.token_bytes(nbytes)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_`` secret (the base64-decoded part after the prefix)."""
    if not secret.startswith(SECRET_PREFIX):
        raise InvalidSecret(f"a webhook secret starts with {SECRET_PREFIX!r}")
    encoded = secret[len(SECRET_PREFIX):]
    try:
        # Some issuers drop the base64 padding; accept it either way.
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidSecret("a webhook secret is base64 after its prefix") from exc
    if not key:
        raise InvalidSecret("a webhook secret may not be empty")
    return key


def _signature(key: bytes, msg_id: str, timestamp: int, body: bytes) -> bytes:
    return hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()


def sign(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,<base64>`` signature entry."""
    digest = _signature(secret_key(secret), msg_id, timestamp, body)
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode()}"


def signature_header(secrets: str | Sequence[str], *, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value: one entry per secret, space-separated (rotation)."""
    secrets = [secrets] if isinstance(secrets, str) else list(secrets)
    if not secrets:
        raise InvalidSecret("at least one secret is needed to sign")
    return " ".join(sign(s, msg_id=msg_id, timestamp=timestamp, body=body) for s in secrets)


def webhook_headers(
    secrets: str | Sequence[str], *, msg_id: str, body: bytes, timestamp: int | None = None
) -> dict[str, str]:
    """The three Standard Webhooks headers for one delivery attempt (timestamp: now, if omitted)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        ID_HEADER: msg_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature_header(secrets, msg_id=msg_id, timestamp=timestamp, body=body),
    }


def verify(
    secrets: str | Sequence[str],
    body: bytes,
    headers: Mapping[str, str],
    *,
    tolerance: timedelta = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> str:
    """Check a received message; return its ``webhook-id`` or raise ``WebhookVerificationError``.

    ``body`` must be the raw bytes as received: re-serialised JSON would not verify.
    ``secrets`` are the receiver's secrets in force (more than one while it rotates).
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    msg_id = lowered.get(ID_HEADER)
    raw_timestamp = lowered.get(TIMESTAMP_HEADER)
    raw_signatures = lowered.get(SIGNATURE_HEADER)
    if not (msg_id and raw_timestamp and raw_signatures):
        raise WebhookVerificationError("missing-headers", "webhook-id, webhook-timestamp and webhook-signature are required")
    if not raw_timestamp.isascii() or not raw_timestamp.isdigit():
        raise WebhookVerificationError("invalid-timestamp", "webhook-timestamp is whole seconds since the epoch")
    timestamp = int(raw_timestamp)
    now = time.time() if now is None else now
    if timestamp < now - tolerance.total_seconds():
        raise WebhookVerificationError("stale-timestamp", "webhook-timestamp is too old")
    if timestamp > now + tolerance.total_seconds():
        raise WebhookVerificationError("future-timestamp", "webhook-timestamp is in the future")

    secrets = [secrets] if isinstance(secrets, str) else list(secrets)
    expected = [_signature(secret_key(s), msg_id, timestamp, body) for s in secrets]
    matched = False
    for entry in raw_signatures.split(" "):
        version, _, encoded = entry.partition(",")
        if version != SIGNATURE_VERSION or not encoded:
            continue  # other versions or schemes are not ours to judge
        try:
            received = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            continue
        for candidate in expected:
            # Constant time, and no early exit on a match: timing reveals nothing of which entry matched.
            matched |= hmac.compare_digest(candidate, received)
    if not matched:
        raise WebhookVerificationError("invalid-signature", "no webhook-signature entry matches")
    return msg_id


__all__ = [
    "DEFAULT_TOLERANCE",
    "ID_HEADER",
    "InvalidSecret",
    "SECRET_PREFIX",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "WebhookVerificationError",
    "generate_secret",
    "secret_key",
    "sign",
    "signature_header",
    "verify",
    "webhook_headers",
]
