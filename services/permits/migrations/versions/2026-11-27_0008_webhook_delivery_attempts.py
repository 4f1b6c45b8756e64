"""Every attempt of every webhook delivery: time, status code or error, duration (the per-attempt log).

Revision ID: permits_0008
Revises: permits_0007
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "permits_0008"
down_revision = "permits_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "webhook_delivery_attempts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("delivery_id", sa.BigInteger().with_variant(sa.Integer, "sqlite"),
                  sa.ForeignKey("webhook_deliveries.id"), nullable=False),
        sa.Column("subscription_id", sa.Uuid, sa.ForeignKey("webhook_subscriptions.id"), nullable=False),
        sa.Column("webhook_id", sa.String(64), nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_code", sa.Integer),
        sa.Column("error", sa.Text),
        sa.Column("duration_ms", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
    )
    op.create_index("ix_webhook_delivery_attempts_subscription", "webhook_delivery_attempts",
                    ["subscription_id", "id"])
    op.create_index("ix_webhook_delivery_attempts_delivery", "webhook_delivery_attempts", ["delivery_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_webhook_delivery_attempts_delivery", table_name="webhook_delivery_attempts")
    op.drop_index("ix_webhook_delivery_attempts_subscription", table_name="webhook_delivery_attempts")
    op.drop_table("webhook_delivery_attempts")
