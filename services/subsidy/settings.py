"""Settings of the subsidy service: environment variables prefixed `SUBSIDY_`."""

from typing import ClassVar

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings

DEV_FINANCE_CALLBACK_SECRET = "development-finance-callback-secret-0123456789"
"""The callback secret shared with the finance simulator in development; refused in production."""


class SubsidySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SUBSIDY_", extra="ignore")
    service_name: ClassVar[str] = "subsidy"
    default_port: ClassVar[int] = 8003

    finance_base_url: str = "http://127.0.0.1:8101"
    """The municipal finance payment API (the simulator on port 8101 in development)."""
    finance_timeout_seconds: float = Field(default=5.0, gt=0)
    finance_attempts: int = Field(default=3, ge=1)
    """Attempts of one instruction within one send (same Idempotency-Key), before it is rescheduled."""
    finance_backoff_seconds: float = Field(default=0.2, ge=0)
    """Base of the exponential backoff (with jitter) between those attempts."""
    finance_callback_secret: str = ""
    """HMAC key of finance's callbacks; empty: the development key outside production, and in production
    every callback is refused (statuses then come by polling alone)."""
    finance_callback_tolerance_seconds: int = Field(default=300, gt=0)
    disbursement_sender_enabled: bool = True
    disbursement_batch_size: int = Field(default=50, ge=1)
    disbursement_concurrency: int = Field(default=16, ge=1)
    disbursement_poll_seconds: float = Field(default=1.0, gt=0)
    disbursement_lease_seconds: float = Field(default=60.0, gt=0)
    """How long a claimed instruction is left to its sender; after it, another sender may retry it."""
    disbursement_retry_max_seconds: float = Field(default=300.0, gt=0)
    disbursement_status_poll_after_seconds: float = Field(default=60.0, ge=0)
    """An accepted disbursement without a final status after this long is polled at finance."""
    annual_run_batch_size: int = Field(default=5000, ge=1)
    annual_run_lease_seconds: float = Field(default=60.0, gt=0)
    """A runner renews its lease on a run at each batch; a runner silent for this long is taken over."""
    annual_runner_enabled: bool = True
    """Resume, in this process, annual runs whose runner stopped; carry out runs started over the API."""

    @model_validator(mode="after")
    def _refuse_dev_callback_secret(self) -> "SubsidySettings":
        if not self.is_development and self.finance_callback_secret == DEV_FINANCE_CALLBACK_SECRET:
            raise ValueError("SUBSIDY_FINANCE_CALLBACK_SECRET is the development key; set the one agreed with finance")
        return self

    @property
    def callback_secret(self) -> str | None:
        """The key callbacks are verified with; None: refuse them all."""
        if self.finance_callback_secret:
            return self.finance_callback_secret
        return DEV_FINANCE_CALLBACK_SECRET if self.is_development else None
