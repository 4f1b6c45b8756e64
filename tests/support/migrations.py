"""What the migration tests share: the tables a migrated SQLite file holds, and the drift they tolerate."""

from __future__ import annotations

import sqlalchemy as sa

FTS_TABLES = {"experts_fts", "experts_fts_data", "experts_fts_idx", "experts_fts_docsize", "experts_fts_config"}
"""SQLite's FTS5 table and its shadow tables: created by the migration, not declared as tables."""


def known_plumbing_drift(diff) -> bool:
    # The relay's partial index is created by the shared plumbing migration but not declared
    # in shared/tables.py; that drift belongs to the shared library, not to this service.
    return diff[0] == "remove_index" and diff[1].name == "ix_outbox_unsent"


def tables(path) -> set[str]:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()
