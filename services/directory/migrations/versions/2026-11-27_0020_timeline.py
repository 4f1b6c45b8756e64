"""The expert's timeline: every other service's events about an expert (R-SUPERVISE).

Revision ID: directory_0020
Revises: directory_0012
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "directory_0020"
down_revision = "directory_0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "expert_timeline",
        sa.Column("event_id", sa.Uuid, primary_key=True),
        sa.Column("expert_id", sa.Uuid),
        sa.Column("application_id", sa.Uuid),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("type", sa.String(60), nullable=False),
        sa.Column("service", sa.String(20), nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_expert_timeline_expert", "expert_timeline", ["expert_id", "occurred_at", "event_id"])
    op.create_index("ix_expert_timeline_application", "expert_timeline", ["application_id"])


def downgrade() -> None:
    op.drop_index("ix_expert_timeline_application", table_name="expert_timeline")
    op.drop_index("ix_expert_timeline_expert", table_name="expert_timeline")
    op.drop_table("expert_timeline")
