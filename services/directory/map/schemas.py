"""Response models of the distribution map (R-PLATFORM (1))."""

from __future__ import annotations

from shared.schemas import Output


class CountryCount(Output):
    country: str
    name: str
    region: str
    subregion: str
    count: int


class RegionCount(Output):
    region: str
    count: int


class SubregionCount(Output):
    region: str
    subregion: str
    count: int


class FieldCount(Output):
    field: str
    name: str
    focus_area: str | None
    count: int


class MapSummary(Output):
    """The distribution of experts over the world's regions (R-PLATFORM (1)); country = nationality."""

    total: int
    by_country: list[CountryCount]
    by_region: list[RegionCount]
    by_subregion: list[SubregionCount]
    by_field: list[FieldCount]
