"""The distribution map of experts over the world (R-PLATFORM (1)): counts by country, region and field; GeoJSON; an SVG choropleth.

Country shapes come from the service's ``data/world_countries.json``, simplified from Natural Earth
(public domain, see ``data/LICENCE-natural-earth.md``); nothing is fetched from the network.
The file is read on first use, never at import.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from services.directory.catalogue.taxonomy import FIELDS_BY_CODE

DATA_FILE = Path(__file__).parent.parent / "data" / "world_countries.json"
UNKNOWN_REGION = "Unknown"

PALETTE = ("#e5e7eb", "#fde0c5", "#facba6", "#f59e73", "#e4572e", "#a4243b")
"""No experts, then five classes from few to many."""
CLASSES = len(PALETTE) - 1

WIDTH = 1000
TOP_LAT, BOTTOM_LAT = 84.0, -58.0
SCALE = WIDTH / 360.0
HEIGHT = round((TOP_LAT - BOTTOM_LAT) * SCALE)


@lru_cache(maxsize=1)
def countries() -> dict[str, dict]:
    """ISO 3166-1 alpha-2 → name, name_zh, region, subregion, label point, rings (lon/lat)."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))["countries"]


def region_of(code: str) -> tuple[str, str]:
    """(UN region, subregion) of a country; ``Unknown`` for a code the shapes file does not have."""
    country = countries().get(code)
    if country is None:
        return UNKNOWN_REGION, UNKNOWN_REGION
    return country["region"], country["subregion"]


def summary(by_country: dict[str, int], by_field: dict[str, int]) -> dict:
    """Counts by country, by world region and subregion, and by field, each sorted by count then name."""
    regions: Counter[str] = Counter()
    subregions: Counter[tuple[str, str]] = Counter()
    rows = []
    for code, count in by_country.items():
        region, subregion = region_of(code)
        regions[region] += count
        subregions[(region, subregion)] += count
        country = countries().get(code)
        rows.append({"country": code, "name": country["name"] if country else code,
                     "region": region, "subregion": subregion, "count": count})
    return {
        "total": sum(by_country.values()),
        "by_country": sorted(rows, key=lambda r: (-r["count"], r["country"])),
        "by_region": [{"region": r, "count": n} for r, n in sorted(regions.items(), key=lambda i: (-i[1], i[0]))],
        "by_subregion": [{"region": r, "subregion": s, "count": n}
                         for (r, s), n in sorted(subregions.items(), key=lambda i: (-i[1], i[0]))],
        "by_field": [{"field": f, "name": FIELDS_BY_CODE[f].name if f in FIELDS_BY_CODE else f,
                      "focus_area": FIELDS_BY_CODE[f].focus_area if f in FIELDS_BY_CODE else None, "count": n}
                     for f, n in sorted(by_field.items(), key=lambda i: (-i[1], i[0]))],
    }


def geojson(by_country: dict[str, int], *, points: bool = False) -> dict:
    """A FeatureCollection: every country's MultiPolygon with its count, or a Point per country with experts."""
    features = []
    for code, country in countries().items():
        count = by_country.get(code, 0)
        properties = {"country": code, "name": country["name"], "region": country["region"],
                      "subregion": country["subregion"], "count": count}
        if points:
            if count:
                features.append({"type": "Feature", "id": code, "properties": properties,
                                 "geometry": {"type": "Point", "coordinates": country["label"]}})
            continue
        geometry = {"type": "MultiPolygon", "coordinates": [[ring] for ring in country["rings"]]}
        features.append({"type": "Feature", "id": code, "properties": properties, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def colour_class(count: int, largest: int) -> int:
    """0 for no experts; else 1..CLASSES on a logarithmic scale up to the largest count."""
    if count <= 0:
        return 0
    if largest <= 1:
        return CLASSES
    return max(1, min(CLASSES, math.ceil(CLASSES * math.log(count + 1) / math.log(largest + 1))))


def colour(count: int, largest: int) -> str:
    return PALETTE[colour_class(count, largest)]


def _point(lon: float, lat: float) -> str:
    lat = max(BOTTOM_LAT, min(TOP_LAT, lat))
    return f"{(lon + 180) * SCALE:.1f},{(TOP_LAT - lat) * SCALE:.1f}"


def _path(rings: list[list[list[float]]]) -> str:
    return " ".join("M" + " L".join(_point(lon, lat) for lon, lat in ring) + "Z" for ring in rings)


def svg(by_country: dict[str, int], *, title: str = "Foreign experts by nationality") -> str:
    """A world choropleth (equirectangular) an officer can open in a browser; each country says its count."""
    largest = max(by_country.values(), default=0)
    total = sum(by_country.values())
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + 70}" '
        f'width="{WIDTH}" height="{HEIGHT + 70}" data-total="{total}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f8fafc"/>',
        '<g id="countries" stroke="#9ca3af" stroke-width="0.3">',
    ]
    for code, country in countries().items():
        count = by_country.get(code, 0)
        out.append(
            f'<path id="{code}" data-count="{count}" fill="{colour(count, largest)}" d="{_path(country["rings"])}">'
            f"<title>{escape(country['name'])}: {count}</title></path>"
        )
    out.append("</g>")
    out.append(f'<g id="legend" font-family="sans-serif" font-size="12" transform="translate(10,{HEIGHT + 15})">')
    for i, (klass, low, high) in enumerate(_class_bounds(largest)):
        label = "none" if klass == 0 else (f"{low}" if low == high else f"{low}–{high}")
        out.append(f'<rect x="{i * 110}" y="0" width="18" height="12" fill="{PALETTE[klass]}" stroke="#9ca3af"/>'
                   f'<text x="{i * 110 + 24}" y="11">{label}</text>')
    off_map = sum(n for code, n in by_country.items() if code not in countries())
    out.append(f'<text x="0" y="36">{total} experts; largest {largest}; not on the map (unknown code): {off_map}. '
               "Shapes: Natural Earth (public domain).</text>")
    out.append("</g></svg>")
    return "\n".join(out)


def _class_bounds(largest: int) -> list[tuple[int, int, int]]:
    """(class, lowest count, highest count) of each colour class that occurs up to ``largest``."""
    bounds = [(0, 0, 0)]
    low = 1
    while low <= largest:
        klass = colour_class(low, largest)
        high = low
        while high < largest and colour_class(high + 1, largest) == klass:
            high += 1
        bounds.append((klass, low, high))
        low = high + 1
    return bounds
