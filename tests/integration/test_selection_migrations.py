"""The directory and intake migrations: they build exactly the tables the code declares, and go back down."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from services.directory.app import MIGRATIONS_DIR as DIRECTORY_MIGRATIONS
from services.directory.models import metadata as directory_metadata
from services.intake.app import MIGRATIONS_DIR as INTAKE_MIGRATIONS
from services.intake.models import metadata as intake_metadata
from shared.migrations import downgrade, upgrade
from tests.support.migrations import FTS_TABLES

SERVICES = {"directory": (DIRECTORY_MIGRATIONS, directory_metadata), "intake": (INTAKE_MIGRATIONS, intake_metadata)}


def schema_differences(path, metadata) -> list:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            # The relay's partial index belongs to the shared plumbing migration, not to these services;
            # SQLite's FTS5 tables of the expert search are created by migration, not declared.
            return [d for d in compare_metadata(context, metadata)
                    if not (d[0] == "remove_index" and d[1].name == "ix_outbox_unsent")
                    and not (d[0] == "remove_table" and d[1].name in FTS_TABLES)]
    finally:
        engine.dispose()


@pytest.mark.parametrize("service", list(SERVICES))
def test_migrations_build_the_tables_the_models_declare_and_go_down_and_up(service, tmp_path):
    migrations, metadata = SERVICES[service]
    path = tmp_path / f"{service}.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(migrations, url)
    assert schema_differences(path, metadata) == []

    downgrade(migrations, url, f"{service}_0001")
    upgrade(migrations, url)
    assert schema_differences(path, metadata) == []


def test_taxonomy_migration_ships_r_field_codes(tmp_path):
    path = tmp_path / "directory.db"
    upgrade(DIRECTORY_MIGRATIONS, f"sqlite+aiosqlite:///{path}")
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            counts = [connection.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
                      for t in ("taxonomy_focus_areas", "taxonomy_fields", "taxonomy_zones")]
    finally:
        engine.dispose()
    assert counts == [5, 23, 14]
