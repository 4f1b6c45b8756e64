"""The introduction catalogue (引进目录, R-CATALOGUE): editions with a validity period, and their entries.

Revision ID: directory_0003
Revises: directory_0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "directory_0003"
down_revision = "directory_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalogue_editions",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("published_by", sa.String(200)),
        sa.CheckConstraint("valid_until >= valid_from", name="ck_catalogue_editions_period"),
    )
    op.create_table(
        "catalogue_entries",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("edition_id", sa.Uuid, sa.ForeignKey("catalogue_editions.id"), nullable=False),
        sa.Column("focus_area", sa.String(50), sa.ForeignKey("taxonomy_focus_areas.code"), nullable=False),
        sa.Column("field", sa.String(50), sa.ForeignKey("taxonomy_fields.code"), nullable=False),
        sa.Column("zone", sa.String(50), sa.ForeignKey("taxonomy_zones.code")),
        sa.Column("demand", sa.Text, nullable=False),
        sa.Column("number_sought", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
        sa.Column("withdrawn_by", sa.String(200)),
        sa.Column("withdrawal_reason", sa.Text),
        sa.CheckConstraint("number_sought >= 1", name="ck_catalogue_entries_number_sought"),
    )
    op.create_index("ix_catalogue_entries_position", "catalogue_entries", ["created_at", "id"])
    op.create_index("ix_catalogue_entries_edition", "catalogue_entries", ["edition_id"])


def downgrade() -> None:
    op.drop_index("ix_catalogue_entries_edition", table_name="catalogue_entries")
    op.drop_index("ix_catalogue_entries_position", table_name="catalogue_entries")
    op.drop_table("catalogue_entries")
    op.drop_table("catalogue_editions")
