"""Passport numbers at rest, one implementation for every service that keeps them: AES-GCM under versioned
keys, a keyed hash (HMAC-SHA256) for exact lookup, and the settings of the key ring.

The number is never logged, never in an event, never in an audit record or a webhook; a service stores only
``(key_version, ciphertext, lookup_hash)`` and shows the number to the roles that need it. Each service has
its own keys and its own associated data, so a ciphertext copied from one service's database into another's
does not open there.

Key rotation: add the new key to ``<PREFIX>PASSPORT_KEYS`` under a new version and set
``<PREFIX>PASSPORT_KEY_VERSION`` to it; new numbers are sealed with it, rows sealed under an older version
still open as long as that version stays in the ring. The hash key is not rotated casually: every stored
lookup hash is made with it.
"""

from __future__ import annotations

import base64
import functools
import hmac
import json
import os
import re
from dataclasses import dataclass
from typing import ClassVar

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import model_validator

from shared.settings import Environment, ServiceSettings

NONCE_BYTES = 12


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

    def __init__(self, *, keys: dict[int, bytes], current_version: int, hash_key: bytes,
                 associated_data: bytes) -> None:
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
        self._aad = associated_data

    def lookup_hash(self, number: str) -> str:
        """HMAC-SHA256 of the normalised number: equal numbers, equal hashes; no key, no dictionary attack."""
        return self._hash(normalise(number).encode())

    def _hash(self, normalised: bytes) -> str:
        return hmac.digest(self._hash_key, normalised, "sha256").hex()

    def seal(self, number: str) -> SealedPassport:
        plain = normalise(number).encode()
        nonce = os.urandom(NONCE_BYTES)
        ciphertext = self._ciphers[self.current_version].encrypt(nonce, plain, self._aad)
        return SealedPassport(self.current_version, nonce + ciphertext, self._hash(plain))

    def open(self, key_version: int, ciphertext: bytes) -> str:
        cipher = self._ciphers.get(key_version)
        if cipher is None:
            raise LookupError(f"passport key version {key_version} is no longer configured")
        return cipher.decrypt(ciphertext[:NONCE_BYTES], ciphertext[NONCE_BYTES:], self._aad).decode()


def read_key_ring(*, keys: str, current_version: int, hash_key: str, prefix: str,
                  associated_data: bytes) -> PassportVault:
    """The vault from its settings' text form; a ValueError naming the variables if they are malformed."""
    try:
        ring = json.loads(keys)
        decoded = {int(version): base64.b64decode(key, validate=True) for version, key in ring.items()}
        decoded_hash_key = base64.b64decode(hash_key, validate=True)
    except (ValueError, TypeError, AttributeError) as exc:
        raise ValueError(f"{prefix}PASSPORT_KEYS must be a JSON object of version -> base64 key, and "
                         f"{prefix}PASSPORT_HASH_KEY base64") from exc
    return PassportVault(keys=decoded, current_version=current_version, hash_key=decoded_hash_key,
                         associated_data=associated_data)


class PassportKeySettings(ServiceSettings):
    """Settings of a service that keeps passport numbers: ``<PREFIX>PASSPORT_KEYS``, ``..._KEY_VERSION``,
    ``..._HASH_KEY``. A subclass gives the two keys their development defaults, which production refuses
    (a key left at the class's default is a development key), and names its ``passport_associated_data``."""

    passport_associated_data: ClassVar[bytes]

    passport_keys: str
    """JSON object: key version -> base64 AES key (16/24/32 bytes). Old versions stay to read old rows."""
    passport_key_version: int = 1
    """The version new passport numbers are encrypted with."""
    passport_hash_key: str
    """base64 key of the keyed hash (HMAC-SHA256) used to find the same passport number; never rotated casually."""

    @model_validator(mode="after")
    def _passport_keys_usable(self) -> "PassportKeySettings":
        prefix = self.env_prefix()
        if self.environment is Environment.production:
            defaults = type(self).model_fields
            if self.passport_keys == defaults["passport_keys"].default:
                raise ValueError(f"{prefix}PASSPORT_KEYS is left at its development default; set keys outside development")
            if self.passport_hash_key == defaults["passport_hash_key"].default:
                raise ValueError(f"{prefix}PASSPORT_HASH_KEY is left at its development default")
        self._read_vault()  # refuse malformed keys at start, not at the first passport number
        return self

    def passport_vault(self) -> PassportVault:
        """The key ring, read once per settings object."""
        return self.passport_ring

    @functools.cached_property
    def passport_ring(self) -> PassportVault:
        return self._read_vault()

    def _read_vault(self) -> PassportVault:
        return read_key_ring(keys=self.passport_keys, current_version=self.passport_key_version,
                             hash_key=self.passport_hash_key, prefix=self.env_prefix(),
                             associated_data=self.passport_associated_data)
