"""Idempotency keys: a creating POST's key, its request fingerprint and its first response.

Revision ID: review_0012
Revises: review_0011
Create Date: 2026-12-04
"""

revision = "review_0012"
down_revision = "review_0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
