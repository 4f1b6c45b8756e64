"""REST routes of the statistics under /subsidy/v1."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from services.subsidy.statistics import queries
from services.subsidy.statistics.schemas import StatisticsRead, StatisticsRow
from shared.api import Officer, RuntimeDep, YearQuery
from shared.events.review import Track

router = APIRouter(prefix="/subsidy/v1", tags=["subsidy"])


@router.get("/statistics", summary="Granted, disbursed, paid, failed and recovered amounts by year, track and district")
async def statistics(
    runtime: RuntimeDep, _: Officer, funding_year: YearQuery = None,
    track: Annotated[str | None, Query(pattern=f"^({'|'.join(Track)})$")] = None,
    district: Annotated[str | None, Query(max_length=30)] = None,
) -> StatisticsRead:
    rows = await queries.statistics(runtime, funding_year=funding_year, track=track, district=district)
    return StatisticsRead(rows=[StatisticsRow(**r) for r in rows])
