"""The records eventcoder reads and writes: Article in, Event out.

Event field names are ACLED's export columns (so our output loads next to ACLED's), plus
``article_id``, the UCDP-style fatality range, ``injured``, ``claims``, ``evidence`` and
``confidence``.
"""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator

# ACLED's export columns, in ACLED's order (the `acled-csv` format writes exactly these).
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags",
)
EXTRA_COLUMNS: tuple[str, ...] = (
    "article_id", "fatalities_low", "fatalities_high", "injured", "claims", "evidence", "confidence",
)
EVENT_COLUMNS: tuple[str, ...] = ACLED_COLUMNS + EXTRA_COLUMNS


class Article(BaseModel):
    """One news report. ``published`` anchors relative dates ("on Tuesday", "14 October")."""

    model_config = ConfigDict(extra="ignore")

    id: str
    text: str
    published: dt.date | None = None
    source: str = ""
    title: str = ""
    url: str = ""

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    @field_validator("source", "title", "url", mode="before")
    @classmethod
    def _none_as_empty(cls, value: object) -> object:
        return "" if value is None else value


class Evidence(BaseModel):
    """A character span of the article text that supports a field: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str


class Claim(BaseModel):
    """One reported figure with who reported it (``claimant`` None: the outlet's own voice)."""

    claimant: str | None = None
    kind: str = "fatalities"  # "fatalities" | "injured"
    figure: int
    low: int | None = None
    high: int | None = None
    text: str = ""
    start: int | None = None
    end: int | None = None


class Event(BaseModel):
    """One incident: one day, one place, one type (ACLED's unit)."""

    event_id: str = ""
    event_date: str = ""
    year: int | None = None
    time_precision: int = 1
    disorder_type: str = ""
    event_type: str = ""
    sub_event_type: str = ""
    actor1: str = ""
    assoc_actor_1: str = ""
    inter1: int | None = None
    actor2: str = ""
    assoc_actor_2: str = ""
    inter2: int | None = None
    interaction: int | None = None
    civilian_targeting: str = ""
    iso: int | None = None
    region: str = ""
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    admin3: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    source: str = ""
    source_scale: str = ""
    notes: str = ""
    fatalities: int = 0
    tags: str = ""
    article_id: str = ""
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    injured: int | None = None
    claims: list[Claim] = Field(default_factory=list)
    evidence: dict[str, list[Evidence]] = Field(default_factory=dict)
    confidence: float = 0.0

    def record(self) -> dict:
        """The event as a plain dict with exactly the keys of EVENT_COLUMNS, in that order."""
        data = self.model_dump(mode="json")
        return {key: data[key] for key in EVENT_COLUMNS}

    def acled_row(self) -> dict:
        """ACLED's columns only, in ACLED's order, with ACLED's blanks for missing values."""
        data = self.model_dump(mode="json")
        return {key: ("" if data[key] is None else data[key]) for key in ACLED_COLUMNS}
