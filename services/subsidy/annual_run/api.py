"""REST routes of the annual run under /subsidy/v1."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from services.subsidy.annual_run import handlers, queries
from services.subsidy.annual_run.schemas import AnnualRunRead, AnnualRunRequest
from shared.api import LOCATION, Officer, RuntimeDep, YearQuery, documented
from shared.schemas import Page

router = APIRouter(prefix="/subsidy/v1", tags=["subsidy"])


@router.post("/annual-runs", status_code=202,
             summary="Start the annual run of a funding year: every open entitlement with a claim for it is assessed "
                     "and its disbursement issued, in batches",
             responses={409: {"description": "A run of that year is still running"}, **documented(202, LOCATION)})
async def start_annual_run(body: AnnualRunRequest, runtime: RuntimeDep, officer: Officer,
                           response: Response) -> AnnualRunRead:
    run_id = await handlers.start_annual_run(runtime, funding_year=body.funding_year, actor=officer.subject)
    response.headers["Location"] = f"/subsidy/v1/annual-runs/{run_id}"
    return AnnualRunRead(**await queries.annual_run_status(runtime, run_id=run_id))


@router.get("/annual-runs", summary="The annual runs, latest started first, each as its progress shows it",
            description="An officer comes back to a run still running, or reads how past runs ended.")
async def list_annual_runs(
    runtime: RuntimeDep, _: Officer, funding_year: YearQuery = None, cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Page[AnnualRunRead]:
    runs, next_cursor = await queries.list_annual_runs(runtime, funding_year=funding_year, cursor=cursor,
                                                       limit=limit)
    return Page[AnnualRunRead](items=[AnnualRunRead(**run) for run in runs], next_cursor=next_cursor)


@router.get("/annual-runs/{run_id}", summary="Where an annual run stands: assessed, issued, and paid at finance")
async def annual_run_status(run_id: uuid.UUID, runtime: RuntimeDep, _: Officer) -> AnnualRunRead:
    return AnnualRunRead(**await queries.annual_run_status(runtime, run_id=run_id))
