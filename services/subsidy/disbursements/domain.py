"""Disbursements to municipal finance: their statuses, which of them count, and how the ledger names a payment."""

from __future__ import annotations

from enum import StrEnum


class DisbursementStatus(StrEnum):
    """pending (recorded, finance has not confirmed) -> accepted -> settled | failed; or cancelled."""

    pending = "pending"
    accepted = "accepted"
    settled = "settled"
    failed = "failed"
    cancelled = "cancelled"


ACTIVE = (DisbursementStatus.pending, DisbursementStatus.accepted)
"""Disbursements finance may still pay: they count against what remains to disburse."""
FINAL = (DisbursementStatus.settled, DisbursementStatus.failed, DisbursementStatus.cancelled)
COMMITTED = (*ACTIVE, DisbursementStatus.settled)
"""Disbursements that count against what is granted: paid, or in payment."""


class PaymentOutcome(StrEnum):
    """What applying finance's word of a payment did, when it set no new status."""

    duplicate = "duplicate"
    """Already applied, or the disbursement is final."""
    unknown = "unknown"
    """No such disbursement, or a status we do not know."""
    mismatch = "mismatch"
    """Another amount than we instructed: never booked (the reconciliation lists it)."""


def ledger_reference(disbursement_id) -> str:
    """The reference of a disbursement's row in the ledger (and of its payment at finance, by id)."""
    return f"disbursement:{disbursement_id}"
