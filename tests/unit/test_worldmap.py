"""The map's pure parts: shapes shipped with their licence, colour classes, GeoJSON and SVG shape (R-PLATFORM (1))."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from services.directory.map import domain as worldmap

pytestmark = pytest.mark.unit


def test_country_shapes_ship_with_their_licence_and_cover_the_world():
    shapes = worldmap.countries()

    licence = " ".join((worldmap.DATA_FILE.parent / "LICENCE-natural-earth.md").read_text().replace("*", "").split())
    assert "Natural Earth data is in the public domain" in licence
    assert len(shapes) > 200
    assert {"CN", "US", "DE", "BR", "AU", "ZA", "IN", "RU"} <= set(shapes)
    assert worldmap.region_of("DE") == ("Europe", "Western Europe")
    assert worldmap.region_of("ZZ") == ("Unknown", "Unknown")
    for code, country in shapes.items():
        for ring in country["rings"]:
            assert len(ring) >= 3, code
            assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in ring), code


def test_colour_classes_grow_with_the_count_and_zero_is_grey():
    assert worldmap.colour_class(0, 50) == 0
    assert worldmap.colour_class(1, 1) == worldmap.CLASSES
    classes = [worldmap.colour_class(n, 1000) for n in range(1, 1001)]
    assert classes == sorted(classes) and classes[0] >= 1 and classes[-1] == worldmap.CLASSES


def test_svg_escapes_the_title_and_counts_codes_off_the_map():
    root = ET.fromstring(worldmap.svg({"FR": 2, "XX": 4}, title="<b>&"))

    assert root.find("{http://www.w3.org/2000/svg}title").text == "<b>&"
    assert root.get("data-total") == "6"
