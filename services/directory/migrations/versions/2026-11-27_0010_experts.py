"""The expert database: experts, their skills and languages, breaches; full-text search by dialect.

PostgreSQL: a generated ``tsvector`` column over ``search_text`` with a GIN index.
SQLite (embedded mode): an FTS5 external-content table kept in step by triggers.

Revision ID: directory_0010
Revises: directory_0003
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "directory_0010"
down_revision = "directory_0003"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(14, 2)


def upgrade() -> None:
    op.create_table(
        "experts",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("nationality", sa.String(2), nullable=False),
        sa.Column("date_of_birth", sa.Date),
        sa.Column("focus_area", sa.String(60), nullable=False),
        sa.Column("field", sa.String(60), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("headline", sa.String(300)),
        sa.Column("bio", sa.Text),
        sa.Column("skills", sa.JSON, nullable=False),
        sa.Column("languages", sa.JSON, nullable=False),
        sa.Column("employer_id", sa.Uuid),
        sa.Column("employer_name", sa.String(200)),
        sa.Column("application_id", sa.Uuid, unique=True),
        sa.Column("passport_number", sa.String(30)),
        sa.Column("annual_salary", MONEY),
        sa.Column("seeking", sa.Boolean, nullable=False),
        sa.Column("available_from", sa.Date),
        sa.Column("search_text", sa.Text, nullable=False),
        sa.Column("listed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_experts_listed", "experts", ["listed_at", "id"])
    op.create_index("ix_experts_field", "experts", ["field"])
    op.create_index("ix_experts_focus_area", "experts", ["focus_area"])
    op.create_index("ix_experts_nationality", "experts", ["nationality"])
    op.create_table(
        "expert_tags",
        sa.Column("expert_id", sa.Uuid, sa.ForeignKey("experts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("value", sa.String(60), primary_key=True),
    )
    op.create_index("ix_expert_tags_value", "expert_tags", ["kind", "value", "expert_id"])
    op.create_table(
        "expert_breaches",
        sa.Column("breach_id", sa.Uuid, primary_key=True),
        sa.Column("expert_id", sa.Uuid, nullable=False),
        sa.Column("attributable_to", sa.String(20)),
        sa.Column("breach_date", sa.Date),
        sa.Column("recorded_at", sa.DateTime(timezone=True)),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_expert_breaches_expert", "expert_breaches", ["expert_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE experts ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED"
        )
        op.execute("CREATE INDEX ix_experts_search ON experts USING GIN (search_vector)")
    else:
        op.execute("CREATE VIRTUAL TABLE experts_fts USING fts5(search_text, content='experts', content_rowid='rowid')")
        op.execute(
            "CREATE TRIGGER experts_fts_insert AFTER INSERT ON experts BEGIN "
            "INSERT INTO experts_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END"
        )
        op.execute(
            "CREATE TRIGGER experts_fts_delete AFTER DELETE ON experts BEGIN "
            "INSERT INTO experts_fts(experts_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); END"
        )
        op.execute(
            "CREATE TRIGGER experts_fts_update AFTER UPDATE OF search_text ON experts BEGIN "
            "INSERT INTO experts_fts(experts_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); "
            "INSERT INTO experts_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_experts_search")
    else:
        for trigger in ("experts_fts_insert", "experts_fts_delete", "experts_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS experts_fts")
    op.drop_table("expert_breaches")
    op.drop_table("expert_tags")
    op.drop_table("experts")
