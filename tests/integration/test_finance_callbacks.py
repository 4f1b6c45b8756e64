"""Finance callbacks over REST, both run modes: every malformed ``Finance-Signature`` is a 401 problem+json.

No bearer token on this route: the signature is all that authenticates it, so whatever the header holds
(non-ASCII, a 5,000-digit timestamp, missing, empty, repeated or unknown parts, garbage) must be refused
as a 401, never a 500. The shapes are those of tests/unit/test_finance_signature.py.
"""

from __future__ import annotations

import time

import httpx

from shared.errors import PROBLEM_JSON
from tests.support.finance import BODY, mac, malformed_headers

CALLBACKS = "/subsidy/v1/finance/callbacks"


async def test_every_malformed_signature_header_is_a_401_problem_over_rest(platform):
    await platform.start()
    secret = platform.settings["subsidy"].callback_secret
    cases = malformed_headers(secret) | {"empty header": ""}
    answers = {}
    async with platform.client("subsidy") as client:
        for case, header in cases.items():
            # Sent as the raw bytes a client would put on the wire (latin-1 for \xe9 and \xb2).
            response = await client.post(CALLBACKS, content=BODY,
                                         headers=[(b"finance-signature", header.encode("latin-1"))])
            answers[case] = (response.status_code, response.headers.get("content-type"),
                             response.json().get("reason") if response.status_code < 500 else response.text)
        good_time = str(int(time.time()))
        unknown_payment = await client.post(CALLBACKS, content=BODY,
                                            headers={"Finance-Signature": f"t={good_time},v1={mac(secret, good_time)}"})

    expected_reason = {case: "missing-signature" if case == "empty header" else "malformed-signature" for case in cases}
    assert answers == {case: (401, PROBLEM_JSON, expected_reason[case]) for case in cases}
    # The route still takes a well-formed, correctly signed callback (for a payment it does not know).
    assert unknown_payment.status_code == 200, unknown_payment.text


def test_httpx_sends_the_raw_header_bytes():
    # The REST test above depends on this: the header reaches the service as sent, not re-encoded.
    request = httpx.Request("POST", "http://x/", headers=[(b"finance-signature", "v1=\xe9".encode("latin-1"))])
    assert request.headers.raw[-1] == (b"finance-signature", b"v1=\xe9")
