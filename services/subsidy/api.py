"""REST routes of the subsidy service under /subsidy/v1."""

from __future__ import annotations

from fastapi import APIRouter

from services.subsidy import handlers
from services.subsidy.schemas import AMOUNT_RULES, QuoteRead, QuoteRequest
from shared.api import CurrentPrincipal, RuntimeDep

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
        f"{AMOUNT_RULES} Every amount in the response is a decimal string with exactly 2 places."
    ),
    responses={422: {"description": "A field is missing, malformed, negative or of another track; the track "
                                    "is unknown; or no policy was in force at `period_end` (R-EFFECTIVE)"}},
)
async def create_quote(body: QuoteRequest, runtime: RuntimeDep, _: CurrentPrincipal) -> QuoteRead:
    request = body.root
    result = await handlers.quote(runtime, period_end=request.period_end, inputs=request.to_domain())
    return QuoteRead.of(result)
