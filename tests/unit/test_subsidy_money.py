"""Reconciliation with finance's statement, recovery after a breach (R-SUPERVISE), idempotency keys."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal as D

import pytest

from services.subsidy.adapters.finance import idempotency_key
from services.subsidy.entitlements.domain import Rounding
from services.subsidy.reconciliation.domain import OurDisbursement, TheirPayment, reconcile
from services.subsidy.revocation.domain import recovery_for

pytestmark = pytest.mark.unit

HALF_UP = Rounding(places=2, mode="half_up")


def ours(id_, amount="10.00", status="settled", ledger="10.00", payment="p1") -> OurDisbursement:
    return OurDisbursement(id=id_, amount=D(amount), status=status, finance_payment_id=payment, attempts=1,
                           ledger_disbursed=D(ledger))


def theirs(reference, amount="10.00", status="settled", payment="p1") -> TheirPayment:
    return TheirPayment(payment_id=payment, reference=reference, amount=D(amount), status=status)


def test_matching_ledgers_reconcile_to_no_difference():
    assert reconcile([ours("a"), ours("b", status="failed", ledger="0.00", payment="p2")],
                     [theirs("a"), theirs("b", status="failed", payment="p2")]) == []


def test_every_kind_of_difference_is_listed():
    differences = reconcile(
        [ours("twice"), ours("missing", status="accepted", ledger="0.00"), ours("amount"),
         ours("status", status="accepted", ledger="0.00"), ours("ledger", ledger="20.00")],
        [theirs("twice", payment="x1"), theirs("twice", payment="x2"), theirs("stranger"),
         theirs("amount", amount="11.00"), theirs("status"), theirs("ledger")])
    kinds = sorted((d["kind"], d["reference"]) for d in differences)
    assert kinds == sorted([
        ("paid_twice", "twice"), ("ledger_differs", "twice"), ("unknown_to_us", "stranger"),
        ("missing_at_finance", "missing"), ("amount_differs", "amount"), ("ledger_differs", "amount"),
        ("status_differs", "status"), ("ledger_differs", "status"), ("ledger_differs", "ledger")])


def test_a_disbursement_cancelled_before_finance_had_it_is_no_difference():
    assert reconcile([ours("gone", status="cancelled", ledger="0.00", payment=None)], []) == []


@pytest.mark.parametrize("breach, expected", [
    (date(2024, 10, 1), D("9100.00")),    # 91 of 366 days follow the breach
    (date(2023, 6, 1), D("36600.00")),    # the whole year follows it
    (date(2024, 12, 31), D("0.00")),      # the year ended on the breach day
    (date(2025, 1, 1), D("0.00")),        # after the year
])
def test_R_SUPERVISE_recovery_is_what_was_paid_for_days_after_the_breach(breach, expected):
    assert recovery_for(D("36600.00"), funding_year_start=date(2024, 1, 1), funding_year_end=date(2024, 12, 31),
                        breach_date=breach, rounding=HALF_UP) == expected


def test_R_ROUNDING_a_recovery_is_rounded_half_up_to_the_fen():
    assert recovery_for(D("100.00"), funding_year_start=date(2023, 1, 1), funding_year_end=date(2023, 12, 31),
                        breach_date=date(2023, 12, 30), rounding=HALF_UP) == D("0.27")  # 100 / 365 = 0.2739...


def test_idempotency_key_is_derived_from_the_disbursement_id_alone():
    d = uuid.uuid4()
    assert idempotency_key(d) == idempotency_key(uuid.UUID(str(d))) != idempotency_key(uuid.uuid4())
