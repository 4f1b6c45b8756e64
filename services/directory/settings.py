"""Settings of the directory service: environment variables prefixed `DIRECTORY_`."""

import base64
import json
from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from shared.passports import PassportKeySettings

PASSPORT_ASSOCIATED_DATA = b"directory/passport-number/v1"
"""AES-GCM associated data of the directory's ciphertexts: one of intake's does not open here, nor the reverse."""

DEV_PASSPORT_KEYS = json.dumps({"1": base64.b64encode(b"development-only-directory-key-1").decode()})
"""Development key ring (version -> base64 AES-256 key). Refused in production."""
DEV_PASSPORT_HASH_KEY = base64.b64encode(b"development-only-directory-hash-key").decode()


class DirectorySettings(PassportKeySettings):
    """The experts' passport key ring (``DIRECTORY_PASSPORT_KEYS``, ``_KEY_VERSION``, ``_HASH_KEY``) is
    shared/passports.py's, as intake's; the directory has keys of its own."""

    model_config = SettingsConfigDict(env_prefix="DIRECTORY_", extra="ignore")
    service_name: ClassVar[str] = "directory"
    default_port: ClassVar[int] = 8005
    passport_associated_data: ClassVar[bytes] = PASSPORT_ASSOCIATED_DATA

    passport_keys: str = DEV_PASSPORT_KEYS
    passport_hash_key: str = DEV_PASSPORT_HASH_KEY
