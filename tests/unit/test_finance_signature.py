"""Finance callbacks: a ``Finance-Signature`` that is not exactly ``t=<digits>,v1=<64 hex>`` is refused as malformed.

Whatever the header holds (non-ASCII, a 5,000-digit timestamp, a missing, empty, repeated or unknown part,
garbage), the verifier raises ``CallbackRefused`` and nothing else; a well-formed signature still verifies.
Over REST: tests/integration/test_finance_callbacks.py.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest

from services.subsidy.finance import CallbackRefused, verify_callback

SECRET = "unit-finance-callback-secret-0123456789"
pytestmark = pytest.mark.unit

BODY = json.dumps({"payment_id": "p-1", "reference": "00000000-0000-0000-0000-000000000000", "status": "settled",
                   "amount": "10.00", "booked_on": "2026-12-04"}).encode()


def mac(secret: str, timestamp: str, body: bytes = BODY) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def malformed_headers(secret: str) -> dict[str, str]:
    """Each malformed shape, with an otherwise valid timestamp and MAC where the shape leaves room for them."""
    now = str(int(time.time()))
    good = mac(secret, now)
    return {
        "non-ASCII v1 (\\xe9)": f"t={now},v1=\xe9",
        "non-ASCII after a good v1": f"t={now},v1={good}\xe9",
        "non-ASCII digits in t (superscript two)": f"t={now[:-1]}\xb2,v1={good}",
        "5,000-digit t": f"t={'9' * 5000},v1={good}",
        "13-digit t": f"t={'1' * 13},v1={good}",
        "negative t": f"t=-{now},v1={good}",
        "signed t": f"t=+{now},v1={good}",
        "t with a space inside": f"t={now[:4]} {now[4:]},v1={good}",
        "t not a number": f"t=yesterday,v1={good}",
        "empty t": f"t=,v1={good}",
        "missing t": f"v1={good}",
        "empty v1": f"t={now},v1=",
        "missing v1": f"t={now}",
        "v1 too short": f"t={now},v1={good[:63]}",
        "v1 too long": f"t={now},v1={good}0",
        "v1 not hex": f"t={now},v1={'g' * 64}",
        "v1 in base64": f"t={now},v1=" + "A" * 43 + "=",
        "repeated t": f"t={now},t={now},v1={good}",
        "repeated v1": f"t={now},v1={good},v1={good}",
        "unknown part": f"t={now},v1={good},v0={good}",
        "part without =": f"t={now},v1={good},x",
        "empty part": f"t={now},,v1={good}",
        "only commas": ",,,",
        "only spaces": "   ",
        "garbage": "garbage",
        "another scheme": f"sha256={good}",
        "huge header": f"t={now},v1={good}," + "x=" * 5000,
    }


@pytest.mark.parametrize("case", list(malformed_headers(SECRET)))
def test_a_malformed_signature_header_is_refused_as_malformed_and_nothing_else(case):
    header = malformed_headers(SECRET)[case]

    with pytest.raises(CallbackRefused) as refused:
        verify_callback(SECRET, header, BODY, tolerance=300)

    assert refused.value.reason == "malformed-signature", (case, refused.value.reason)


@pytest.mark.parametrize("header", [None, ""])
def test_no_signature_header_is_missing(header):
    with pytest.raises(CallbackRefused) as refused:
        verify_callback(SECRET, header, BODY, tolerance=300)
    assert refused.value.reason == "missing-signature"


def test_a_well_formed_signature_verifies_in_either_case_and_with_spaces_around_parts():
    now = str(int(time.time()))
    verify_callback(SECRET, f"t={now},v1={mac(SECRET, now)}", BODY, tolerance=300)
    verify_callback(SECRET, f"v1={mac(SECRET, now).upper()}, t={now}", BODY, tolerance=300)
    with pytest.raises(CallbackRefused) as refused:
        verify_callback(SECRET, f"t={now},v1={mac('another', now)}", BODY, tolerance=300)
    assert refused.value.reason == "invalid-signature"


def test_the_mac_covers_the_timestamp_as_sent():
    now = str(int(time.time()))
    padded = "0" + now  # the same number, another string: signed over the string, it must verify as sent
    verify_callback(SECRET, f"t={padded},v1={mac(SECRET, padded)}", BODY, tolerance=300)
    with pytest.raises(CallbackRefused):
        verify_callback(SECRET, f"t={padded},v1={mac(SECRET, now)}", BODY, tolerance=300)
