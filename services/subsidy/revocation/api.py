"""REST routes of the recoveries and their repayments (R-SUPERVISE) under /subsidy/v1."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from services.subsidy.revocation import handlers, queries
from services.subsidy.revocation.domain import RecoveryStatus
from services.subsidy.revocation.schemas import RecoveryRead, RepaymentRead, RepaymentRequest
from services.subsidy.scope import EVERYTHING, PARTIES, scope_of
from shared.api import LOCATION, CurrentPrincipal, Officer, RuntimeDep, documented
from shared.money import MONEY_RULES
from shared.schemas import Page

router = APIRouter(prefix="/subsidy/v1", tags=["subsidy"])


@router.get("/recoveries", summary="Recoveries after expert-attributable breaches (R-SUPERVISE), oldest first",
            description="Each with what was put on recovery, repaid and is outstanding, read from the ledger. "
                        f"{PARTIES}")
async def list_recoveries(
    runtime: RuntimeDep, principal: CurrentPrincipal, expert_id: uuid.UUID | None = None,
    entitlement_id: uuid.UUID | None = None, breach_id: uuid.UUID | None = None,
    status: Annotated[str | None, Query(pattern=f"^({'|'.join(RecoveryStatus)})$")] = None,
    cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[RecoveryRead]:
    items, next_cursor = await queries.list_recoveries(
        runtime, scope_of(principal), expert_id=expert_id, entitlement_id=entitlement_id, breach_id=breach_id,
        status=status, cursor=cursor, limit=limit)
    return Page[RecoveryRead](items=[RecoveryRead.model_validate(_recovery(i)) for i in items],
                              next_cursor=next_cursor)


@router.get("/recoveries/{recovery_id}", summary="One recovery, its repayments and what is outstanding",
            description=PARTIES)
async def get_recovery(recovery_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal) -> RecoveryRead:
    return RecoveryRead.model_validate(_recovery(await queries.get_recovery(runtime, scope_of(principal),
                                                                            recovery_id)))


@router.post("/recoveries/{recovery_id}/repayments", status_code=201,
             summary="Record a repayment received from the expert on a recovery (R-SUPERVISE)",
             description=("By a bureau officer, on receipt. Partial repayments are allowed; the amount is at most "
                          "what is outstanding (422 naming `amount`); a recovery repaid or cancelled is a 409. "
                          "Each repayment is a `repayment` row in the ledger and a `RecoveryRepaid` event; the "
                          f"recovery is `repaid` once nothing is outstanding. {MONEY_RULES}"),
             responses={409: {"description": "The recovery is no longer open (repaid or cancelled)"}, **documented(201, LOCATION)})
async def record_repayment(recovery_id: uuid.UUID, body: RepaymentRequest, runtime: RuntimeDep, officer: Officer,
                           response: Response) -> RepaymentRead:
    repayment_id = await handlers.record_repayment(
        runtime, recovery_id=recovery_id, amount=body.amount, received_on=body.received_on, reference=body.reference,
        note=body.note, actor=officer.subject)
    recovery = await queries.get_recovery(runtime, EVERYTHING, recovery_id)
    response.headers["Location"] = f"/subsidy/v1/recoveries/{recovery_id}"
    return next(RepaymentRead.of(p) for p in recovery["repayments"] if p.id == repayment_id)


def _recovery(read: dict) -> dict:
    return {**read, "repayments": [RepaymentRead.of(p) for p in read["repayments"]]}
