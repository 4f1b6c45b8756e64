"""The review service's migrations: they build exactly the tables the code declares, and go back down."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import services.review.supervision.models  # noqa: F401  (declares supervision's tables on the metadata)
from services.review.app import MIGRATIONS_DIR
from services.review.models import metadata
from shared.migrations import downgrade, upgrade

SUPERVISION = {"supervised_selections", "signed_contracts", "performance_evaluations", "contract_breaches",
               "breach_appeals"}


def schema_differences(path) -> list:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return [d for d in compare_metadata(context, metadata) if not _known_plumbing_drift(d)]
    finally:
        engine.dispose()


def _known_plumbing_drift(diff) -> bool:
    # The relay's partial index is created by the shared plumbing migration but not declared in shared/tables.py.
    return diff[0] == "remove_index" and diff[1].name == "ix_outbox_unsent"


def tables(path) -> set[str]:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_migrations_build_the_tables_the_models_declare(tmp_path):
    path = tmp_path / "review.db"

    upgrade(MIGRATIONS_DIR, f"sqlite+aiosqlite:///{path}")

    assert schema_differences(path) == []
    assert SUPERVISION <= tables(path)


def test_supervision_migrations_go_down_and_up_again(tmp_path):
    path = tmp_path / "review.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(MIGRATIONS_DIR, url)

    downgrade(MIGRATIONS_DIR, url, "review_0001")
    assert tables(path) == {"outbox", "inbox", "audit_log"}

    upgrade(MIGRATIONS_DIR, url)
    assert schema_differences(path) == []
