"""Permit applications in a case (R-PERMIT): the expert's and the dependants', and one expiry reminder per threshold.

Revision ID: permits_0006
Revises: permits_0005
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "permits_0006"
down_revision = "permits_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "permit_applications",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("case_id", sa.Uuid, sa.ForeignKey("green_channel_cases.id"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("holder", sa.String(20), nullable=False),
        sa.Column("dependant_id", sa.Uuid),
        sa.Column("dependant_name", sa.String(200)),
        sa.Column("date_of_birth", sa.Date),
        sa.Column("entry_visa", sa.String(4)),
        sa.Column("application_date", sa.Date, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=False),
        sa.Column("turns_adult_on", sa.Date),
        sa.Column("turns_adult_within_validity", sa.Boolean, nullable=False),
        sa.Column("renews_id", sa.Uuid, sa.ForeignKey("permit_applications.id")),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("permit_number", sa.String(100)),
        sa.Column("refusal_reason", sa.String(1000)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        sa.Column("issued_at", sa.DateTime(timezone=True)),
        sa.Column("refused_at", sa.DateTime(timezone=True)),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_permit_applications_case", "permit_applications", ["case_id", "created_at"])
    op.create_index("ix_permit_applications_expiry", "permit_applications", ["status", "valid_until"])
    op.create_table(
        "permit_reminders",
        sa.Column("permit_application_id", sa.Uuid, sa.ForeignKey("permit_applications.id"), primary_key=True),
        sa.Column("days_ahead", sa.Integer, primary_key=True),
        sa.Column("sent_on", sa.Date, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("permit_reminders")
    op.drop_index("ix_permit_applications_expiry", table_name="permit_applications")
    op.drop_index("ix_permit_applications_case", table_name="permit_applications")
    op.drop_table("permit_applications")
