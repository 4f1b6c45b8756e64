"""Annual claims as pure functions: who may claim, the inputs a claim freezes as assessed, and where the payment
of a claim's funding year stands."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from services.subsidy.entitlements.domain import Inputs
from shared.auth import Principal, Role


def may_claim(principal: Principal, entitlement) -> bool:
    """Officers, and the employer of the entitlement acting for itself."""
    return principal.is_officer or principal.acts_for(Role.employer, entitlement.employer_id)


def frozen(inputs: Inputs) -> dict:
    """The inputs as the claim row stores them (amounts as exact decimal strings)."""
    return {k: (f"{v}" if isinstance(v, Decimal) else v) for k, v in vars(inputs).items()}


class YearPayment(StrEnum):
    """How far what a funding year of an entitlement was granted has been paid (a claim shows its year's)."""

    nothing_granted = "nothing_granted"
    """The year's claims came to zero: nothing is to be paid."""
    awaiting_disbursement = "awaiting_disbursement"
    """Granted, and no instruction to finance yet (an officer's disbursement or the annual run pays it)."""
    in_payment = "in_payment"
    """Instructed to municipal finance and not yet paid."""
    partly_paid = "partly_paid"
    """Some of it paid, the rest neither paid nor in payment."""
    paid = "paid"
    """Paid in full by municipal finance."""
    stopped = "stopped"
    """The entitlement was revoked before all of it was paid: nothing more is paid (R-SUPERVISE)."""


def year_payment(*, granted: Decimal, paid: Decimal, in_payment: Decimal, revoked: bool) -> YearPayment:
    """Where the payment of a funding year's grants stands, from the ledger and the instructions to finance."""
    if granted <= 0:
        return YearPayment.nothing_granted
    if paid >= granted:
        return YearPayment.paid
    if in_payment > 0:
        return YearPayment.in_payment
    if revoked:
        return YearPayment.stopped
    return YearPayment.partly_paid if paid > 0 else YearPayment.awaiting_disbursement
