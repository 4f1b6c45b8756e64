"""The entitlements subsidy opened for each application, so the decision the employer reads names them.

Revision ID: intake_0008
Revises: intake_0007
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "intake_0008"
down_revision = "intake_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "application_entitlements",
        sa.Column("entitlement_id", sa.Uuid, primary_key=True),
        sa.Column("application_id", sa.Uuid, nullable=False),
        sa.Column("track", sa.String(30), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_application_entitlements_application_id", "application_entitlements", ["application_id"])


def downgrade() -> None:
    op.drop_index("ix_application_entitlements_application_id", table_name="application_entitlements")
    op.drop_table("application_entitlements")
