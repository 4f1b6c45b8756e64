"""Finance callbacks: a ``Finance-Signature`` that is not exactly ``t=<digits>,v1=<64 hex>`` is refused as malformed.

Whatever the header holds (non-ASCII, a 5,000-digit timestamp, a missing, empty, repeated or unknown part,
garbage), the verifier raises ``CallbackRefused`` and nothing else; a well-formed signature still verifies.
Over REST: tests/integration/test_finance_callbacks.py.
"""

from __future__ import annotations

import time

import pytest

from services.subsidy.adapters.finance import CallbackRefused, verify_callback
from tests.support.finance import BODY, mac, malformed_headers

SECRET = "unit-finance-callback-secret-0123456789"
pytestmark = pytest.mark.unit


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
