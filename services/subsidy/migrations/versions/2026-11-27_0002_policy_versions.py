"""Policy versions as data, seeded with the Interim Measures in force from 2014-03-01 (R-EFFECTIVE).

Revision ID: subsidy_0002
Revises: subsidy_0001
Create Date: 2026-11-27

The figures below are the policy, frozen as shipped: a later policy is a new row (by a new
migration), never an edit of this one, since every computation names the version it used.
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "subsidy_0002"
down_revision = "subsidy_0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

MEASURES_2014_ID = "2014-03-01"
MEASURES_2014_NAME = "京外专发〔2013〕6号 Interim Measures for Introducing and Serving Foreign Experts, from 2014-03-01"
MEASURES_2014 = {
    "currency": "CNY",
    # R-ROUNDING: exact decimal, 2 places, half-up at each item.
    "rounding": {"places": 2, "mode": "half_up"},
    # R-YEAR-CAP: caps count over the calendar year by default.
    "funding_year": {"kind": "calendar", "starts_month": 1, "starts_day": 1},
    "haiju_long_term": {
        # R-SUB-SALARY (Art. 11(1)): 20% of salary actually paid, in principle at most 200,000 a year.
        "salary_article": "Art. 11(1)",
        "salary_rate": "0.20",
        "salary_yearly_cap": "200000.00",
        # R-SUB-MEDICAL (Art. 11(2)): min(premium actually paid, 30,000) a year.
        "medical_article": "Art. 11(2)",
        "medical_yearly_cap": "30000.00",
    },
    "key_industry_recurring": {
        # R-SUB-RECURRING (Art. 12): 60% of remuneration, at most 100,000 a year, 3 consecutive years,
        # at least 1 month (30 days) in Beijing in the work year, by performance evaluation.
        "article": "Art. 12",
        "rate": "0.60",
        "yearly_cap": "100000.00",
        "min_days_in_beijing": 30,
        "max_consecutive_years": 3,
        "grade_factors": {"excellent": "1", "good": "1", "qualified": "1", "unqualified": "0"},
    },
    "short_term": {
        # R-SUB-SHORT (Art. 13): travel and living at the national standard (none set: documented
        # actual cost), salary 60% of the salary agreement, at most 60,000 a year in all; when the
        # cap binds, items give way in the order medical, salary, living, travel.
        "article": "Art. 13",
        "salary_rate": "0.60",
        "yearly_cap": "60000.00",
        "travel_cap": None,
        "living_cap_per_day": None,
        "reduction_order": ["medical_insurance_subsidy", "salary_subsidy", "living", "travel"],
    },
}


def upgrade() -> None:
    table = op.create_table(
        "policy_versions",
        sa.Column("id", sa.String(50), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("effective_from", sa.Date, nullable=False, unique=True),
        sa.Column("effective_to", sa.Date),
        sa.Column("parameters", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("effective_to IS NULL OR effective_to > effective_from", name="ck_policy_versions_period"),
    )
    op.bulk_insert(table, [{
        "id": MEASURES_2014_ID,
        "name": MEASURES_2014_NAME,
        "effective_from": date(2014, 3, 1),
        "effective_to": None,
        "parameters": MEASURES_2014,
        "created_at": datetime(2026, 11, 27, tzinfo=UTC),
    }])


def downgrade() -> None:
    op.drop_table("policy_versions")
