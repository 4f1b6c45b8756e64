"""Settings of the permits service: environment variables prefixed `PERMITS_`."""

from datetime import date
from typing import ClassVar

from pydantic import Field, IPvAnyNetwork, model_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import Environment, ServiceSettings


class PermitsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PERMITS_", extra="ignore")
    service_name: ClassVar[str] = "permits"
    default_port: ClassVar[int] = 8004

    webhook_allowed_cidrs: list[IPvAnyNetwork] = []
    """Private networks a partner agency's endpoint may be on (an e-government extranet), as CIDRs
    (``PERMITS_WEBHOOK_ALLOWED_CIDRS='["10.20.0.0/16"]'``). Empty by default: only public endpoints."""
    webhook_allowed_targets: list[str] = []
    """Development only: exact URL prefixes a subscription may point at whatever they resolve to — the
    embedded platform's own mounted entry-exit simulator (``http://127.0.0.1:8000/entry-exit/``),
    nothing else on loopback or a private network. Refused in production."""

    webhook_retry_schedule_seconds: list[float] = [5, 300, 1800, 7200, 18000, 36000, 36000]
    """Delay before each retry after a failed attempt (the Standard Webhooks suggested schedule:
    5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); after the last, the delivery is exhausted. Tests compress it."""
    webhook_retry_jitter: float = Field(default=0.2, ge=0, le=1)
    """Each delay is scaled by a random factor in [1 - jitter, 1 + jitter], so retries do not arrive in waves."""
    webhook_max_retry_after_seconds: float = Field(default=3600, ge=0)
    """A receiver's Retry-After is honoured up to this long."""
    webhook_timeout_seconds: float = Field(default=10, gt=0)
    webhook_lease_seconds: float = Field(default=60, gt=0)
    """A claimed delivery is not claimed again for this long (a dispatcher that dies mid-send is retried after it)."""
    webhook_poll_seconds: float = Field(default=1.0, gt=0)
    webhook_batch_size: int = Field(default=20, ge=1)
    webhook_dispatcher_enabled: bool = True
    webhook_secret_overlap_seconds: float = Field(default=86400, ge=0)
    """After a secret rotation, deliveries carry signatures by both secrets for this long (24 h)."""

    green_channel_sla_working_days: int = Field(default=10, ge=1, le=250)
    """R-GREEN: the service-level target, in working days from a case's opening to the issue of the
    expert's work documents (work permit and work-type residence permit)."""
    green_channel_public_holidays: list[date] = []
    """Weekdays that are not working days (Beijing's public holidays of the year); JSON list in the environment."""
    permit_reminder_days: list[int] = [90, 30]
    """Expiry reminders (PermitExpiring) this many days before an issued permit expires."""

    @model_validator(mode="after")
    def _allowed_targets_only_in_development(self) -> "PermitsSettings":
        if self.environment is Environment.production and self.webhook_allowed_targets:
            raise ValueError("PERMITS_WEBHOOK_ALLOWED_TARGETS is for development only; "
                             "production admits private partners by PERMITS_WEBHOOK_ALLOWED_CIDRS")
        for prefix in self.webhook_allowed_targets:
            if not prefix.startswith(("http://", "https://")) or "@" in prefix:
                raise ValueError(f"a webhook allowed target is an http(s) URL prefix without credentials: {prefix!r}")
        return self
