"""Settings of the finance simulator: environment variables prefixed `FINANCE_SIM_`."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_CALLBACK_SECRET = "development-finance-callback-secret-0123456789"
"""The callback signing secret subsidy shares with the simulator in development (SUBSIDY_FINANCE_CALLBACK_SECRET)."""


class Behaviour(BaseSettings):
    """How the simulated payment system misbehaves; every field is also settable at runtime (``/finance/control``)."""

    model_config = SettingsConfigDict(env_prefix="FINANCE_SIM_", extra="ignore")

    latency_seconds: float = Field(default=0.02, ge=0, le=60)
    """Before answering a payment instruction."""
    error_rate: float = Field(default=0.0, ge=0, le=1)
    """Instructions answered 503 before anything is committed."""
    timeout_rate: float = Field(default=0.0, ge=0, le=1)
    """Instructions committed, then answered only after ``hang_seconds`` (the caller times out)."""
    hang_seconds: float = Field(default=30.0, ge=0, le=600)
    failure_rate: float = Field(default=0.0, ge=0, le=1)
    """Accepted payments that end failed (the payee's bank refused) instead of settled."""
    settle_delay_seconds: float = Field(default=0.2, ge=0, le=3600)
    """From acceptance to the final status and its callback."""
    duplicate_callback_rate: float = Field(default=0.0, ge=0, le=1)
    """Callbacks sent twice."""
    callbacks_enabled: bool = True
    """Off: statuses are only learnt by polling."""


class FinanceSimulatorSettings(Behaviour):
    model_config = SettingsConfigDict(env_prefix="FINANCE_SIM_", extra="ignore")

    callback_url: str = "http://127.0.0.1:8000/subsidy/v1/finance/callbacks"
    callback_secret: str = DEV_CALLBACK_SECRET
    callback_attempts: int = Field(default=5, ge=1)
    seed: int | None = None
    host: str = "127.0.0.1"
    port: int = 8101
