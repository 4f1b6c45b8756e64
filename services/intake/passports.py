"""Passport numbers at rest in intake: sealed and hashed by shared/passports.py under intake's own keys.

The number is never logged, never in an event, and shown only to the roles that need it
(the owning employer, the preliminary reviewer it was submitted to, bureau officers).
"""

from __future__ import annotations

from shared.passports import PassportVault, SealedPassport, mask, normalise

ASSOCIATED_DATA = b"intake/passport-number/v1"
"""AES-GCM associated data of intake's ciphertexts (as sealed since the first revision)."""

__all__ = ["ASSOCIATED_DATA", "PassportVault", "SealedPassport", "mask", "normalise"]
