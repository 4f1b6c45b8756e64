"""The ledger's money as pure functions: balances per funding year and track, what counts against a yearly cap,
and a correction as the difference to append (money rows are never changed)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

ZERO = Decimal("0")

LedgerKind = Literal["grant", "disbursement", "recovery", "repayment"]


@dataclass(frozen=True)
class LedgerEntry:
    """One money row. Never changed: a correction is another row whose ``corrects`` names this one."""

    id: int
    funding_year: int
    track: str
    kind: LedgerKind
    amount: Decimal
    item_code: str | None = None
    corrects: int | None = None


@dataclass(frozen=True)
class Balance:
    """What an expert was granted, paid and paid back under one track in one funding year."""

    funding_year: int
    track: str
    granted: Decimal
    disbursed: Decimal
    recovered: Decimal
    repaid: Decimal = ZERO
    """Paid back by the expert on recoveries (R-SUPERVISE)."""

    @property
    def to_disburse(self) -> Decimal:
        """Granted and not yet paid out (negative: paid more than granted, a recovery is due)."""
        return self.granted - self.disbursed


def balances(entries: list[LedgerEntry]) -> list[Balance]:
    """Balances per funding year and track, corrections included, oldest year first."""
    sums: dict[tuple[int, str], dict[str, Decimal]] = {}
    for entry in entries:
        per_kind = sums.setdefault((entry.funding_year, entry.track), {"grant": ZERO, "disbursement": ZERO,
                                                                        "recovery": ZERO, "repayment": ZERO})
        per_kind[entry.kind] += entry.amount
    return [Balance(funding_year=year, track=track, granted=s["grant"], disbursed=s["disbursement"],
                    recovered=s["recovery"], repaid=s["repayment"]) for (year, track), s in sorted(sums.items())]


def granted_this_year(entries: list[LedgerEntry], *, funding_year: int, track: str,
                      item_code: str | None = None) -> Decimal:
    """R-YEAR-CAP: what already counts against a yearly cap (of one item, or of the whole track)."""
    return sum((e.amount for e in entries
                if e.kind == "grant" and e.funding_year == funding_year and e.track == track
                and (item_code is None or e.item_code == item_code)), ZERO)


def effective_amount(entries: list[LedgerEntry], entry_id: int) -> Decimal:
    """An entry's amount after every correction of it."""
    return sum((e.amount for e in entries if e.id == entry_id or e.corrects == entry_id), ZERO)


def correction_delta(entries: list[LedgerEntry], entry_id: int, corrected_amount: Decimal) -> Decimal:
    """The amount of the new row that brings ``entry_id`` to ``corrected_amount``."""
    return corrected_amount - effective_amount(entries, entry_id)
