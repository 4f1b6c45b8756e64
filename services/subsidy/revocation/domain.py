"""Revocation (R-SUPERVISE): the states of a recovery, what of a year's payment is owed back after a breach, and
how the ledger names a recovery."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from services.subsidy.entitlements.domain import ZERO, Rounding


class RecoveryStatus(StrEnum):
    """open -> repaid (nothing outstanding, by repayments) | cancelled (the breach withdrawn on appeal)."""

    open = "open"
    repaid = "repaid"
    cancelled = "cancelled"


def recovery_for(amount_paid: Decimal, *, funding_year_start: date, funding_year_end: date, breach_date: date,
                 rounding: Rounding) -> Decimal:
    """R-SUPERVISE: the part of a year's payment for the days after the breach date, pro rata by day.

    A year that starts after the breach is recovered whole; a year that ended on or before it, not at all.
    """
    if breach_date >= funding_year_end:
        return ZERO
    if breach_date < funding_year_start:
        return amount_paid
    days = (funding_year_end - funding_year_start).days + 1
    after = (funding_year_end - breach_date).days
    return rounding.apply(amount_paid * after / days)


def recovery_reference(recovery_id) -> str:
    """The reference of a recovery's rows in the ledger: the recovery itself, its cancellation, its repayments."""
    return f"recovery:{recovery_id}"
