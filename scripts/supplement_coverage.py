"""Which rows of the curated supplement the packaged place data already covers.

A row is covered when it is a populated place (feature P.*) and every one of its names is found,
in the same country within 10 km, among the packaged places (``wof:``/``geonames:`` sources); an
alias that only adds "town"/"city"/"district" to a found name counts as found. Airbases, camps,
crossings, regions and rows with spellings the data lacks are never covered.

    python scripts/supplement_coverage.py            # list covered rows
    python scripts/supplement_coverage.py --write    # rewrite places_supplement.csv without them
"""
from __future__ import annotations

import csv
import sys
from importlib import resources

from eventcoder.geo.gazetteer import get_gazetteer
from eventcoder.geo.place import distance_km

MAX_KM = 10.0
GENERIC_TAILS = ("town", "city", "district")


def covered(rows: list[dict], gaz) -> list[bool]:
    out = []
    for r in rows:
        names = [r["name"], *(a for a in r["aliases"].split("|") if a)]
        lat, lon = float(r["latitude"]), float(r["longitude"])

        def found(n: str) -> bool:
            return any(p.country_code == r["country_code"] and p.level == 0
                       and p.source.startswith(("wof:", "geonames:"))
                       and distance_km(lat, lon, p.latitude, p.longitude) <= MAX_KM for p in gaz.lookup(n))

        missing = [n for n in names if not found(n)
                   and not (n.rsplit(" ", 1)[-1].lower() in GENERIC_TAILS and found(n.rsplit(" ", 1)[0]))]
        out.append(r["feature"].startswith("P.") and not missing)
    return out


def main() -> int:
    path = resources.files("eventcoder") / "data" / "places_supplement.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    flags = covered(rows, get_gazetteer())
    for r, c in zip(rows, flags):
        if c:
            print(f"covered: {r['country_code']} {r['name']}")
    print(f"{sum(flags)} of {len(rows)} rows covered by the packaged data")
    if "--write" in sys.argv:
        with open(str(path), "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(r for r, c in zip(rows, flags) if not c)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
