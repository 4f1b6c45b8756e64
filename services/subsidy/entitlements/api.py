"""REST routes of the policy's quotes and of the entitlements under /subsidy/v1."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from services.subsidy.entitlements import queries
from services.subsidy.entitlements.domain import EntitlementStatus
from services.subsidy.entitlements.schemas import EntitlementRead, QuoteRead, QuoteRequest
from services.subsidy.scope import PARTIES, scope_of
from shared.api import CurrentPrincipal, RuntimeDep
from shared.events.review import Track
from shared.money import MONEY_RULES
from shared.schemas import Page

router = APIRouter(prefix="/subsidy/v1", tags=["subsidy"])


@router.post(
    "/quotes",
    summary="Quote the subsidy of one expert-year under Articles 11-13 (nothing is stored)",
    description=(
        "A pure computation under the policy version in force at `period_end` (R-EFFECTIVE): one item per "
        "subsidy of the track, each rounded half-up to 2 places (R-ROUNDING) and explained with its article "
        "and rule id; an item that comes to zero is listed with the rule that made it zero. "
        "`already_granted_this_year` counts against the salary-subsidy cap for Art. 11 and against the "
        "track's yearly cap for Art. 12 and 13 (R-YEAR-CAP). R-ONE-TRACK is not checked here. "
        f"{MONEY_RULES} Every amount in the response is a decimal string with exactly 2 places."
    ),
    responses={422: {"description": "A field is missing, malformed, negative or of another track; the track "
                                    "is unknown; or no policy was in force at `period_end` (R-EFFECTIVE)"}},
)
async def create_quote(body: QuoteRequest, runtime: RuntimeDep, _: CurrentPrincipal) -> QuoteRead:
    request = body.root
    result = await queries.quote(runtime, period_end=request.period_end, inputs=request.to_domain())
    return QuoteRead.of(result)


@router.get("/entitlements", summary="Entitlements opened from approved applications, oldest first",
            description=("An employer finds the entitlement of its approved application with `application_id` "
                         f"(one per application) and claims on it; `status` and `track` narrow the list. {PARTIES}"))
async def list_entitlements(
    runtime: RuntimeDep,
    principal: CurrentPrincipal,
    expert_id: uuid.UUID | None = None,
    application_id: uuid.UUID | None = None,
    status: Annotated[str | None, Query(pattern=f"^({'|'.join(EntitlementStatus)})$")] = None,
    track: Annotated[str | None, Query(pattern=f"^({'|'.join(Track)})$")] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[EntitlementRead]:
    rows, next_cursor = await queries.list_entitlements(
        runtime, scope_of(principal), expert_id=expert_id, application_id=application_id, status=status,
        track=track, cursor=cursor, limit=limit)
    return Page[EntitlementRead](items=[EntitlementRead.of(row, amounts) for row, amounts in rows],
                                 next_cursor=next_cursor)


@router.get("/entitlements/{entitlement_id}", summary="One entitlement", description=PARTIES)
async def get_entitlement(entitlement_id: uuid.UUID, runtime: RuntimeDep,
                          principal: CurrentPrincipal) -> EntitlementRead:
    return EntitlementRead.of(*await queries.get_entitlement(runtime, scope_of(principal), entitlement_id))
