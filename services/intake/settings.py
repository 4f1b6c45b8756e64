"""Settings of the intake service: environment variables prefixed `INTAKE_`."""

import base64
import functools
import json
from typing import ClassVar

from pydantic import model_validator
from pydantic_settings import SettingsConfigDict

from services.intake.passports import PassportVault
from shared.settings import Environment, ServiceSettings

DEV_PASSPORT_KEYS = json.dumps({"1": base64.b64encode(b"development-only-passport-key-01").decode()})
"""Development key ring (version -> base64 AES-256 key). Refused in production."""
DEV_PASSPORT_HASH_KEY = base64.b64encode(b"development-only-passport-hash-key").decode()


class IntakeSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore")
    service_name: ClassVar[str] = "intake"
    default_port: ClassVar[int] = 8001

    passport_keys: str = DEV_PASSPORT_KEYS
    """JSON object: key version -> base64 AES key (16/24/32 bytes). Old versions stay to read old rows."""
    passport_key_version: int = 1
    """The version new passport numbers are encrypted with."""
    passport_hash_key: str = DEV_PASSPORT_HASH_KEY
    """base64 key of the keyed hash (HMAC-SHA256) used to find the same passport number; never rotated casually."""

    @model_validator(mode="after")
    def _passport_keys_usable(self) -> "IntakeSettings":
        prefix = self.env_prefix()
        if self.environment is Environment.production:
            if self.passport_keys == DEV_PASSPORT_KEYS:
                raise ValueError(f"{prefix}PASSPORT_KEYS is left at its development default; set keys outside development")
            if self.passport_hash_key == DEV_PASSPORT_HASH_KEY:
                raise ValueError(f"{prefix}PASSPORT_HASH_KEY is left at its development default")
        self._read_vault()  # refuse malformed keys at start, not at the first application
        return self

    def passport_vault(self) -> PassportVault:
        """The key ring, read once per settings object."""
        return self.passport_ring

    @functools.cached_property
    def passport_ring(self) -> PassportVault:
        return self._read_vault()

    def _read_vault(self) -> PassportVault:
        prefix = self.env_prefix()
        try:
            ring = json.loads(self.passport_keys)
            keys = {int(version): base64.b64decode(key, validate=True) for version, key in ring.items()}
            hash_key = base64.b64decode(self.passport_hash_key, validate=True)
        except (ValueError, TypeError, AttributeError) as exc:
            raise ValueError(f"{prefix}PASSPORT_KEYS must be a JSON object of version -> base64 key, and "
                             f"{prefix}PASSPORT_HASH_KEY base64") from exc
        return PassportVault(keys=keys, current_version=self.passport_key_version, hash_key=hash_key)
