"""The distribution map of experts over the world (R-PLATFORM (1)): counts, GeoJSON, an SVG choropleth (public)."""
