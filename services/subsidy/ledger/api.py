"""REST routes of the ledger under /subsidy/v1."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from services.subsidy.ledger import handlers, queries
from services.subsidy.ledger.schemas import BalanceRead, LedgerCorrection, LedgerEntryRead, LedgerRead
from services.subsidy.scope import PARTIES, scope_of
from shared.api import LOCATION, CurrentPrincipal, Officer, RowId, RuntimeDep, YearQuery, documented

router = APIRouter(prefix="/subsidy/v1", tags=["subsidy"])


@router.get("/experts/{expert_id}/ledger", summary="An expert's ledger and balances per funding year and track",
            description=f"An employer sees the rows of its own entitlements only. {PARTIES}")
async def expert_ledger(
    expert_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal, funding_year: YearQuery = None
) -> LedgerRead:
    rows, balances = await queries.ledger_of(runtime, scope_of(principal), expert_id=expert_id,
                                             funding_year=funding_year)
    return LedgerRead(
        expert_id=expert_id,
        balances=[BalanceRead(funding_year=b.funding_year, track=b.track, granted=b.granted, disbursed=b.disbursed,
                              recovered=b.recovered, to_disburse=due) for b, due in balances],
        entries=[LedgerEntryRead.of(r) for r in rows],
    )


@router.post("/ledger-entries/{entry_id}/corrections", status_code=201,
             summary="Correct a ledger entry by appending the difference (money rows are never updated)",
             responses=documented(201, LOCATION))
async def correct_ledger_entry(
    entry_id: RowId, body: LedgerCorrection, runtime: RuntimeDep, officer: Officer, response: Response
) -> LedgerEntryRead:
    new_id = await handlers.correct_ledger_entry(
        runtime, entry_id=entry_id, corrected_amount=body.corrected_amount, reason=body.reason,
        actor=officer.subject,
    )
    row = await queries.get_ledger_entry(runtime, new_id)
    response.headers["Location"] = f"/subsidy/v1/experts/{row.expert_id}/ledger"
    return LedgerEntryRead.of(row)
