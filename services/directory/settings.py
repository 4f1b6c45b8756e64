"""Settings of the directory service: environment variables prefixed `DIRECTORY_`."""

from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class DirectorySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DIRECTORY_", extra="ignore")
    service_name: ClassVar[str] = "directory"
    default_port: ClassVar[int] = 8005
