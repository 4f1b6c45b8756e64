"""Recoveries a person can see and settle: repayments recorded against a recovery.

Revision ID: subsidy_0010
Revises: subsidy_0009
Create Date: 2026-12-04
"""

revision = "subsidy_0010"
down_revision = "subsidy_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
