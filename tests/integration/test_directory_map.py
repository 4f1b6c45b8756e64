"""The distribution map (R-PLATFORM (1)): its numbers equal a direct count; the SVG opens and says the same."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

import sqlalchemy as sa

from services.directory.map import domain as worldmap
from services.directory.models import experts
from tests.support.directory import BASE, register

SVG = "{http://www.w3.org/2000/svg}"
PLANTED = [("DE", "aerospace"), ("DE", "aerospace"), ("DE", "biomedicine"), ("FR", "biomedicine"),
           ("FR", "new_energy"), ("US", "aerospace"), ("BR", "transport_system"), ("NZ", "new_energy"),
           ("ZZ", "new_energy")]


async def _direct_counts(platform, column, where=None):
    runtime = platform.runtime("directory")
    query = sa.select(column, sa.func.count()).group_by(column)
    if where is not None:
        query = query.where(where)
    async with runtime.db.session() as session:
        return dict((await session.execute(query)).all())


async def test_r_platform_map_numbers_equal_a_direct_count(platform):
    await platform.start()
    async with platform.client("directory") as client:
        for n, (country, field) in enumerate(PLANTED):
            await register(client, n, nationality=country, field=field)
        summary = (await client.get(f"{BASE}/map/summary")).json()  # anonymous: a public page
        filtered = (await client.get(f"{BASE}/map/summary", params={"field": "aerospace"})).json()
        geo = (await client.get(f"{BASE}/map/countries.geojson"))
        points = (await client.get(f"{BASE}/map/countries.geojson", params={"shape": "points"})).json()

    by_country = await _direct_counts(platform, experts.c.nationality)
    by_field = await _direct_counts(platform, experts.c.field)
    assert by_country == dict(Counter(c for c, _ in PLANTED))  # the direct count is what was planted
    assert summary["total"] == len(PLANTED)
    assert {r["country"]: r["count"] for r in summary["by_country"]} == by_country
    assert {r["field"]: r["count"] for r in summary["by_field"]} == by_field
    assert {r["region"]: r["count"] for r in summary["by_region"]} == {
        "Europe": 5, "Americas": 2, "Oceania": 1, "Unknown": 1}
    assert {(r["region"], r["subregion"]): r["count"] for r in summary["by_subregion"]}[
        ("Europe", "Western Europe")] == 5
    assert {r["country"]: r["count"] for r in filtered["by_country"]} == await _direct_counts(
        platform, experts.c.nationality, experts.c.field == "aerospace")

    assert geo.status_code == 200 and geo.headers["content-type"].startswith("application/geo+json")
    features = {f["id"]: f for f in geo.json()["features"]}
    assert geo.json()["type"] == "FeatureCollection"
    assert features["DE"]["properties"]["count"] == 3 and features["DE"]["geometry"]["type"] == "MultiPolygon"
    assert features["CN"]["properties"]["count"] == 0
    lon, lat = features["NZ"]["geometry"]["coordinates"][0][0][0]
    assert 165 < lon < 180 and -48 < lat < -33  # New Zealand's shape is where New Zealand is
    assert {f["id"]: f["properties"]["count"] for f in points["features"]} == {
        k: v for k, v in by_country.items() if k != "ZZ"}


async def test_r_platform_map_picture_renders_with_colours_matching_the_counts(platform):
    await platform.start()
    async with platform.client("directory") as client:
        for n, (country, field) in enumerate(PLANTED):
            await register(client, n, nationality=country, field=field)
        response = await client.get(f"{BASE}/map/world.svg")

    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)  # it parses: the picture opens
    assert root.tag == f"{SVG}svg" and root.get("data-total") == str(len(PLANTED))
    paths = {p.get("id"): p for p in root.iter(f"{SVG}path")}
    assert len(paths) > 200  # the world, not a handful of countries
    by_country = await _direct_counts(platform, experts.c.nationality)
    largest = max(by_country.values())
    for code, path in paths.items():
        count = by_country.get(code, 0)
        assert path.get("data-count") == str(count), code
        assert path.get("fill") == worldmap.colour(count, largest), code
        assert path.get("d").startswith("M")
    assert paths["DE"].get("fill") == worldmap.PALETTE[-1]  # the largest count gets the darkest colour
    assert paths["CN"].get("fill") == worldmap.PALETTE[0]
    assert paths["DE"].get("fill") != paths["FR"].get("fill") != paths["CN"].get("fill")
    legend = "".join(root.find(f"{SVG}g[@id='legend']").itertext())
    assert "not on the map (unknown code): 1" in legend
