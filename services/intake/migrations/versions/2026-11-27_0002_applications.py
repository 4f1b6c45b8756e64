"""Applications with recommendations and their history (R-APPLY, R-FORMAL), and the catalogue replica.

Revision ID: intake_0002
Revises: intake_0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "intake_0002"
down_revision = "intake_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalogue_replica",
        sa.Column("entry_id", sa.Uuid, primary_key=True),
        sa.Column("edition_id", sa.Uuid, nullable=False),
        sa.Column("edition_title", sa.String(300)),
        sa.Column("focus_area", sa.String(50)),
        sa.Column("field", sa.String(50)),
        sa.Column("zone", sa.String(50)),
        sa.Column("number_sought", sa.Integer),
        sa.Column("valid_from", sa.Date),
        sa.Column("valid_until", sa.Date),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
        sa.Column("withdrawal_reason", sa.Text),
    )
    op.create_table(
        "applications",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("employer_id", sa.Uuid, nullable=False),
        sa.Column("state", sa.String(30), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("catalogue_entry_id", sa.Uuid, nullable=False),
        sa.Column("expert_id", sa.Uuid, nullable=False),
        sa.Column("candidate_name", sa.String(200), nullable=False),
        sa.Column("nationality", sa.String(2), nullable=False),
        sa.Column("passport_ciphertext", sa.LargeBinary, nullable=False),
        sa.Column("passport_key_version", sa.Integer, nullable=False),
        sa.Column("passport_hash", sa.String(64), nullable=False),
        sa.Column("date_of_birth", sa.Date, nullable=False),
        sa.Column("candidate_field", sa.String(200), nullable=False),
        sa.Column("achievements", sa.Text, nullable=False),
        sa.Column("current_post", sa.String(300), nullable=False),
        sa.Column("position", sa.String(300), nullable=False),
        sa.Column("contract_start", sa.Date, nullable=False),
        sa.Column("contract_end", sa.Date, nullable=False),
        sa.Column("annual_salary", sa.Numeric(14, 2), nullable=False),
        sa.Column("track", sa.String(30), nullable=False),
        sa.Column("intent_date", sa.Date, nullable=False),
        sa.Column("preliminary_reviewer", sa.String(250)),
        sa.Column("submissions", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        sa.Column("decision", sa.JSON),
        sa.CheckConstraint("contract_end >= contract_start", name="ck_applications_contract"),
    )
    op.create_index("ix_applications_position", "applications", ["created_at", "id"])
    op.create_index("ix_applications_employer", "applications", ["employer_id"])
    op.create_index("ix_applications_reviewer", "applications", ["preliminary_reviewer"])
    op.create_index("ix_applications_passport_hash", "applications", ["passport_hash"])
    op.create_table(
        "recommendations",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("application_id", sa.Uuid, sa.ForeignKey("applications.id"), nullable=False),
        sa.Column("recommender_name", sa.String(200), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("institution", sa.String(300), nullable=False),
        sa.Column("relation", sa.String(300), nullable=False),
        sa.Column("statement", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_recommendations_application_id", "recommendations", ["application_id"])
    op.create_table(
        "application_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("application_id", sa.Uuid, sa.ForeignKey("applications.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("role", sa.String(50), nullable=False),
        sa.Column("organisation", sa.String(250)),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("from_state", sa.String(30)),
        sa.Column("to_state", sa.String(30), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("detail", sa.JSON),
    )
    op.create_index("ix_application_history_application_id", "application_history", ["application_id"])


def downgrade() -> None:
    op.drop_index("ix_application_history_application_id", table_name="application_history")
    op.drop_table("application_history")
    op.drop_index("ix_recommendations_application_id", table_name="recommendations")
    op.drop_table("recommendations")
    for name in ("ix_applications_passport_hash", "ix_applications_reviewer", "ix_applications_employer",
                 "ix_applications_position"):
        op.drop_index(name, table_name="applications")
    op.drop_table("applications")
    op.drop_table("catalogue_replica")
