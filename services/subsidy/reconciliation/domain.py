"""Our disbursements of a day against municipal finance's statement of it: every difference, one per line."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from services.subsidy.disbursements.domain import DisbursementStatus

ZERO = Decimal("0")


@dataclass(frozen=True)
class OurDisbursement:
    id: str
    amount: Decimal
    status: str
    finance_payment_id: str | None
    attempts: int
    ledger_disbursed: Decimal
    """What the ledger holds as paid for this disbursement (corrections included)."""


@dataclass(frozen=True)
class TheirPayment:
    payment_id: str
    reference: str
    amount: Decimal
    status: str


def reconcile(ours: list[OurDisbursement], theirs: list[TheirPayment]) -> list[dict]:
    """Every difference between our disbursements and finance's statement of one day, one per line.

    Kinds: ``paid_twice`` (finance holds several payments for one disbursement), ``unknown_to_us``,
    ``missing_at_finance`` (we hold it as instructed, finance has no payment), ``amount_differs``,
    ``status_differs`` (ours not final or another final status), ``ledger_differs`` (a settled
    payment not exactly once in the ledger, or ledger money for one that was not paid).
    """
    differences: list[dict] = []
    by_reference: dict[str, list[TheirPayment]] = {}
    for payment in theirs:
        by_reference.setdefault(payment.reference, []).append(payment)
    mine = {d.id: d for d in ours}
    for reference, payments in sorted(by_reference.items()):
        if len(payments) > 1:
            differences.append({"kind": "paid_twice", "reference": reference,
                                "payment_ids": [p.payment_id for p in payments]})
        if reference not in mine:
            differences.append({"kind": "unknown_to_us", "reference": reference,
                                "payment_ids": [p.payment_id for p in payments]})
    for d in sorted(ours, key=lambda d: d.id):
        payments = by_reference.get(d.id, [])
        settled_there = [p for p in payments if p.status == DisbursementStatus.settled]
        expected_ledger = sum((p.amount for p in settled_there), ZERO)
        if d.ledger_disbursed != expected_ledger:
            differences.append({"kind": "ledger_differs", "reference": d.id, "ledger": f"{d.ledger_disbursed:.2f}",
                                "paid_by_finance": f"{expected_ledger:.2f}"})
        if not payments:
            if d.status != DisbursementStatus.cancelled or d.finance_payment_id is not None:
                differences.append({"kind": "missing_at_finance", "reference": d.id, "status": d.status})
            continue
        payment = payments[0]
        if payment.amount != d.amount:
            differences.append({"kind": "amount_differs", "reference": d.id, "ours": f"{d.amount:.2f}",
                                "theirs": f"{payment.amount:.2f}"})
        if payment.status != d.status:
            differences.append({"kind": "status_differs", "reference": d.id, "ours": d.status,
                                "theirs": payment.status})
    return differences
