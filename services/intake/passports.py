"""Passport numbers at rest: AES-GCM under versioned keys, and a keyed hash for exact lookup.

The number is never logged, never in an event, and shown only to the roles that need it
(the owning employer, the preliminary reviewer it was submitted to, bureau officers).
"""

from __future__ import annotations

import hmac
import os
import re
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12
_AAD = b"intake/passport-number/v1"


def normalise(number: str) -> str:
    """The canonical form hashed and stored: upper case, no spaces or hyphens."""
    return re.sub(r"[\s-]", "", number).upper()


def mask(number: str) -> str:
    """What other roles see: the last two characters only."""
    return "*" * max(len(number) - 2, 0) + number[-2:]


@dataclass(frozen=True)
class SealedPassport:
    key_version: int
    ciphertext: bytes
    """nonce (12 bytes) followed by the AES-GCM ciphertext and tag."""
    lookup_hash: str


class PassportVault:
    """Encrypts with the current key version; decrypts with whichever version sealed the number."""

    def __init__(self, *, keys: dict[int, bytes], current_version: int, hash_key: bytes) -> None:
        if current_version not in keys:
            raise ValueError(f"no passport key of version {current_version}")
        for version, key in keys.items():
            if len(key) not in (16, 24, 32):
                raise ValueError(f"passport key version {version} is not an AES key (16, 24 or 32 bytes)")
        if len(hash_key) < 16:
            raise ValueError("the passport hash key needs at least 16 bytes")
        self._ciphers = {version: AESGCM(key) for version, key in keys.items()}
        self.current_version = current_version
        self._hash_key = hash_key

    def lookup_hash(self, number: str) -> str:
        """HMAC-SHA256 of the normalised number: equal numbers, equal hashes; no key, no dictionary attack."""
        return self._hash(normalise(number).encode())

    def _hash(self, normalised: bytes) -> str:
        return hmac.digest(self._hash_key, normalised, "sha256").hex()

    def seal(self, number: str) -> SealedPassport:
        plain = normalise(number).encode()
        nonce = os.urandom(NONCE_BYTES)
        ciphertext = self._ciphers[self.current_version].encrypt(nonce, plain, _AAD)
        return SealedPassport(self.current_version, nonce + ciphertext, self._hash(plain))

    def open(self, key_version: int, ciphertext: bytes) -> str:
        cipher = self._ciphers.get(key_version)
        if cipher is None:
            raise LookupError(f"passport key version {key_version} is no longer configured")
        return cipher.decrypt(ciphertext[:NONCE_BYTES], ciphertext[NONCE_BYTES:], _AAD).decode()
