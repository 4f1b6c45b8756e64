"""The ledger's money as pure functions: balances per funding year and track, what counts against a yearly cap,
and a correction as the difference to append (money rows are never changed)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

ZERO = Decimal("0")


class LedgerKind(StrEnum):
    """What a money row records: a grant of a claim's item, a payment by finance, a recovery put on the expert
    after a breach (R-SUPERVISE), or the expert's repayment of one."""

    grant = "grant"
    disbursement = "disbursement"
    recovery = "recovery"
    repayment = "repayment"


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
        per_kind = sums.setdefault((entry.funding_year, entry.track), {kind: ZERO for kind in LedgerKind})
        per_kind[entry.kind] += entry.amount
    return [Balance(funding_year=year, track=track, granted=s[LedgerKind.grant], disbursed=s[LedgerKind.disbursement],
                    recovered=s[LedgerKind.recovery], repaid=s[LedgerKind.repayment])
            for (year, track), s in sorted(sums.items())]


def granted_this_year(entries: list[LedgerEntry], *, funding_year: int, track: str,
                      item_code: str | None = None) -> Decimal:
    """R-YEAR-CAP: what already counts against a yearly cap (of one item, or of the whole track)."""
    return sum((e.amount for e in entries
                if e.kind == LedgerKind.grant and e.funding_year == funding_year and e.track == track
                and (item_code is None or e.item_code == item_code)), ZERO)


def effective_amount(entries: list[LedgerEntry], entry_id: int) -> Decimal:
    """An entry's amount after every correction of it."""
    return sum((e.amount for e in entries if e.id == entry_id or e.corrects == entry_id), ZERO)


def correction_delta(entries: list[LedgerEntry], entry_id: int, corrected_amount: Decimal) -> Decimal:
    """The amount of the new row that brings ``entry_id`` to ``corrected_amount``."""
    return corrected_amount - effective_amount(entries, entry_id)
