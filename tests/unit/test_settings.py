"""Each service reads its own environment prefix, and production refuses development defaults."""

from __future__ import annotations

import base64
import importlib
import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from shared.settings import DEV_JWT_SECRET, BusKind, Environment, ServiceSettings

pytestmark = pytest.mark.unit

SERVICES = ("intake", "review", "subsidy", "permits", "directory")


def settings_class(name: str) -> type[ServiceSettings]:
    module = importlib.import_module(f"services.{name}.settings")
    return getattr(module, f"{name.capitalize()}Settings")


def prefix(name: str) -> str:
    return f"{name.upper()}_"


def service_secrets(name: str, monkeypatch) -> None:
    """Secrets a service needs of its own in production (intake and directory: the passport keys)."""
    if name in ("intake", "directory"):
        monkeypatch.setenv(f"{prefix(name)}PASSPORT_KEYS", '{"1": "' + base64.b64encode(b"p" * 32).decode() + '"}')
        monkeypatch.setenv(f"{prefix(name)}PASSPORT_HASH_KEY", base64.b64encode(b"h" * 32).decode())


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No variable of the developer's shell may leak into what a test proves."""
    fields = {f.upper() for f in ServiceSettings.model_fields}
    for key in list(os.environ):
        if key in fields or any(key.startswith(prefix(s)) for s in SERVICES):
            monkeypatch.delenv(key)


@pytest.mark.parametrize("name", SERVICES)
def test_service_settings_name_the_service_and_its_prefix(name):
    cls = settings_class(name)

    assert cls.service_name == name
    assert cls.env_prefix() == prefix(name)


@pytest.mark.parametrize("name", SERVICES)
def test_service_reads_its_own_prefixed_variables_and_no_other_services(name, monkeypatch):
    for other in SERVICES:
        monkeypatch.setenv(f"{prefix(other)}DATABASE_URL", f"postgresql+asyncpg://db/{other}")
        monkeypatch.setenv(f"{prefix(other)}DELIVERY_LIMIT", str(10 + SERVICES.index(other)))
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://db/unprefixed")

    settings = settings_class(name)()

    assert settings.database_url == f"postgresql+asyncpg://db/{name}"
    assert settings.delivery_limit == 10 + SERVICES.index(name)


@pytest.mark.parametrize("name", SERVICES)
def test_service_ignores_another_services_variables(name, monkeypatch):
    for other in SERVICES:
        if other != name:
            monkeypatch.setenv(f"{prefix(other)}DATABASE_URL", f"postgresql+asyncpg://db/{other}")
            monkeypatch.setenv(f"{prefix(other)}ENVIRONMENT", "production")
    monkeypatch.setenv("JWT_SECRET", "unprefixed-secret")

    settings = settings_class(name)()

    assert settings.database_url == ""
    assert settings.environment is Environment.development
    assert settings.jwt_secret == DEV_JWT_SECRET


@pytest.mark.parametrize("name", SERVICES)
def test_production_refuses_development_jwt_secret(name, monkeypatch):
    monkeypatch.setenv(f"{prefix(name)}ENVIRONMENT", "production")
    monkeypatch.setenv(f"{prefix(name)}BUS", "rabbitmq")

    with pytest.raises(ValidationError, match=f"{prefix(name)}JWT_SECRET"):
        settings_class(name)()


@pytest.mark.parametrize("name", SERVICES)
def test_production_refuses_development_jwt_secret_given_explicitly(name):
    with pytest.raises(ValidationError, match="JWT_SECRET"):
        settings_class(name)(environment="production", bus="rabbitmq", jwt_secret=DEV_JWT_SECRET)


@pytest.mark.parametrize("name", SERVICES)
def test_production_accepts_a_real_jwt_secret(name, monkeypatch):
    monkeypatch.setenv(f"{prefix(name)}ENVIRONMENT", "production")
    monkeypatch.setenv(f"{prefix(name)}BUS", "rabbitmq")
    monkeypatch.setenv(f"{prefix(name)}JWT_SECRET", "a-production-secret-from-the-vault-0123456789")
    monkeypatch.setenv(f"{prefix(name)}DATABASE_URL", f"postgresql+asyncpg://db/{name}")
    service_secrets(name, monkeypatch)

    settings = settings_class(name)()

    assert settings.environment is Environment.production
    assert not settings.is_development


