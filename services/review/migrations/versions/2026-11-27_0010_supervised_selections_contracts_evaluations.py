"""Supervision: selected applications, signed contracts, annual performance evaluations (R-SUPERVISE).

Revision ID: review_0010
Revises: review_0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "review_0010"
down_revision = "review_0002"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(14, 2).with_variant(sa.String(20), "sqlite")


def upgrade() -> None:
    op.create_table(
        "supervised_selections",
        sa.Column("application_id", sa.Uuid, primary_key=True),
        sa.Column("decision_id", sa.Uuid, nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expert_id", sa.Uuid, nullable=False),
        sa.Column("expert_name", sa.String(200), nullable=False),
        sa.Column("employer_id", sa.Uuid, nullable=False),
        sa.Column("employer_name", sa.String(200), nullable=False),
        sa.Column("track", sa.String(30), nullable=False),
        sa.Column("approved_start", sa.Date, nullable=False),
        sa.Column("approved_end", sa.Date, nullable=False),
        sa.Column("approved_annual_salary", MONEY, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_supervised_selections_expert_id", "supervised_selections", ["expert_id"])
    op.create_index("ix_supervised_selections_employer_id", "supervised_selections", ["employer_id"])
    op.create_index("ix_supervised_selections_recorded", "supervised_selections", ["recorded_at", "application_id"])
    op.create_table(
        "signed_contracts",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("application_id", sa.Uuid, sa.ForeignKey("supervised_selections.application_id"),
                  nullable=False, unique=True),
        sa.Column("contract_start", sa.Date, nullable=False),
        sa.Column("contract_end", sa.Date, nullable=False),
        sa.Column("annual_salary", MONEY, nullable=False),
        sa.Column("signed_on", sa.Date, nullable=False),
        sa.Column("differs_from_plan", sa.Boolean, nullable=False),
        sa.Column("differences", sa.JSON, nullable=False),
        sa.Column("registered_by", sa.String(200), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("contract_end > contract_start", name="ck_signed_contracts_period"),
    )
    op.create_table(
        "performance_evaluations",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("application_id", sa.Uuid, sa.ForeignKey("supervised_selections.application_id"),
                  nullable=False),
        sa.Column("funding_year", sa.Integer, nullable=False),
        sa.Column("grade", sa.String(20), nullable=False),
        sa.Column("comments", sa.Text, nullable=False),
        sa.Column("evaluated_by", sa.String(200), nullable=False),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("application_id", "funding_year", name="uq_performance_evaluations_year"),
        sa.CheckConstraint("grade IN ('excellent', 'good', 'qualified', 'unqualified')",
                           name="ck_performance_evaluations_grade"),
    )


def downgrade() -> None:
    op.drop_table("performance_evaluations")
    op.drop_table("signed_contracts")
    op.drop_index("ix_supervised_selections_recorded", table_name="supervised_selections")
    op.drop_index("ix_supervised_selections_employer_id", table_name="supervised_selections")
    op.drop_index("ix_supervised_selections_expert_id", table_name="supervised_selections")
    op.drop_table("supervised_selections")
