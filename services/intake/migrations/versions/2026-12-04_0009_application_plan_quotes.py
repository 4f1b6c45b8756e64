"""Funding plans quoted after an approval recorded them to be quoted, so the employer reads the quoted plan.

Revision ID: intake_0009
Revises: intake_0008
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "intake_0009"
down_revision = "intake_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "application_plan_quotes",
        sa.Column("application_id", sa.Uuid, primary_key=True),
        sa.Column("decision_id", sa.Uuid, nullable=False),
        sa.Column("funding_plan", sa.JSON, nullable=False),
        sa.Column("quoted_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("application_plan_quotes")
