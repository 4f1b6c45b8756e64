"""Settings of the permits service: environment variables prefixed `PERMITS_`."""

from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class PermitsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PERMITS_", extra="ignore")
    service_name: ClassVar[str] = "permits"
    default_port: ClassVar[int] = 8004
