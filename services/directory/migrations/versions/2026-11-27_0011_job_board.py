"""The job board: employers' postings, matchmaking events and their registrations (R-PLATFORM (2)-(4)).

Revision ID: directory_0011
Revises: directory_0010
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "directory_0011"
down_revision = "directory_0010"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(14, 2)


def upgrade() -> None:
    op.create_table(
        "postings",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("employer_id", sa.Uuid, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("focus_area", sa.String(60), nullable=False),
        sa.Column("field", sa.String(60), nullable=False),
        sa.Column("skills", sa.JSON, nullable=False),
        sa.Column("languages", sa.JSON, nullable=False),
        sa.Column("requirements", sa.Text, nullable=False),
        sa.Column("term_start", sa.Date, nullable=False),
        sa.Column("term_end", sa.Date, nullable=False),
        sa.Column("salary_min", MONEY, nullable=False),
        sa.Column("salary_max", MONEY, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_by", sa.String(200), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_postings_posted", "postings", ["posted_at", "id"])
    op.create_index("ix_postings_status_field", "postings", ["status", "field"])
    op.create_index("ix_postings_employer", "postings", ["employer_id"])
    op.create_index("ix_experts_seeking_field", "experts", ["seeking", "field"])
    op.create_table(
        "matchmaking_events",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("field", sa.String(60)),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("location", sa.String(200), nullable=False),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_matchmaking_events_starts", "matchmaking_events", ["starts_at", "id"])
    op.create_table(
        "event_registrations",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("event_id", sa.Uuid, sa.ForeignKey("matchmaking_events.id"), nullable=False),
        sa.Column("registrant_kind", sa.String(10), nullable=False),
        sa.Column("registrant_id", sa.String(200), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("event_id", "registrant_kind", "registrant_id", name="uq_event_registrant"),
    )


def downgrade() -> None:
    op.drop_table("event_registrations")
    op.drop_table("matchmaking_events")
    op.drop_index("ix_experts_seeking_field", table_name="experts")
    op.drop_table("postings")
