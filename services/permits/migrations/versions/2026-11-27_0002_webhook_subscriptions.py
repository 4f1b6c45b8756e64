"""Partner-agency webhook subscriptions (Standard Webhooks; secrets kept to sign deliveries).

Revision ID: permits_0002
Revises: permits_0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "permits_0002"
down_revision = "permits_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "webhook_subscriptions",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("event_types", sa.JSON, nullable=False),
        sa.Column("description", sa.String(500)),
        sa.Column("secret", sa.String(100), nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("disabled_reason", sa.String(500)),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_webhook_subscriptions_created", "webhook_subscriptions", ["created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_webhook_subscriptions_created", table_name="webhook_subscriptions")
    op.drop_table("webhook_subscriptions")
