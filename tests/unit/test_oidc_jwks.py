"""Production verifies tokens against an OIDC provider's JWKS (RS256), served here on loopback."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from shared.auth import InvalidToken, Role, TokenVerifier

pytestmark = pytest.mark.unit

ISSUER, AUDIENCE = "https://idp.example", "foreign-expert-platform"


@pytest.fixture(scope="module")
def provider():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update(kid="k1", use="sig", alg="RS256")
    body = json.dumps({"keys": [jwk]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield key, f"http://127.0.0.1:{server.server_port}/jwks.json"
    server.shutdown()


def sign(key, **overrides) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "officer-7", "iat": now, "exp": now + 300,
              "roles": ["bureau_officer"], "org": "bureau"}
    claims.update(overrides)
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1", "typ": "at+jwt"})


def test_token_signed_by_the_providers_key_is_accepted(provider):
    key, url = provider
    verifier = TokenVerifier(issuer=ISSUER, audience=AUDIENCE, jwks_url=url)
    principal = verifier.verify(sign(key))
    assert principal.subject == "officer-7"
    assert principal.roles == {Role.bureau_officer}
    assert principal.organisation == "bureau"


def test_token_signed_by_another_key_is_refused(provider):
    _, url = provider
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(InvalidToken):
        TokenVerifier(issuer=ISSUER, audience=AUDIENCE, jwks_url=url).verify(sign(other))


def test_hs256_token_is_refused_when_verifying_against_a_jwks(provider):
    """The classic key-confusion attack: the public key used as an HMAC secret."""
    _, url = provider
    forged = jwt.encode({"iss": ISSUER, "aud": AUDIENCE, "sub": "x", "iat": 1, "exp": 4102444800},
                        "public-key-as-secret-0123456789-0123456789-0123456789-0123456789", algorithm="HS256",
                        headers={"kid": "k1", "typ": "at+jwt"})
    with pytest.raises(InvalidToken, match="algorithm"):
        TokenVerifier(issuer=ISSUER, audience=AUDIENCE, jwks_url=url).verify(forged)
