"""Standard Webhooks (https://www.standardwebhooks.com): secrets, signing and verification.

A message is signed over ``"{webhook-id}.{webhook-timestamp}.{body}"`` with HMAC-SHA256 under
the secret's decoded bytes; the ``webhook-signature`` header holds ``v1,<base64 signature>``
entries separated by spaces, one per secret in force (both old and new during a rotation).
The receiver accepts the message when any entry matches any of its secrets and the timestamp
is within the tolerance, stale and future alike (replay protection).

Also here: where the platform may send a webhook at all (``check_target``, the SSRF guard).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
import secrets as _random
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from urllib.parse import unquote, urlsplit

from shared.errors import Unprocessable

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


# -- where a webhook may be sent (SSRF guard) ---------------------------------------------------

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
"""RFC 6052: the well-known NAT64 prefix; the IPv4 address is the last 32 bits."""
NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")
"""RFC 8215: the local-use NAT64 prefix, never globally routable; an operator may carve /48 to /96 out of it."""
SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")
"""RFC 3056: 6to4; the IPv4 address is bits 16 to 47."""
TEREDO = ipaddress.IPv6Network("2001::/32")
"""RFC 4380: Teredo; the client's IPv4 address is the last 32 bits, inverted (the server's is bits 32 to 63)."""
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
"""RFC 4291 §2.5.5.1: ``::a.b.c.d``, deprecated; no stack should route it, but some still do, to the IPv4 address."""


def _rfc6052_ipv4(ip: ipaddress.IPv6Address, prefix_length: int) -> ipaddress.IPv4Address:
    """The IPv4 address in an IPv4-embedded IPv6 address of a /32 to /96 prefix (RFC 6052 §2.2: bits 64-71 skipped)."""
    octets = ip.packed
    start = prefix_length // 8
    embedded = [octets[i] for i in range(start, 16) if i != 8][:4]
    return ipaddress.IPv4Address(bytes(embedded))


def embedded_ipv4(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    """Every IPv4 address an IPv6 address carries and may reach, with the form that carries it.

    IPv4-mapped (``::ffff:a.b.c.d``), IPv4-compatible (``::a.b.c.d``), NAT64 (``64:ff9b::/96`` and every
    prefix length RFC 6052 allows inside ``64:ff9b:1::/48``), 6to4 (``2002::/16``) and Teredo (``2001::/32``,
    client and server). An IPv4 address, or an IPv6 address of none of these forms, carries none.
    """
    if not isinstance(ip, ipaddress.IPv6Address):
        return []
    found: list[tuple[str, ipaddress.IPv4Address]] = []
    if ip.ipv4_mapped is not None:
        found.append(("IPv4-mapped", ip.ipv4_mapped))
    if ip in IPV4_COMPATIBLE and int(ip) > 1:  # :: and ::1 are the unspecified and loopback addresses
        found.append(("IPv4-compatible", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
    if ip in NAT64_WELL_KNOWN:
        found.append(("NAT64", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
    if ip in NAT64_LOCAL_USE:
        for length in (96, 64, 56, 48):
            found.append((f"NAT64 /{length}", _rfc6052_ipv4(ip, length)))
    if ip.sixtofour is not None:
        found.append(("6to4", ip.sixtofour))
    if ip.teredo is not None:
        server, client = ip.teredo
        found.extend([("Teredo client", client), ("Teredo server", server)])
    return found


def _plain_refusal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if ip.is_loopback:
        return "loopback"
    if ip.is_private:
        return "private"
    if not ip.is_global or ip.is_multicast:
        return "not globally routable"
    return None


def _allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: Iterable[Network]) -> bool:
    candidates = [ip] + ([ip.ipv4_mapped] if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped else [])
    return any(candidate in network for candidate in candidates for network in networks
               if candidate.version == network.version)


def address_refusal(address: str, *, allowed_networks: Iterable[Network] = ()) -> str | None:
    """Why a webhook may not be sent to ``address``, or None: only globally routable addresses.

    Loopback, private, link-local (cloud metadata at 169.254.169.254), shared, multicast, reserved and
    unspecified addresses are refused, and so is every IPv6 form that carries such an IPv4 address
    (``embedded_ipv4``), so a subscription cannot make the platform call into its own network (SSRF).
    ``allowed_networks`` are the operator's exceptions (partners on a private e-government extranet):
    an address inside one of them (or an IPv4-mapped form of one) is admitted.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if _allowed(ip, allowed_networks):
        return None
    for form, ipv4 in embedded_ipv4(ip):
        if form in ("NAT64 /64", "NAT64 /56", "NAT64 /48"):
            continue  # readings of the local-use prefix, refused below whatever they carry
        reason = _plain_refusal(ipv4)
        if reason:
            return reason if form == "IPv4-mapped" else f"{reason} ({form} of {ipv4})"
    if ip in NAT64_LOCAL_USE:
        return "not globally routable (local-use NAT64 prefix)"
    if ip in IPV4_COMPATIBLE and int(ip) > 1:
        return "not globally routable (deprecated IPv4-compatible form)"
    return _plain_refusal(ip)


