"""Notices, award nominations, consultations of experts, the working-and-living guide and adaptation courses (R-PLATFORM, R-AWARD, R-SETTLE).

Revision ID: directory_0012
Revises: directory_0011
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "directory_0012"
down_revision = "directory_0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "award_nominations",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("expert_id", sa.Uuid, nullable=False),
        sa.Column("award", sa.String(40), nullable=False),
        sa.Column("contribution", sa.Text, nullable=False),
        sa.Column("especially_outstanding", sa.Boolean, nullable=False),
        sa.Column("nominated_by", sa.String(200), nullable=False),
        sa.Column("employer_id", sa.Uuid),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("decision_reason", sa.Text),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "consultations",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("plan", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("questions", sa.JSON, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True)),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "consultation_responses",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("consultation_id", sa.Uuid, sa.ForeignKey("consultations.id"), nullable=False),
        sa.Column("expert_id", sa.Uuid, nullable=False),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("consultation_id", "expert_id", name="uq_consultation_expert"),
    )
    op.create_table(
        "guide_sections",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("topic", sa.String(30), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("language", sa.String(3), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "courses",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=False),
        sa.Column("location", sa.String(200), nullable=False),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "course_enrolments",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("course_id", sa.Uuid, sa.ForeignKey("courses.id"), nullable=False),
        sa.Column("expert_id", sa.Uuid, nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("course_id", "expert_id", name="uq_course_expert"),
    )
    op.create_index("ix_notices_published", "notices", ["published_at", "id"])
    op.create_index("ix_award_nominations_created", "award_nominations", ["created_at", "id"])
    op.create_index("ix_award_nominations_expert", "award_nominations", ["expert_id"])
    op.create_index("ix_courses_starts", "courses", ["starts_on", "id"])


def downgrade() -> None:
    op.drop_table("course_enrolments")
    op.drop_table("courses")
    op.drop_table("guide_sections")
    op.drop_table("consultation_responses")
    op.drop_table("consultations")
    op.drop_table("award_nominations")
    op.drop_table("notices")
