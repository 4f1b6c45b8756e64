"""REST routes of the annual run under /subsidy/v1."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from services.subsidy.annual_run import handlers, queries
from services.subsidy.annual_run.schemas import AnnualRunRead, AnnualRunRequest
from shared.api import Officer, RuntimeDep

router = APIRouter(prefix="/subsidy/v1", tags=["subsidy"])


@router.post("/annual-runs", status_code=202,
             summary="Start the annual run of a funding year: every open entitlement with a claim for it is assessed "
                     "and its disbursement issued, in batches",
             responses={409: {"description": "A run of that year is still running"}})
async def start_annual_run(body: AnnualRunRequest, runtime: RuntimeDep, officer: Officer,
                           response: Response) -> AnnualRunRead:
    run_id = await handlers.start_annual_run(runtime, funding_year=body.funding_year, actor=officer.subject)
    response.headers["Location"] = f"/subsidy/v1/annual-runs/{run_id}"
    return AnnualRunRead(**await queries.annual_run_status(runtime, run_id=run_id))


@router.get("/annual-runs/{run_id}", summary="Where an annual run stands: assessed, issued, and paid at finance")
async def annual_run_status(run_id: uuid.UUID, runtime: RuntimeDep, _: Officer) -> AnnualRunRead:
    return AnnualRunRead(**await queries.annual_run_status(runtime, run_id=run_id))
