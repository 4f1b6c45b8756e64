"""The directory's migrations: they build the tables the code declares (full-text search by dialect), and go back down."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from services.directory.app import MIGRATIONS_DIR
from services.directory.models import metadata
from shared.migrations import downgrade, upgrade
from tests.support import infra
from tests.support.migrations import FTS_TABLES


def schema_differences(path) -> list:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return [d for d in compare_metadata(context, metadata) if not _expected(d)]
    finally:
        engine.dispose()


def _expected(diff) -> bool:
    if diff[0] == "remove_index" and diff[1].name in ("ix_outbox_unsent", "ix_employers_registered"):
        return True  # the plumbing's partial index and the registry's index, created but not declared
    return diff[0] == "remove_table" and diff[1].name in FTS_TABLES


def tables(path) -> set[str]:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_directory_migrations_build_the_declared_tables_and_go_down_and_up(tmp_path):
    path = tmp_path / "directory.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(MIGRATIONS_DIR, url)
    assert schema_differences(path) == []
    assert {"experts", "expert_tags", "postings", "award_nominations", "courses", "experts_fts"} <= tables(path)

    downgrade(MIGRATIONS_DIR, url, "directory_0001")
    assert tables(path) == {"outbox", "inbox", "audit_log", "employers"}

    upgrade(MIGRATIONS_DIR, url)
    assert schema_differences(path) == []


@pytest.mark.postgres
async def test_directory_migrations_go_down_and_up_on_postgresql_with_the_search_index():
    urls = await infra.create_databases(("directory",))
    url = urls["directory"]
    try:
        await asyncio.to_thread(upgrade, MIGRATIONS_DIR, url)
        assert "ix_experts_search" in await _pg_indexes(url)
        await asyncio.to_thread(downgrade, MIGRATIONS_DIR, url, "directory_0001")
        assert "ix_experts_search" not in await _pg_indexes(url)
        await asyncio.to_thread(upgrade, MIGRATIONS_DIR, url)
        assert "ix_experts_search" in await _pg_indexes(url)
    finally:
        await infra.drop_databases(urls)


async def _pg_indexes(url: str) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return set((await connection.execute(sa.text("SELECT indexname FROM pg_indexes"))).scalars())
    finally:
        await engine.dispose()
