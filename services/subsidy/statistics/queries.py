"""Statistics for officers: granted, disbursed, paid, failed and recovered amounts by year, track and district
(reads only: no writes, no unit of work)."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from services.subsidy.disbursements.domain import DisbursementStatus
from services.subsidy.ledger.domain import LedgerKind
from services.subsidy.disbursements.models import disbursements
from services.subsidy.entitlements.models import entitlements
from services.subsidy.ledger.models import ledger_entries
from shared.queries import where_given
from shared.runtime import ServiceRuntime


def _money_sum(db, column, condition):
    """SUM of a Money column where ``condition``, exact on both databases (SQLite sums integer fen)."""
    if db.is_sqlite:
        fen = sa.cast(sa.func.round(sa.cast(column, sa.Float) * 100), sa.Integer)
        return sa.func.coalesce(sa.func.sum(sa.case((condition, fen), else_=0)), 0)
    return sa.func.coalesce(sa.func.sum(sa.case((condition, column), else_=0)), 0)


def _money(db, value) -> Decimal:
    return (Decimal(value) / 100 if db.is_sqlite else Decimal(value)).quantize(Decimal("0.01"))


async def statistics(runtime: ServiceRuntime, *, funding_year: int | None = None, track: str | None = None,
                     district: str | None = None) -> list[dict]:
    """Granted, disbursed (instructed, not cancelled), paid, failed and recovered, by year, track and district."""
    db = runtime.db
    kind = ledger_entries.c.kind
    ledger_query = (
        sa.select(ledger_entries.c.funding_year, ledger_entries.c.track, entitlements.c.employer_district,
                  _money_sum(db, ledger_entries.c.amount, kind == LedgerKind.grant).label("granted"),
                  _money_sum(db, ledger_entries.c.amount, kind == LedgerKind.recovery).label("recovered"))
        .join(entitlements, entitlements.c.id == ledger_entries.c.entitlement_id)
        .group_by(ledger_entries.c.funding_year, ledger_entries.c.track, entitlements.c.employer_district))
    status = disbursements.c.status
    disbursement_query = (
        sa.select(disbursements.c.funding_year, disbursements.c.track, disbursements.c.district,
                  _money_sum(db, disbursements.c.amount, status != DisbursementStatus.cancelled).label("disbursed"),
                  _money_sum(db, disbursements.c.amount, status == DisbursementStatus.settled).label("paid"),
                  _money_sum(db, disbursements.c.amount, status == DisbursementStatus.failed).label("failed"))
        .group_by(disbursements.c.funding_year, disbursements.c.track, disbursements.c.district))
    ledger_query = where_given(ledger_query, (ledger_entries.c.funding_year, funding_year),
                               (ledger_entries.c.track, track),
                               (entitlements.c.employer_district, district))
    disbursement_query = where_given(disbursement_query, (disbursements.c.funding_year, funding_year),
                                     (disbursements.c.track, track),
                                     (disbursements.c.district, district))
    zero = Decimal("0.00")
    groups: dict[tuple, dict] = {}

    def group(year, track_, district_) -> dict:
        return groups.setdefault((year, track_, district_), {
            "funding_year": year, "track": track_, "district": district_, "granted": zero, "disbursed": zero,
            "paid": zero, "failed": zero, "recovered": zero})

    async with db.session() as session:
        for row in (await session.execute(ledger_query)).all():
            g = group(row.funding_year, row.track, row.employer_district)
            g["granted"], g["recovered"] = _money(db, row.granted), _money(db, row.recovered)
        for row in (await session.execute(disbursement_query)).all():
            g = group(row.funding_year, row.track, row.district)
            g["disbursed"], g["paid"], g["failed"] = (_money(db, row.disbursed), _money(db, row.paid),
                                                      _money(db, row.failed))
    return [groups[k] for k in sorted(groups)]
