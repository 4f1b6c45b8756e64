"""Settings of the review service: environment variables prefixed `REVIEW_`."""

from decimal import Decimal
from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class ReviewSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REVIEW_", extra="ignore")
    service_name: ClassVar[str] = "review"
    default_port: ClassVar[int] = 8002

    subsidy_url: str = "http://127.0.0.1:8000"
    """Base URL of the subsidy service (or the gateway) for the funding-plan quote; the embedded platform
    asks its mounted subsidy app in-process instead and never calls this URL."""
    quote_timeout_seconds: float = Field(default=3.0, gt=0)
    """How long a decision waits for the quote; past it the plan is marked to be quoted."""
    subsidy_token: str = ""
    """A bearer token for the quote; empty: one is issued with this service's development key."""
    plan_medical_premium: Decimal = Field(default=Decimal("0"), ge=0)
    """The yearly medical premium assumed in the estimated plan (Art. 11, 13)."""
