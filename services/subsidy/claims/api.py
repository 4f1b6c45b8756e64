"""REST routes of the annual claims under /subsidy/v1."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from services.subsidy.claims import handlers, queries
from services.subsidy.claims.schemas import ClaimRead, ClaimRequest
from services.subsidy.scope import EVERYTHING, PARTIES, scope_of
from shared.api import LOCATION, CurrentPrincipal, RuntimeDep, YearQuery, documented
from shared.money import MONEY_RULES
from shared.schemas import Page

router = APIRouter(prefix="/subsidy/v1", tags=["subsidy"])


@router.post("/entitlements/{entitlement_id}/claims", status_code=201,
             summary="Submit an annual claim; it is assessed at once and its items granted in the ledger",
             description=(
                 "By the entitlement's employer or a bureau officer. The claim carries the fields of the "
                 "entitlement's track; the funding year and policy version follow from `period_end`. Assessment "
                 "applies R-SUB-*, R-YEAR-CAP across the expert's claims of the year, R-ONE-TRACK (409), the "
                 "Art. 12 sequence rule and the officer's performance evaluation (409 until recorded), and "
                 f"R-ROUNDING. {MONEY_RULES}"), responses=documented(201, LOCATION))
async def submit_claim(
    entitlement_id: uuid.UUID, body: ClaimRequest, runtime: RuntimeDep, principal: CurrentPrincipal,
    response: Response,
) -> ClaimRead:
    claim_id = await handlers.submit_claim(runtime, entitlement_id=entitlement_id, claim=body.root,
                                           principal=principal)
    response.headers["Location"] = f"/subsidy/v1/claims/{claim_id}"
    return ClaimRead.of(*await queries.get_claim(runtime, EVERYTHING, claim_id))


@router.get("/claims", summary="Assessed claims, oldest first, by entitlement, expert or funding year",
            description=("Each with the names of the expert and the employer and where the payment of its funding "
                         f"year stands (`payment`). {PARTIES}"))
async def list_claims(
    runtime: RuntimeDep, principal: CurrentPrincipal, entitlement_id: uuid.UUID | None = None,
    expert_id: uuid.UUID | None = None, funding_year: YearQuery = None, cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[ClaimRead]:
    rows, next_cursor = await queries.list_claims(
        runtime, scope_of(principal), entitlement_id=entitlement_id, expert_id=expert_id, funding_year=funding_year,
        cursor=cursor, limit=limit)
    return Page[ClaimRead](items=[ClaimRead.of(r, payment) for r, payment in rows], next_cursor=next_cursor)


@router.get("/claims/{claim_id}", summary="An assessed claim, with its frozen inputs, policy version and items",
            description=PARTIES)
async def get_claim(claim_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal) -> ClaimRead:
    return ClaimRead.of(*await queries.get_claim(runtime, scope_of(principal), claim_id))
