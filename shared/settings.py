"""Typed settings shared by every service; one subclass per service with its own env prefix."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, ClassVar

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEV_JWT_SECRET = "development-only-signing-key-refused-in-production-0123456789abcdef"
"""The development signing key of the local token issuer. Refused outside development."""


DEV_CONSOLE_ORIGINS = ("http://localhost:5173", "http://127.0.0.1:5173")
"""The console's Vite dev server (``npm run dev`` in console/): the origins a browser may call the APIs from in
development when no ``CORS_ALLOWED_ORIGINS`` is set."""


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class BusKind(StrEnum):
    embedded = "embedded"
    rabbitmq = "rabbitmq"


class ServiceSettings(BaseSettings):
    """What every service needs; a subclass names the service and its env prefix."""

    model_config = SettingsConfigDict(extra="ignore", env_file=None)

    service_name: ClassVar[str] = ""
    default_port: ClassVar[int] = 8000

    environment: Environment = Environment.development
    database_url: str = ""
    """Async SQLAlchemy URL; empty means a SQLite file under ``var/`` (the embedded default)."""
    database_pool_size: int = Field(default=32, ge=1)
    """PostgreSQL: connections the pool keeps. One process serves many requests at once, each holding a
    connection across its round trips; a pool smaller than that opens and closes connections under load
    (docs/performance.md, "Settings and the figures behind them"). The database's ``max_connections`` must
    cover processes x (pool + overflow)."""
    database_max_overflow: int = Field(default=16, ge=0)
    """PostgreSQL: connections opened beyond the pool in a burst, closed when returned."""
    var_dir: Path = Path("var")
    bus: BusKind = BusKind.embedded
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    amqp_reconnect_seconds: float = Field(default=1.0, gt=0)
    """Pause between attempts to reconnect to RabbitMQ (aio-pika's default, 5 s, left the relay and the
    consumers idle for up to 5 s after the broker was back)."""
    exchange: str = "platform.events"
    bus_namespace: str = ""
    """Prefix of exchange and queue names, so several test runs can share one broker."""
    delivery_limit: int = Field(default=5, ge=1)
    """x-delivery-limit of the service's quorum queue: a failing message is delivered once and
    redelivered up to this many times, then parked (limit + 1 attempts in all)."""
    retry_backoff_seconds: float = Field(default=0.2, ge=0)
    """Base of the exponential backoff before a failed message is handed back for redelivery."""
    prefetch: int = Field(default=128, ge=1)
    """RabbitMQ: unacknowledged deliveries the broker may hand this consumer; at least batch size x batch
    workers, or the workers wait on each other's acks (docs/performance.md)."""
    consumer_batch_size: int = Field(default=32, ge=1)
    """RabbitMQ: up to this many deliveries already received are handled in one transaction (1: one each)."""
    consumer_batch_workers: int = Field(default=4, ge=1)
    """RabbitMQ: batches handled at once per consuming service."""
    relay_enabled: bool = True
    consumer_enabled: bool = True
    relay_batch_size: int = Field(default=500, ge=1)
    """Outbox rows one relay pass publishes (confirms awaited together) and marks sent in one UPDATE; the
    per-pass SELECT, UPDATE and commit are what a bigger batch spreads (docs/performance.md)."""
    relay_poll_seconds: float = Field(default=1.0, gt=0)
    idempotency_key_ttl_seconds: int = Field(default=24 * 3600, ge=1)
    """How long an ``Idempotency-Key`` holds (shared/idempotency.py): within it the same key and request replay
    the first response; after it the key is free again and its row is purged."""
    idempotency_lease_seconds: float = Field(default=120.0, gt=0)
    """How long a request holds its key before its outcome is recorded: longer than any request takes. A key
    whose request died before committing is free again after it; one that committed stays taken."""

    jwt_secret: str = DEV_JWT_SECRET
    jwt_issuer: str = "https://auth.platform.local"
    jwt_audience: str = "foreign-expert-platform"
    oidc_jwks_url: str = ""
    """Production verifies tokens against this JWKS (RS256/ES256); development uses jwt_secret (HS256)."""
    log_level: str = "INFO"
    cors_allowed_origins: Annotated[list[str] | None, NoDecode] = None
    """Origins (``scheme://host[:port]``, comma-separated) whose pages a browser lets call this API (CORS). Unset:
    the console's dev server (``DEV_CONSOLE_ORIGINS``) in development, none in production, where the console is
    served from the platform's own origin and each deployment lists any other."""

    @field_validator("cors_allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value):
        if isinstance(value, str):
            return [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]
        return value

    @property
    def allowed_origins(self) -> list[str]:
        """The CORS origins in force: as set, else by environment (``cors_allowed_origins``)."""
        if self.cors_allowed_origins is not None:
            return list(self.cors_allowed_origins)
        return [] if self.environment is Environment.production else list(DEV_CONSOLE_ORIGINS)

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> "ServiceSettings":
        if self.environment is Environment.production:
            if self.jwt_secret == DEV_JWT_SECRET and not self.oidc_jwks_url:
                raise ValueError(
                    f"{self.env_prefix()}JWT_SECRET is left at its development default; "
                    "set a secret or OIDC_JWKS_URL outside development"
                )
            if self.bus is BusKind.embedded:
                raise ValueError(f"{self.env_prefix()}BUS=embedded is for development only")
            if not self.database_url:
                raise ValueError(f"{self.env_prefix()}DATABASE_URL must be set outside development")
        return self

    @classmethod
    def env_prefix(cls) -> str:
        return cls.model_config.get("env_prefix", "")

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.var_dir / (self.service_name + '.db')}"

    @property
    def is_development(self) -> bool:
        return self.environment is not Environment.production
