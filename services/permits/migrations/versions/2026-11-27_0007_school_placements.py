"""School placement requests for the expert's children (R-SCHOOL).

Revision ID: permits_0007
Revises: permits_0006
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "permits_0007"
down_revision = "permits_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "school_placements",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("case_id", sa.Uuid, sa.ForeignKey("green_channel_cases.id"), nullable=False),
        sa.Column("child_name", sa.String(200), nullable=False),
        sa.Column("date_of_birth", sa.Date, nullable=False),
        sa.Column("preferred_school_type", sa.String(40), nullable=False),
        sa.Column("preferred_district", sa.String(40)),
        sa.Column("grade", sa.String(40)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("school_name", sa.String(300)),
        sa.Column("school_type", sa.String(40)),
        sa.Column("note", sa.String(1000)),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_school_placements_case", "school_placements", ["case_id", "requested_at"])


def downgrade() -> None:
    op.drop_index("ix_school_placements_case", table_name="school_placements")
    op.drop_table("school_placements")
