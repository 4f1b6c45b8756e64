"""Breaches of an application's contract as review announces them (R-SUPERVISE).

Revision ID: intake_0003
Revises: intake_0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "intake_0003"
down_revision = "intake_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "application_breaches",
        sa.Column("breach_id", sa.Uuid, primary_key=True),
        sa.Column("application_id", sa.Uuid, nullable=False),
        sa.Column("expert_id", sa.Uuid, nullable=False),
        sa.Column("attributable_to", sa.String(20)),
        sa.Column("breach_date", sa.Date),
        sa.Column("confirmed_at", sa.DateTime(timezone=True)),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_application_breaches_application_id", "application_breaches", ["application_id"])


def downgrade() -> None:
    op.drop_index("ix_application_breaches_application_id", table_name="application_breaches")
    op.drop_table("application_breaches")
