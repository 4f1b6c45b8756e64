"""Settings of the intake service: environment variables prefixed `INTAKE_`."""

import base64
import json
from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from services.intake.adapters.passports import ASSOCIATED_DATA
from shared.passports import PassportKeySettings

DEV_PASSPORT_KEYS = json.dumps({"1": base64.b64encode(b"development-only-passport-key-01").decode()})
"""Development key ring (version -> base64 AES-256 key). Refused in production."""
DEV_PASSPORT_HASH_KEY = base64.b64encode(b"development-only-passport-hash-key").decode()


class IntakeSettings(PassportKeySettings):
    """The passport key ring (``INTAKE_PASSPORT_KEYS``, ``_KEY_VERSION``, ``_HASH_KEY``) is shared/passports.py's."""

    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore")
    service_name: ClassVar[str] = "intake"
    default_port: ClassVar[int] = 8001
    passport_associated_data: ClassVar[bytes] = ASSOCIATED_DATA

    passport_keys: str = DEV_PASSPORT_KEYS
    passport_hash_key: str = DEV_PASSPORT_HASH_KEY
