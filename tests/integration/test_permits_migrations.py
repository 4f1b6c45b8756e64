"""The permits service's migrations: they build exactly the tables the code declares, and go back down."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from services.permits.app import MIGRATIONS_DIR
from services.permits.models import metadata
from shared.migrations import downgrade, upgrade
from tests.support.migrations import known_plumbing_drift, tables


def schema_differences(path) -> list:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return [d for d in compare_metadata(context, metadata) if not known_plumbing_drift(d)]
    finally:
        engine.dispose()


def test_migrations_build_the_tables_the_models_declare(tmp_path):
    path = tmp_path / "permits.db"

    upgrade(MIGRATIONS_DIR, f"sqlite+aiosqlite:///{path}")

    assert schema_differences(path) == []
    assert "webhook_subscriptions" in tables(path)


def test_webhook_subscriptions_migration_goes_down_and_up_again(tmp_path):
    path = tmp_path / "permits.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(MIGRATIONS_DIR, url)

    downgrade(MIGRATIONS_DIR, url, "permits_0001")
    assert tables(path) == {"outbox", "inbox", "audit_log"}

    upgrade(MIGRATIONS_DIR, url)
    assert schema_differences(path) == []
