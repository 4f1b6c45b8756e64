"""Passport numbers at rest in intake: sealed and hashed by shared/passports.py under intake's own keys.

The number is never logged, never in an event, and shown only to the roles that need it
(the owning employer, the preliminary reviewer it was submitted to, bureau officers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.passports import PassportVault, SealedPassport, mask, normalise

if TYPE_CHECKING:
    from shared.runtime import ServiceRuntime

ASSOCIATED_DATA = b"intake/passport-number/v1"
"""AES-GCM associated data of intake's ciphertexts (as sealed since the first revision)."""


def vault_of(runtime: ServiceRuntime) -> PassportVault:
    """Intake's vault, on the key ring of its settings (``IntakeSettings``)."""
    return runtime.settings.passport_vault()


__all__ = ["ASSOCIATED_DATA", "PassportVault", "SealedPassport", "mask", "normalise", "vault_of"]
