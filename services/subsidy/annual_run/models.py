"""Tables of the annual run: one pass over a funding year's claims, resumable."""

import sqlalchemy as sa

from services.subsidy.metadata import metadata
from shared.money import MoneyColumn

annual_runs = sa.Table(
    "annual_runs",
    metadata,
    # One pass over every open entitlement with a claim for a funding year; resumable from `cursor`.
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("funding_year", sa.Integer, nullable=False),
    # running -> issued (every instruction recorded; the sender pays them)
    sa.Column("status", sa.String(20), nullable=False),
    # The last entitlement id assessed (keyset): a resumed run continues after it.
    sa.Column("cursor", sa.Uuid),
    sa.Column("entitlements_total", sa.Integer, nullable=False),
    sa.Column("entitlements_assessed", sa.Integer, nullable=False),
    sa.Column("disbursements_issued", sa.Integer, nullable=False),
    sa.Column("amount_issued", MoneyColumn, nullable=False),
    sa.Column("leased_until", sa.DateTime(timezone=True)),
    sa.Column("started_by", sa.String(200), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("issued_at", sa.DateTime(timezone=True)),
)
