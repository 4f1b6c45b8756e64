"""Settings of the review service: environment variables prefixed `REVIEW_`."""

from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class ReviewSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REVIEW_", extra="ignore")
    service_name: ClassVar[str] = "review"
    default_port: ClassVar[int] = 8002
