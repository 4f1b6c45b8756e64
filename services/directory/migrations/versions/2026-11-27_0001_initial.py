"""Initial schema of the directory service: outbox, inbox, audit log, and its first tables.

Revision ID: directory_0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

from shared.migration_ops import create_plumbing_tables_v1, drop_plumbing_tables_v1

revision = "directory_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_plumbing_tables_v1()
    op.create_table(
        "employers",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=False, unique=True),
        sa.Column("district", sa.String(30), nullable=False),
        sa.Column("competent_department", sa.String(200)),
        sa.Column("municipal_state_owned", sa.Boolean, nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("registered_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_employers_registered", "employers", ["registered_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_employers_registered", table_name="employers")
    op.drop_table("employers")
    drop_plumbing_tables_v1()
