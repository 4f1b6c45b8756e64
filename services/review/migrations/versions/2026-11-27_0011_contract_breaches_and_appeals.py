"""Supervision: contract breaches and their appeals (R-SUPERVISE).

Revision ID: review_0011
Revises: review_0010
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "review_0011"
down_revision = "review_0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contract_breaches",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("application_id", sa.Uuid, sa.ForeignKey("supervised_selections.application_id"),
                  nullable=False),
        sa.Column("expert_id", sa.Uuid, nullable=False),
        sa.Column("employer_id", sa.Uuid, nullable=False),
        sa.Column("breach_date", sa.Date, nullable=False),
        sa.Column("facts", sa.Text, nullable=False),
        sa.Column("attributable_to", sa.String(20), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("reported_by", sa.String(200), nullable=False),
        sa.Column("reporter_role", sa.String(30), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_by", sa.String(200)),
        sa.Column("confirmed_at", sa.DateTime(timezone=True)),
        sa.Column("closed_by", sa.String(200)),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("closing_reason", sa.Text),
        sa.CheckConstraint("state IN ('reported', 'confirmed', 'dismissed', 'withdrawn')",
                           name="ck_contract_breaches_state"),
        sa.CheckConstraint("attributable_to IN ('expert', 'employer')", name="ck_contract_breaches_attribution"),
    )
    op.create_index("ix_contract_breaches_application_id", "contract_breaches", ["application_id"])
    op.create_index("ix_contract_breaches_reported", "contract_breaches", ["reported_at", "id"])
    op.create_table(
        "breach_appeals",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("breach_id", sa.Uuid, sa.ForeignKey("contract_breaches.id"), nullable=False),
        sa.Column("appellant", sa.String(200), nullable=False),
        sa.Column("appellant_role", sa.String(30), nullable=False),
        sa.Column("grounds", sa.Text, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("lodged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("decision_reason", sa.Text),
        sa.CheckConstraint("state IN ('open', 'upheld', 'dismissed')", name="ck_breach_appeals_state"),
    )
    op.create_index("ix_breach_appeals_breach_id", "breach_appeals", ["breach_id"])
    op.create_index("ix_breach_appeals_lodged", "breach_appeals", ["lodged_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_breach_appeals_lodged", table_name="breach_appeals")
    op.drop_index("ix_breach_appeals_breach_id", table_name="breach_appeals")
    op.drop_table("breach_appeals")
    op.drop_index("ix_contract_breaches_reported", table_name="contract_breaches")
    op.drop_index("ix_contract_breaches_application_id", table_name="contract_breaches")
    op.drop_table("contract_breaches")
