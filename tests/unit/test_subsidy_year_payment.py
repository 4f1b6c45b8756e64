"""Where the payment of a claim's funding year stands, as a table (claims.domain.year_payment)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.subsidy.claims.domain import YearPayment, year_payment

D = Decimal


@pytest.mark.parametrize(("granted", "paid", "in_payment", "revoked", "expected"), [
    ("0.00", "0.00", "0.00", False, YearPayment.nothing_granted),
    ("0.00", "0.00", "0.00", True, YearPayment.nothing_granted),
    ("138000.00", "0.00", "0.00", False, YearPayment.awaiting_disbursement),
    ("138000.00", "0.00", "138000.00", False, YearPayment.in_payment),
    ("138000.00", "38000.00", "100000.00", False, YearPayment.in_payment),
    ("138000.00", "38000.00", "0.00", False, YearPayment.partly_paid),
    ("138000.00", "138000.00", "0.00", False, YearPayment.paid),
    ("138000.00", "137999.99", "0.00", False, YearPayment.partly_paid),
    ("138000.00", "138000.00", "0.00", True, YearPayment.paid),
    ("138000.00", "0.00", "0.00", True, YearPayment.stopped),  # R-SUPERVISE: nothing more is paid
    ("138000.00", "38000.00", "0.00", True, YearPayment.stopped),
    ("138000.00", "0.00", "1000.00", True, YearPayment.in_payment),  # an instruction still out is shown as such
])
def test_year_payment(granted, paid, in_payment, revoked, expected):
    assert year_payment(granted=D(granted), paid=D(paid), in_payment=D(in_payment), revoked=revoked) == expected
