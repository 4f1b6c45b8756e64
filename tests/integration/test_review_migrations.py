"""The review service's migrations build exactly the tables the code declares, and go back down."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from services.review.app import MIGRATIONS_DIR
from services.review.models import metadata
from shared.migrations import downgrade, upgrade
from tests.integration.test_permits_migrations import _known_plumbing_drift, tables


def schema_differences(path) -> list:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return [d for d in compare_metadata(context, metadata) if not _known_plumbing_drift(d)]
    finally:
        engine.dispose()


def test_committee_migration_builds_the_declared_tables_and_goes_down_and_up(tmp_path):
    path = tmp_path / "review.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(MIGRATIONS_DIR, url)
    assert schema_differences(path) == []
    assert {"committee_members", "cases", "sittings", "decisions"} <= tables(path)

    downgrade(MIGRATIONS_DIR, url, "review_0001")
    assert tables(path) == {"outbox", "inbox", "audit_log"}
    upgrade(MIGRATIONS_DIR, url)
    assert schema_differences(path) == []
