"""REST routes of school placement under /permits/v1 (R-SCHOOL): requests in a case and the bureau's steps."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from services.permits.cases.api import CaseViewer
from services.permits.schools import handlers, queries
from services.permits.schools.schemas import (
    SchoolPlaced,
    SchoolPlacementCreate,
    SchoolPlacementRead,
    SchoolPlacementStep,
)
from shared.api import LOCATION, Officer, RuntimeDep, documented

router = APIRouter(prefix="/permits/v1", tags=["green channel"])


@router.post("/cases/{case_id}/school-placements", status_code=201,
             summary="R-SCHOOL: a school placement request for a child of the expert",
             responses=documented(201, LOCATION))
async def request_school_placement(
    case_id: uuid.UUID, body: SchoolPlacementCreate, runtime: RuntimeDep, principal: CaseViewer, response: Response
) -> SchoolPlacementRead:
    row = await handlers.request_school_placement(runtime, case_id=case_id, data=body, principal=principal)
    response.headers["Location"] = f"/permits/v1/school-placements/{row['id']}"
    return SchoolPlacementRead.of(row)


@router.get("/cases/{case_id}/school-placements", summary="The school placement requests of a case")
async def list_school_placements(
    case_id: uuid.UUID, runtime: RuntimeDep, principal: CaseViewer
) -> list[SchoolPlacementRead]:
    rows = await queries.list_school_placements(runtime, case_id=case_id, principal=principal)
    return [SchoolPlacementRead.of(r) for r in rows]


@router.get("/school-placements/{placement_id}", summary="One school placement request")
async def get_school_placement(
    placement_id: uuid.UUID, runtime: RuntimeDep, principal: CaseViewer
) -> SchoolPlacementRead:
    row = await queries.get_school_placement(runtime, placement_id=placement_id, principal=principal)
    return SchoolPlacementRead.of(row)


@router.post("/school-placements/{placement_id}/coordinate", summary="The bureau is coordinating with schools",
             responses={409: {"description": "Not requested"}})
async def coordinate_school_placement(
    placement_id: uuid.UUID, body: SchoolPlacementStep, runtime: RuntimeDep, officer: Officer
) -> SchoolPlacementRead:
    row = await handlers.advance_school_placement(runtime, placement_id=placement_id, step="coordinate", data=body,
                                                  principal=officer)
    return SchoolPlacementRead.of(row)


@router.post("/school-placements/{placement_id}/place", summary="Placed: the school and its type",
             responses={409: {"description": "Already placed or withdrawn"}})
async def place_school_placement(
    placement_id: uuid.UUID, body: SchoolPlaced, runtime: RuntimeDep, officer: Officer
) -> SchoolPlacementRead:
    row = await handlers.advance_school_placement(runtime, placement_id=placement_id, step="place", data=body,
                                                  principal=officer)
    return SchoolPlacementRead.of(row)


@router.post("/school-placements/{placement_id}/withdraw", summary="The request is withdrawn",
             responses={409: {"description": "Already placed or withdrawn"}})
async def withdraw_school_placement(
    placement_id: uuid.UUID, body: SchoolPlacementStep, runtime: RuntimeDep, principal: CaseViewer
) -> SchoolPlacementRead:
    row = await handlers.advance_school_placement(runtime, placement_id=placement_id, step="withdraw", data=body,
                                                  principal=principal)
    return SchoolPlacementRead.of(row)