@pytest.mark.parametrize("name", SERVICES)
def test_production_accepts_oidc_jwks_url_instead_of_a_secret(name, monkeypatch):
    monkeypatch.setenv(f"{prefix(name)}ENVIRONMENT", "production")
    monkeypatch.setenv(f"{prefix(name)}BUS", "rabbitmq")
    monkeypatch.setenv(f"{prefix(name)}OIDC_JWKS_URL", "https://idp.example/.well-known/jwks.json")
    monkeypatch.setenv(f"{prefix(name)}DATABASE_URL", f"postgresql+asyncpg://db/{name}")
    service_secrets(name, monkeypatch)

    settings = settings_class(name)()

    assert settings.oidc_jwks_url == "https://idp.example/.well-known/jwks.json"


@pytest.mark.parametrize("name", SERVICES)
def test_production_refuses_a_missing_database_url(name, monkeypatch):
    monkeypatch.setenv(f"{prefix(name)}ENVIRONMENT", "production")
    monkeypatch.setenv(f"{prefix(name)}BUS", "rabbitmq")
    monkeypatch.setenv(f"{prefix(name)}JWT_SECRET", "a-production-secret-from-the-vault-0123456789")

    with pytest.raises(ValidationError, match=f"{prefix(name)}DATABASE_URL"):
        settings_class(name)()


@pytest.mark.parametrize("name", SERVICES)
def test_production_refuses_embedded_bus(name, monkeypatch):
    monkeypatch.setenv(f"{prefix(name)}ENVIRONMENT", "production")
    monkeypatch.setenv(f"{prefix(name)}JWT_SECRET", "a-production-secret-from-the-vault-0123456789")
    monkeypatch.setenv(f"{prefix(name)}BUS", "embedded")

    with pytest.raises(ValidationError, match=f"{prefix(name)}BUS=embedded"):
        settings_class(name)()


@pytest.mark.parametrize("name", SERVICES)
@pytest.mark.parametrize("environment", ["development", "test"])
def test_development_and_test_accept_the_defaults(name, environment, monkeypatch):
    monkeypatch.setenv(f"{prefix(name)}ENVIRONMENT", environment)

    settings = settings_class(name)()

    assert settings.jwt_secret == DEV_JWT_SECRET
    assert settings.bus is BusKind.embedded
    assert settings.is_development


@pytest.mark.parametrize("name", SERVICES)
def test_default_database_is_a_sqlite_file_under_var_dir_named_after_the_service(name, monkeypatch, tmp_path):
    monkeypatch.setenv(f"{prefix(name)}VAR_DIR", str(tmp_path))

    settings = settings_class(name)()

    assert settings.var_dir == tmp_path
    assert settings.resolved_database_url == f"sqlite+aiosqlite:///{tmp_path / f'{name}.db'}"


def test_default_var_dir_is_var_relative_to_the_working_directory():
    settings = settings_class("review")()

    assert settings.resolved_database_url == f"sqlite+aiosqlite:///{Path('var') / 'review.db'}"


def test_explicit_database_url_wins_over_the_sqlite_default(monkeypatch):
    monkeypatch.setenv("SUBSIDY_DATABASE_URL", "postgresql+asyncpg://db/subsidy")

    assert settings_class("subsidy")().resolved_database_url == "postgresql+asyncpg://db/subsidy"


def test_the_database_pool_is_sized_from_settings_and_the_bare_baseline_uses_the_same_defaults(monkeypatch):
    """A pool smaller than what one process serves at once opens and closes connections under load; the
    size is a setting, and the benchmark's bare baseline takes the services' defaults (same engine settings)."""
    from bench import bare_app
    from shared.db import Database

    monkeypatch.setenv("REVIEW_DATABASE_POOL_SIZE", "7")
    monkeypatch.setenv("REVIEW_DATABASE_MAX_OVERFLOW", "3")
    settings = settings_class("review")()
    assert (settings.database_pool_size, settings.database_max_overflow) == (7, 3)
    pool = Database("postgresql+asyncpg://u:p@127.0.0.1/db", pool_size=settings.database_pool_size,
                    max_overflow=settings.database_max_overflow).engine.sync_engine.pool
    assert (pool.size(), pool._max_overflow) == (7, 3)
    defaults = ServiceSettings()
    bare = bare_app.create_app("postgresql+asyncpg://u:p@127.0.0.1/db").state.engine.sync_engine.pool
    assert (bare.size(), bare._max_overflow) == (defaults.database_pool_size, defaults.database_max_overflow)
    assert defaults.database_pool_size >= 32  # the benchmark's 32 concurrent clients churn nothing
