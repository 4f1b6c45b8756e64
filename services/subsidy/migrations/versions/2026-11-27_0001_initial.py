"""Initial schema of the subsidy service: outbox, inbox, audit log.

Revision ID: subsidy_0001
Revises:
Create Date: 2026-11-27
"""

from shared.migration_ops import create_plumbing_tables_v1, drop_plumbing_tables_v1

revision = "subsidy_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_plumbing_tables_v1()


def downgrade() -> None:
    drop_plumbing_tables_v1()
