"""The review service's migrations build exactly the tables the code declares, and go back down."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext


from services.review.app import MIGRATIONS_DIR
from services.review.models import metadata
from shared.migrations import downgrade, upgrade
from tests.support.migrations import known_plumbing_drift, tables

COMMITTEE = {"committee_members", "cases", "sittings", "decisions"}
SUPERVISION = {"supervised_selections", "signed_contracts", "performance_evaluations", "contract_breaches",
               "breach_appeals"}


def schema_differences(path) -> list:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return [d for d in compare_metadata(context, metadata) if not known_plumbing_drift(d)]
    finally:
        engine.dispose()


def test_migrations_build_the_committee_and_supervision_tables_the_models_declare(tmp_path):
    path = tmp_path / "review.db"
    upgrade(MIGRATIONS_DIR, f"sqlite+aiosqlite:///{path}")
    assert schema_differences(path) == []
    assert COMMITTEE | SUPERVISION <= tables(path)


def test_supervision_goes_down_to_the_committee_and_everything_down_and_up_again(tmp_path):
    path = tmp_path / "review.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(MIGRATIONS_DIR, url)

    downgrade(MIGRATIONS_DIR, url, "review_0002")
    assert not SUPERVISION & tables(path)
    assert COMMITTEE <= tables(path)

    downgrade(MIGRATIONS_DIR, url, "review_0001")
    assert tables(path) == {"outbox", "inbox", "audit_log"}

    upgrade(MIGRATIONS_DIR, url)
    assert schema_differences(path) == []
