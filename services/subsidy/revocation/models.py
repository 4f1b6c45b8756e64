"""Tables of revocation (R-SUPERVISE): the replica of the contract breaches review announced, the
recoveries of what was paid after an expert-attributable breach, and their repayments."""

import sqlalchemy as sa

from services.subsidy.metadata import BIGINT, metadata
from shared.money import MoneyColumn

breaches = sa.Table(
    "breaches",
    metadata,
    # R-SUPERVISE: every ContractBreached, and ContractBreachWithdrawn even when it arrives first
    # (then attributable_to is unknown until the breach itself arrives, and nothing is revoked).
    sa.Column("breach_id", sa.Uuid, primary_key=True),
    sa.Column("expert_id", sa.Uuid, nullable=False),
    sa.Column("application_id", sa.Uuid, nullable=False, index=True),
    sa.Column("breach_date", sa.Date),
    sa.Column("attributable_to", sa.String(20)),
    sa.Column("facts", sa.Text),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
    sa.Column("withdrawal_reason", sa.Text),
)


recoveries = sa.Table(
    "recoveries",
    metadata,
    # Money paid for periods after an expert-attributable breach, owed back (a 'recovery' ledger row).
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("breach_id", sa.Uuid, nullable=False, index=True),
    sa.Column("entitlement_id", sa.Uuid, sa.ForeignKey("entitlements.id"), nullable=False),
    sa.Column("expert_id", sa.Uuid, nullable=False, index=True),
    sa.Column("funding_year", sa.Integer, nullable=False),
    sa.Column("amount", MoneyColumn, nullable=False),
    sa.Column("explanation", sa.Text, nullable=False),
    # open -> repaid (outstanding 0, by repayments) | cancelled (the breach withdrawn on appeal)
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("ledger_entry_id", BIGINT, nullable=False),
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
)


recovery_repayments = sa.Table(
    "recovery_repayments",
    metadata,
    # Money the expert paid back on a recovery, as a bureau officer recorded its receipt (R-SUPERVISE);
    # each is also a 'repayment' ledger row referencing the recovery, so the ledger alone gives the balance.
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("recovery_id", sa.Uuid, sa.ForeignKey("recoveries.id"), nullable=False, index=True),
    sa.Column("amount", MoneyColumn, nullable=False),
    sa.Column("received_on", sa.Date, nullable=False, index=True),
    sa.Column("reference", sa.String(200), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("ledger_entry_id", BIGINT, nullable=False),
    sa.Column("recorded_by", sa.String(200), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
)
