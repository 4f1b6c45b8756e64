"""Green-channel cases with their service-level target (R-GREEN), and the breaches permits heard of (R-SUPERVISE).

Revision ID: permits_0005
Revises: permits_0004
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "permits_0005"
down_revision = "permits_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "green_channel_cases",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("application_id", sa.Uuid, nullable=False, unique=True),
        sa.Column("decision_id", sa.Uuid, nullable=False),
        sa.Column("expert_id", sa.Uuid, nullable=False),
        sa.Column("employer_id", sa.Uuid, nullable=False),
        sa.Column("track", sa.String(40), nullable=False),
        sa.Column("contract_start", sa.Date, nullable=False),
        sa.Column("contract_end", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sla_working_days", sa.Integer, nullable=False),
        sa.Column("due_by", sa.Date, nullable=False),
        sa.Column("documents_issued_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_by_breach_id", sa.Uuid),
        sa.Column("source_event_id", sa.String(64), nullable=False),
    )
    op.create_index("ix_green_channel_cases_opened", "green_channel_cases", ["opened_at", "id"])
    op.create_index("ix_green_channel_cases_expert", "green_channel_cases", ["expert_id"])
    op.create_table(
        "breaches",
        sa.Column("breach_id", sa.Uuid, primary_key=True),
        sa.Column("application_id", sa.Uuid, nullable=False),
        sa.Column("expert_id", sa.Uuid, nullable=False),
        sa.Column("attributable_to", sa.String(20)),
        sa.Column("breach_date", sa.Date),
        sa.Column("withdrawn", sa.Boolean, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_breaches_application", "breaches", ["application_id"])


def downgrade() -> None:
    op.drop_index("ix_breaches_application", table_name="breaches")
    op.drop_table("breaches")
    op.drop_index("ix_green_channel_cases_expert", table_name="green_channel_cases")
    op.drop_index("ix_green_channel_cases_opened", table_name="green_channel_cases")
    op.drop_table("green_channel_cases")
