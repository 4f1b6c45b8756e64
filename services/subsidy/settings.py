"""Settings of the subsidy service: environment variables prefixed `SUBSIDY_`."""

from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class SubsidySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SUBSIDY_", extra="ignore")
    service_name: ClassVar[str] = "subsidy"
    default_port: ClassVar[int] = 8003
