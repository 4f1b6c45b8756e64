"""Settings of the entry-exit simulator: environment variables prefixed `ENTRY_EXIT_SIM_`."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.webhooks import secret_key


class EntryExitSimulatorSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ENTRY_EXIT_SIM_", extra="ignore")

    webhook_secrets: list[str] = []
    """The ``whsec_`` secrets it verifies with (JSON list in the environment); settable at runtime too."""
    tolerance_seconds: float = Field(default=300, gt=0)
    """How far ``webhook-timestamp`` may be from now, either way (Standard Webhooks: 5 minutes)."""
    state_path: Path | None = None
    """Where to keep what it accepted (JSON lines), so a restarted simulator still knows the webhook-ids it
    took; None: in memory only."""
    host: str = "127.0.0.1"
    port: int = 8102

    @field_validator("webhook_secrets")
    @classmethod
    def _valid_secrets(cls, value: list[str]) -> list[str]:
        for secret in value:
            secret_key(secret)
        return value
