"""Build the bundled country-outline base layer from the npm ``world-atlas`` TopoJSON.

The map works offline over ``static/basemap/countries-50m.geojson``: Natural Earth 1:50m admin-0
countries (public domain), as redistributed in TopoJSON by the npm package ``world-atlas`` 2.0.2
(ISC licence, ``static/basemap/LICENSE-world-atlas``). It was made with::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m eventcoder.web.basemap package/countries-50m.json src/eventcoder/web/static/basemap/countries-50m.geojson

Nothing here runs when the server runs; it only documents and reproduces the shipped file.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    scale = topology.get("transform", {}).get("scale", [1, 1])
    shift = topology.get("transform", {}).get("translate", [0, 0])
    quantized = "transform" in topology
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            if quantized:
                x, y = x + dx, y + dy
                points.append((x * scale[0] + shift[0], y * scale[1] + shift[1]))
            else:
                points.append((dx, dy))
        out.append(points)
    return out


def _ring(indexes: list[int], arcs, digits: int) -> list[list[float]]:
    ring: list[list[float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        for n, (x, y) in enumerate(points):
            if ring and n == 0:
                continue  # arcs share their end points
            ring.append([round(x, digits), round(y, digits)])
    return ring


def topojson_to_geojson(topology: dict, name: str = "countries", digits: int = 3) -> dict:
    """The object ``name`` of a TopoJSON topology as a GeoJSON FeatureCollection."""
    arcs = _arcs(topology)
    features = []
    for geom in topology["objects"][name]["geometries"]:
        if geom.get("type") == "Polygon":
            coords = [_ring(r, arcs, digits) for r in geom["arcs"]]
        elif geom.get("type") == "MultiPolygon":
            coords = [[_ring(r, arcs, digits) for r in poly] for poly in geom["arcs"]]
        else:
            continue
        features.append({"type": "Feature", "id": geom.get("id"),
                         "properties": {"name": geom.get("properties", {}).get("name", "")},
                         "geometry": {"type": geom["type"], "coordinates": coords}})
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str]) -> None:
    source, target = Path(argv[0]), Path(argv[1])
    collection = topojson_to_geojson(json.loads(source.read_text(encoding="utf-8")))
    target.write_text(json.dumps(collection, separators=(",", ":")), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
