"""Applications by expert: which employer first applied for an expert, and whether one was selected for it.

Revision ID: intake_0005
Revises: intake_0004
Create Date: 2026-12-04
"""

from alembic import op

revision = "intake_0005"
down_revision = "intake_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_applications_expert", "applications", ["expert_id", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_applications_expert", table_name="applications")
