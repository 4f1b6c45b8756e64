"""Settings of the permits service: environment variables prefixed `PERMITS_`."""

from typing import ClassVar

from pydantic import model_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import Environment, ServiceSettings


class PermitsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PERMITS_", extra="ignore")
    service_name: ClassVar[str] = "permits"
    default_port: ClassVar[int] = 8004

    webhook_allow_private_urls: bool = False
    """Development only: let a webhook subscription point at a private or loopback address
    (the local entry-exit simulator). Refused in production."""

    @model_validator(mode="after")
    def _private_urls_only_in_development(self) -> "PermitsSettings":
        if self.environment is Environment.production and self.webhook_allow_private_urls:
            raise ValueError("PERMITS_WEBHOOK_ALLOW_PRIVATE_URLS is for development only")
        return self
