"""Annual claims as pure functions: who may claim, and the inputs a claim freezes as assessed."""

from __future__ import annotations

from decimal import Decimal

from services.subsidy.entitlements.domain import Inputs
from shared.auth import Principal, Role


def may_claim(principal: Principal, entitlement) -> bool:
    """Officers, and the employer of the entitlement acting for itself."""
    return principal.is_officer or principal.acts_for(Role.employer, entitlement.employer_id)


def frozen(inputs: Inputs) -> dict:
    """The inputs as the claim row stores them (amounts as exact decimal strings)."""
    return {k: (f"{v}" if isinstance(v, Decimal) else v) for k, v in vars(inputs).items()}
