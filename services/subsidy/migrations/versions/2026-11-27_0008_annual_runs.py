"""Annual runs: assess every open entitlement with a claim for a year and issue its disbursement, resumably.

Revision ID: subsidy_0008
Revises: subsidy_0007
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "subsidy_0008"
down_revision = "subsidy_0007"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(14, 2).with_variant(sa.String(20), "sqlite")


def upgrade() -> None:
    op.create_table(
        "annual_runs",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("funding_year", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("cursor", sa.Uuid),
        sa.Column("entitlements_total", sa.Integer, nullable=False),
        sa.Column("entitlements_assessed", sa.Integer, nullable=False),
        sa.Column("disbursements_issued", sa.Integer, nullable=False),
        sa.Column("amount_issued", MONEY, nullable=False),
        sa.Column("leased_until", sa.DateTime(timezone=True)),
        sa.Column("started_by", sa.String(200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True)),
    )
    # The run's keyset: open entitlements by id; its assessment: grants and disbursements by entitlement and year.
    op.create_index("ix_entitlements_status_id", "entitlements", ["status", "id"])
    op.create_index("ix_claims_entitlement_year", "claims", ["entitlement_id", "funding_year"])
    op.create_index("ix_ledger_entries_entitlement_year", "ledger_entries", ["entitlement_id", "funding_year", "kind"])
    op.create_index("ix_disbursements_run_id", "disbursements", ["run_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_disbursements_run_id", table_name="disbursements")
    op.drop_index("ix_ledger_entries_entitlement_year", table_name="ledger_entries")
    op.drop_index("ix_claims_entitlement_year", table_name="claims")
    op.drop_index("ix_entitlements_status_id", table_name="entitlements")
    op.drop_table("annual_runs")
