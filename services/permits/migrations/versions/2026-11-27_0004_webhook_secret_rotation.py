"""Webhook secret rotation: the previous secret and until when deliveries are also signed with it.

Revision ID: permits_0004
Revises: permits_0003
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "permits_0004"
down_revision = "permits_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("webhook_subscriptions") as batch:
        batch.add_column(sa.Column("previous_secret", sa.String(100)))
        batch.add_column(sa.Column("previous_secret_until", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("webhook_subscriptions") as batch:
        batch.drop_column("previous_secret_until")
        batch.drop_column("previous_secret")
