"""The committee: members and seats, cases, sittings, conflicts, scores, votes, decisions (R-COMMITTEE).

Revision ID: review_0002
Revises: review_0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "review_0002"
down_revision = "review_0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "committee_members",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("subject", sa.String(200), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("seat_type", sa.String(30), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "cases",
        sa.Column("application_id", sa.Uuid, primary_key=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("sitting_id", sa.Uuid),
        sa.Column("employer_id", sa.Uuid, nullable=False),
        sa.Column("expert_id", sa.Uuid, nullable=False),
        sa.Column("track", sa.String(30), nullable=False),
        sa.Column("dossier", JSON, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source_event_id", sa.String(36), nullable=False),
    )
    op.create_index("ix_cases_state", "cases", ["state", "received_at"])
    op.create_table(
        "sittings",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("attendance_recorded_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "sitting_members",
        sa.Column("sitting_id", sa.Uuid, sa.ForeignKey("sittings.id"), primary_key=True),
        sa.Column("member_id", sa.Uuid, sa.ForeignKey("committee_members.id"), primary_key=True),
        sa.Column("present", sa.Boolean, nullable=False),
    )
    op.create_table(
        "conflicts",
        sa.Column("sitting_id", sa.Uuid, primary_key=True),
        sa.Column("application_id", sa.Uuid, primary_key=True),
        sa.Column("member_id", sa.Uuid, primary_key=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "scores",
        sa.Column("sitting_id", sa.Uuid, primary_key=True),
        sa.Column("application_id", sa.Uuid, primary_key=True),
        sa.Column("member_id", sa.Uuid, primary_key=True),
        sa.Column("achievements", sa.SmallInteger, nullable=False),
        sa.Column("renown", sa.SmallInteger, nullable=False),
        sa.Column("recognition", sa.SmallInteger, nullable=False),
        sa.Column("need", sa.SmallInteger, nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "votes",
        sa.Column("sitting_id", sa.Uuid, primary_key=True),
        sa.Column("application_id", sa.Uuid, primary_key=True),
        sa.Column("member_id", sa.Uuid, primary_key=True),
        sa.Column("approve", sa.Boolean, nullable=False),
        sa.Column("voted_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("application_id", sa.Uuid, nullable=False, unique=True),
        sa.Column("sitting_id", sa.Uuid, nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("votes_for", sa.Integer, nullable=False),
        sa.Column("votes_against", sa.Integer, nullable=False),
        sa.Column("recused", sa.Integer, nullable=False),
        sa.Column("average_scores", JSON, nullable=False),
        sa.Column("reasons", JSON, nullable=False),
        sa.Column("funding_plan", JSON),
        sa.Column("cap_exception", JSON),
        sa.Column("wage_bill_note", sa.Text),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    for table in ("decisions", "votes", "scores", "conflicts", "sitting_members", "sittings"):
        op.drop_table(table)
    op.drop_index("ix_cases_state", table_name="cases")
    op.drop_table("cases")
    op.drop_table("committee_members")
