"""REST routes of the distribution map of experts (R-PLATFORM (1)): public counts, GeoJSON and an SVG."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from services.directory.catalogue.taxonomy import FieldCode, FocusAreaCode
from services.directory.map import domain, queries
from services.directory.map.schemas import MapSummary
from shared.api import RuntimeDep

router = APIRouter(prefix="/directory/v1/map", tags=["map"])


async def _distribution(runtime, field: str | None, focus_area: str | None):
    async with runtime.db.session() as session:
        return await queries.distribution(session, field=field, focus_area=focus_area)


@router.get("/summary", summary="Public: experts counted by country, world region and field (R-PLATFORM (1))")
async def map_summary(runtime: RuntimeDep, field: FieldCode | None = None, focus_area: FocusAreaCode | None = None) -> MapSummary:
    by_country, by_field = await _distribution(runtime, field, focus_area)
    return MapSummary.model_validate(domain.summary(by_country, by_field))


@router.get("/countries.geojson", summary="Public: the distribution as GeoJSON, country shapes or points",
            response_class=JSONResponse, responses={200: {"content": {"application/geo+json": {}}}})
async def map_geojson(
    runtime: RuntimeDep, field: FieldCode | None = None, focus_area: FocusAreaCode | None = None,
    shape: Annotated[Literal["polygons", "points"], Query()] = "polygons",
) -> JSONResponse:
    by_country, _ = await _distribution(runtime, field, focus_area)
    return JSONResponse(domain.geojson(by_country, points=shape == "points"), media_type="application/geo+json")


@router.get("/world.svg", summary="Public: a world choropleth of experts by nationality (SVG)",
            response_class=Response, responses={200: {"content": {"image/svg+xml": {}}}})
async def map_svg(runtime: RuntimeDep, field: FieldCode | None = None, focus_area: FocusAreaCode | None = None) -> Response:
    by_country, _ = await _distribution(runtime, field, focus_area)
    title = "Foreign experts by nationality" + (f" — field {field}" if field else "")
    return Response(domain.svg(by_country, title=title), media_type="image/svg+xml")
