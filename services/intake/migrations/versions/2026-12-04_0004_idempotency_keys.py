"""Idempotency keys: a creating POST's key, its request fingerprint and its first response.

Revision ID: intake_0004
Revises: intake_0003
Create Date: 2026-12-04
"""

from shared.migration_ops import create_idempotency_keys_v1, drop_idempotency_keys_v1

revision = "intake_0004"
down_revision = "intake_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_idempotency_keys_v1()


def downgrade() -> None:
    drop_idempotency_keys_v1()
