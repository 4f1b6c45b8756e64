"""One expert per passport number: a registry keyed by the passport's hash, so simultaneous drafts agree.

The draft used to take the expert of the earliest application with the same passport hash, else a new one;
two first drafts at the same moment (PostgreSQL) each found none and made two experts of one person. The
registry's primary key makes them agree. Filled from the applications: for each hash, the expert and employer
of its earliest application.

Revision ID: intake_0007
Revises: intake_0006
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "intake_0007"
down_revision = "intake_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "passport_experts",
        sa.Column("passport_hash", sa.String(64), primary_key=True),
        sa.Column("expert_id", sa.Uuid, nullable=False),
        sa.Column("first_employer_id", sa.Uuid, nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_passport_experts_expert_id", "passport_experts", ["expert_id"])
    op.execute(
        "INSERT INTO passport_experts (passport_hash, expert_id, first_employer_id, registered_at) "
        "SELECT passport_hash, expert_id, employer_id, created_at FROM ("
        "  SELECT passport_hash, expert_id, employer_id, created_at,"
        "         ROW_NUMBER() OVER (PARTITION BY passport_hash ORDER BY created_at, id) AS n FROM applications"
        ") AS ranked WHERE n = 1"
    )


def downgrade() -> None:
    op.drop_index("ix_passport_experts_expert_id", table_name="passport_experts")
    op.drop_table("passport_experts")