def _default_port(scheme: str) -> int | None:
    return {"http": 80, "https": 443}.get(scheme)


def target_allowed(url: str, prefixes: Iterable[str]) -> bool:
    """Whether ``url`` lies under one of the exact URL ``prefixes``: same scheme, host and port, and a path below
    the prefix's path on a segment boundary, with no ``.``/``..`` segment that could climb out of it."""
    try:
        parts = urlsplit(url)
        port = parts.port or _default_port(parts.scheme)
    except ValueError:
        return False
    segments = [unquote(segment) for segment in parts.path.split("/")]
    if any(segment in (".", "..") for segment in segments):
        return False
    for prefix in prefixes:
        allowed = urlsplit(prefix)
        if (allowed.scheme, (allowed.hostname or "").lower(), allowed.port or _default_port(allowed.scheme)) != (
                parts.scheme, (parts.hostname or "").lower(), port):
            continue
        base = allowed.path or "/"
        if parts.path == base.rstrip("/") or parts.path.startswith(base if base.endswith("/") else base + "/"):
            return True
    return False


def check_target(
    url: str,
    *,
    addresses: Iterable[str],
    require_https: bool,
    allowed_networks: Iterable[Network] = (),
    allowed_targets: Iterable[str] = (),
) -> None:
    """A webhook URL and the addresses its host resolved to, or a refusal naming the field ``url``.

    ``allowed_targets``: exact URL prefixes admitted whatever they resolve to (the embedded platform's own
    mounted simulator); ``allowed_networks``: CIDRs admitted although private (partners on an extranet).
    Both are empty by default: only public endpoints.
    """
    parts = urlsplit(url)
    if require_https and parts.scheme != "https":
        raise Unprocessable("a webhook URL must use https", field="url")
    if parts.username or parts.password:
        raise Unprocessable("a webhook URL may not carry credentials; the signature authenticates", field="url")
    if target_allowed(url, allowed_targets):
        return
    allowed_networks = list(allowed_networks)
    for address in sorted(addresses):
        reason = address_refusal(address, allowed_networks=allowed_networks)
        if reason:
            raise Unprocessable(
                f"the webhook URL resolves to a {reason} address ({address}); only public endpoints may subscribe",
                field="url", address=address,
            )


__all__ = [
    "DEFAULT_TOLERANCE",
    "ID_HEADER",
    "InvalidSecret",
    "SECRET_PREFIX",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "WebhookVerificationError",
    "address_refusal",
    "check_target",
    "embedded_ipv4",
    "generate_secret",
    "secret_key",
    "sign",
    "signature_header",
    "target_allowed",
    "verify",
    "webhook_headers",
]
