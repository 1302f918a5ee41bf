"""Toponym -> place: which place of a mention is the event's, and where it is (STUB: geo helper)."""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span


@dataclass
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
    feature: str = ""          # "populated place", "admin1", "region", "road", ...
    population: int = 0
    source: str = ""           # "geonames:12345", "supplement", ...


@dataclass
class ResolvedPlace:
    place: Place
    geo_precision: int         # 1 town, 2 near a town / part of a region, 3 region only
    start: int                 # absolute char span of the toponym in doc.text
    end: int
    text: str


@dataclass
class GeoContext:
    """What the whole article says about where it is: the country of the report, admin units named."""

    country: str | None = None
    country_code: str | None = None
    admin1: list[str] = field(default_factory=list)


class PlaceResolver:
    def __init__(self, gazetteer=None):
        self.gazetteer = gazetteer

    def context(self, doc: Doc) -> GeoContext:
        raise NotImplementedError

    def resolve(self, span: Span, context: GeoContext) -> ResolvedPlace | None:
        raise NotImplementedError
