"""Disbursements instructed to municipal finance, one per entitlement and payment.

Every amount column is the platform's one money column type, MoneyColumn (NUMERIC(14, 2); exact text on SQLite)."""

import sqlalchemy as sa

from services.subsidy.metadata import metadata
from shared.money import MoneyColumn

disbursements = sa.Table(
    "disbursements",
    metadata,
    # One payment instruction to municipal finance. Its id is our reference there and the source
    # of its Idempotency-Key, so every retry of it is the same payment.
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("entitlement_id", sa.Uuid, sa.ForeignKey("entitlements.id"), nullable=False),
    sa.Column("expert_id", sa.Uuid, nullable=False),
    sa.Column("track", sa.String(30), nullable=False),
    sa.Column("district", sa.String(30), nullable=False),
    sa.Column("funding_year", sa.Integer, nullable=False),
    sa.Column("amount", MoneyColumn, nullable=False),
    sa.Column("run_id", sa.Uuid),
    # pending (recorded, finance has not confirmed) -> accepted -> settled | failed; or cancelled.
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("cancel_requested", sa.Boolean, nullable=False, default=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("leased_until", sa.DateTime(timezone=True)),
    sa.Column("last_error", sa.Text),
    sa.Column("finance_payment_id", sa.String(100)),
    sa.Column("booked_on", sa.Date),
    sa.Column("final_at", sa.DateTime(timezone=True)),
    sa.Column("failure_reason", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    # An annual run issues at most one disbursement per entitlement, however often it is resumed.
    sa.UniqueConstraint("run_id", "entitlement_id", name="uq_disbursements_run_entitlement"),
)
