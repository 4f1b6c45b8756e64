"""Standard Webhooks signing and verification, checked against an independent implementation (PyPI ``standardwebhooks``)."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError as TheirVerificationError

from shared.webhooks import (
    InvalidSecret,
    WebhookVerificationError,
    generate_secret,
    secret_key,
    sign,
    signature_header,
    verify,
    webhook_headers,
)

pytestmark = pytest.mark.unit

BODY = json.dumps(
    {"type": "PermitRevocationRequested", "timestamp": "2026-11-27T12:00:00Z", "data": {"case_id": "c-1"}},
    separators=(",", ":"),
).encode()
MSG_ID = "msg_2Yf3Uq4wL0nHk8Z"


def reason(secrets, body, headers, **kwargs) -> str:
    with pytest.raises(WebhookVerificationError) as caught:
        verify(secrets, body, headers, **kwargs)
    return caught.value.reason


# -- secrets ------------------------------------------------------------------------------------

@pytest.mark.parametrize("nbytes", [24, 32])
def test_generated_secret_is_whsec_base64_of_24_to_32_random_bytes(nbytes):
    secret = generate_secret(nbytes)

    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) == nbytes
    assert secret_key(secret) == base64.b64decode(secret.removeprefix("whsec_"))


def test_generated_secrets_differ():
    assert len({generate_secret() for _ in range(50)}) == 50


@pytest.mark.parametrize("nbytes", [16, 23, 33, 64])
def test_secret_length_outside_24_to_32_bytes_is_refused(nbytes):
    with pytest.raises(ValueError):
        generate_secret(nbytes)


@pytest.mark.parametrize("bad", ["", "whsec_", "sk_abcdefgh", "whsec_not*base64!"])
def test_malformed_secret_is_refused(bad):
    with pytest.raises(InvalidSecret):
        secret_key(bad)


# -- interoperability with the standardwebhooks package ------------------------------------------

def test_our_signature_verifies_with_the_standardwebhooks_package():
    secret = generate_secret()
    headers = webhook_headers(secret, msg_id=MSG_ID, body=BODY)

    assert Webhook(secret).verify(BODY, headers) == json.loads(BODY)


def test_our_signature_with_24_byte_secret_verifies_with_the_standardwebhooks_package():
    secret = generate_secret(24)

    assert Webhook(secret).verify(BODY, webhook_headers(secret, msg_id=MSG_ID, body=BODY)) == json.loads(BODY)


def test_their_signature_verifies_with_ours():
    secret = generate_secret()
    now = datetime.now(UTC).replace(microsecond=0)
    signature = Webhook(secret).sign(MSG_ID, now, BODY.decode())
    headers = {"webhook-id": MSG_ID, "webhook-timestamp": str(int(now.timestamp())), "webhook-signature": signature}

    assert verify(secret, BODY, headers) == MSG_ID


def test_signature_matches_the_standardwebhooks_package_byte_for_byte():
    secret = generate_secret()
    at = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)

    ours = sign(secret, msg_id=MSG_ID, timestamp=int(at.timestamp()), body=BODY)

    assert ours == Webhook(secret).sign(MSG_ID, at, BODY.decode())


def test_the_specifications_published_example_verifies():
    """The example of the Standard Webhooks specification (its reference libraries' test vector)."""
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    headers = {
        "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "webhook-timestamp": "1614265330",
        "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    }

    assert verify(secret, body, headers, now=1614265330) == "msg_p5jXN8AQM9LWM0D4loKWxJek"


def test_headers_are_matched_case_insensitively():
    secret = generate_secret()
    headers = {k.title(): v for k, v in webhook_headers(secret, msg_id=MSG_ID, body=BODY).items()}

    assert verify(secret, BODY, headers) == MSG_ID


# -- refusals -----------------------------------------------------------------------------------

def test_tampered_body_is_refused():
    secret = generate_secret()
    headers = webhook_headers(secret, msg_id=MSG_ID, body=BODY)
    tampered = BODY.replace(b"c-1", b"c-2")

    assert reason(secret, tampered, headers) == "invalid-signature"
    with pytest.raises(TheirVerificationError):
        Webhook(secret).verify(tampered, headers)


def test_tampered_id_is_refused():
    secret = generate_secret()
    headers = {**webhook_headers(secret, msg_id=MSG_ID, body=BODY), "webhook-id": "msg_other"}

    assert reason(secret, BODY, headers) == "invalid-signature"


def test_wrong_secret_is_refused():
    headers = webhook_headers(generate_secret(), msg_id=MSG_ID, body=BODY)

    assert reason(generate_secret(), BODY, headers) == "invalid-signature"


def test_signature_moved_to_another_timestamp_is_refused():
    secret = generate_secret()
    headers = webhook_headers(secret, msg_id=MSG_ID, body=BODY)
    headers["webhook-timestamp"] = str(int(headers["webhook-timestamp"]) - 1)

    assert reason(secret, BODY, headers) == "invalid-signature"


@pytest.mark.parametrize(("age", "expected"), [
    (timedelta(minutes=5, seconds=1), "stale-timestamp"),
    (timedelta(hours=1), "stale-timestamp"),
    (-timedelta(minutes=5, seconds=1), "future-timestamp"),
    (-timedelta(days=1), "future-timestamp"),
])
def test_timestamp_outside_the_default_5_minute_tolerance_is_refused_stale_or_future(age, expected):
    secret = generate_secret()
    now = time.time()
    headers = webhook_headers(secret, msg_id=MSG_ID, body=BODY, timestamp=int(now - age.total_seconds()))

    assert reason(secret, BODY, headers, now=now) == expected


@pytest.mark.parametrize("age", [timedelta(minutes=4, seconds=59), -timedelta(minutes=4, seconds=59), timedelta(0)])
def test_timestamp_inside_the_tolerance_is_accepted(age):
    secret = generate_secret()
    now = float(int(time.time()))
    headers = webhook_headers(secret, msg_id=MSG_ID, body=BODY, timestamp=int(now - age.total_seconds()))

    assert verify(secret, BODY, headers, now=now) == MSG_ID


def test_tolerance_is_a_parameter():
    secret = generate_secret()
    now = time.time()
    headers = webhook_headers(secret, msg_id=MSG_ID, body=BODY, timestamp=int(now) - 61)

    assert reason(secret, BODY, headers, now=now, tolerance=timedelta(minutes=1)) == "stale-timestamp"
    assert verify(secret, BODY, headers, now=now, tolerance=timedelta(minutes=2)) == MSG_ID


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_missing_header_is_refused(missing):
    secret = generate_secret()
    headers = webhook_headers(secret, msg_id=MSG_ID, body=BODY)
    del headers[missing]

    assert reason(secret, BODY, headers) == "missing-headers"


@pytest.mark.parametrize("value", ["12.5", "-1", "soon", "１２３"])
def test_malformed_timestamp_is_refused(value):
    secret = generate_secret()
    headers = {**webhook_headers(secret, msg_id=MSG_ID, body=BODY), "webhook-timestamp": value}

    assert reason(secret, BODY, headers) == "invalid-timestamp"


def test_other_signature_versions_and_garbage_entries_are_skipped_not_trusted():
    secret = generate_secret()
    good = webhook_headers(secret, msg_id=MSG_ID, body=BODY)
    v1 = good["webhook-signature"]
    digest = v1.split(",", 1)[1]

    assert reason(secret, BODY, {**good, "webhook-signature": f"v2,{digest}"}) == "invalid-signature"
    assert reason(secret, BODY, {**good, "webhook-signature": "v1a,xyz garbage v1,###"}) == "invalid-signature"
    assert verify(secret, BODY, {**good, "webhook-signature": f"v1a,xyz garbage {v1}"}) == MSG_ID


# -- rotation -----------------------------------------------------------------------------------

def test_during_rotation_two_signatures_are_sent_and_either_secret_verifies():
    old, new = generate_secret(), generate_secret()

    headers = webhook_headers([new, old], msg_id=MSG_ID, body=BODY)

    entries = headers["webhook-signature"].split(" ")
    assert len(entries) == 2 and all(e.startswith("v1,") for e in entries)
    assert verify(old, BODY, headers) == MSG_ID
    assert verify(new, BODY, headers) == MSG_ID
    assert Webhook(old).verify(BODY, headers) and Webhook(new).verify(BODY, headers)
    assert reason(generate_secret(), BODY, headers) == "invalid-signature"


def test_receiver_rotating_its_secrets_accepts_either():
    old, new = generate_secret(), generate_secret()

    assert verify([old, new], BODY, webhook_headers(old, msg_id=MSG_ID, body=BODY)) == MSG_ID
    assert verify([old, new], BODY, webhook_headers(new, msg_id=MSG_ID, body=BODY)) == MSG_ID


def test_signing_needs_a_secret():
    with pytest.raises(InvalidSecret):
        signature_header([], msg_id=MSG_ID, timestamp=0, body=BODY)
