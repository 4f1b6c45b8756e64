"""Disbursements to municipal finance: which statuses count, and how the ledger names a payment."""

from __future__ import annotations

ACTIVE = ("pending", "accepted")
"""Disbursements finance may still pay: they count against what remains to disburse."""
FINAL = ("settled", "failed", "cancelled")


def ledger_reference(disbursement_id) -> str:
    """The reference of a disbursement's row in the ledger (and of its payment at finance, by id)."""
    return f"disbursement:{disbursement_id}"
