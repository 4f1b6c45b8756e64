"""Idempotency keys: a creating POST's key, its request fingerprint and its first response.

Revision ID: intake_0004
Revises: intake_0003
Create Date: 2026-12-04
"""

revision = "intake_0004"
down_revision = "intake_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
