"""The gazetteer's place record, shared by :mod:`.gazetteer` (which makes them) and :mod:`.resolve`
(which chooses among them). No other imports, so neither module needs the other for its type."""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(slots=True)
class Place:
    """A gazetteer entry, named the way ACLED names places."""

    name: str
    latitude: float
    longitude: float
    country: str = ""          # "Syria"
    country_code: str = ""     # "SY"
    iso: int | None = None     # ISO 3166 numeric, as ACLED's `iso` column (Syria 760)
    region: str = ""           # ACLED region, e.g. "Middle East"
    admin1: str = ""
    admin2: str = ""
    admin3: str = ""
    feature: str = ""          # "P.PPL" populated place, "A.ADM1"/"A.ADM2" admin unit, "L.RGN" region, "S.AIRB"...
    population: int = 0
    source: str = ""           # "geonames:12345", "wof:85903033", "supplement", "admin1 capital:Idlib", ...
    pid: int | None = None     # row id in the index (None for places made outside it)
    level: int = 0             # 0 a place, 1 an admin1 unit, 2 an admin2 unit (at its capital)
    a1code: str = ""           # the index's admin1 code (GeoNames'), "" when unknown
    pcode: str = ""            # OCHA P-code of the smallest admin unit known (Syria: the subdistrict)
    rank: int = 0              # feature rank: capitals and seats high, hamlets low, abandoned/destroyed < 0
    border: bool = False       # a town just outside the admin1 the text names, re-labelled with it
    exact_only: bool = False   # matched by its own spellings only, never through the fold (a pack's unit the index lacks)

    @property
    def abandoned(self) -> bool:
        """An abandoned (PPLQ) or destroyed (PPLW) place, or a historical one (PPLH)."""
        return self.feature.rsplit(".", 1)[-1] in ("PPLQ", "PPLW", "PPLH")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))
