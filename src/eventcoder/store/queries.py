"""Filtered, sorted, paginated reads of the merged dataset, with the analysts' corrections applied.

Incidents nobody corrected are filtered, sorted and counted in SQL (parameterised, on the machine
columns and, for admin1 and actors, the JSON record). Corrected incidents are few: they are read in
full, corrected, and filtered in Python with the same rules, so a filter sees the reviewed values
(an incident moved to another country by an analyst is found under the new country).
"""
from __future__ import annotations

import datetime as dt
import heapq
import json
from collections.abc import Iterator
from dataclasses import dataclass, fields

from .database import Database
from .ingest import search_articles
from .review import ACTIVE, REJECTED, apply_corrections, corrected_merged_ids_sql, corrections_for

MAX_TEXT_MATCHES = 5000
SORTS = {"date": "event_date", "fatalities": "fatalities", "country": "country", "event_type": "event_type",
         "location": "location", "reports": "n_reports"}
STATUS_CHOICES = ("active", "rejected", "all")


class FilterError(ValueError):
    """A filter value that makes no sense; the message is meant for the user."""


@dataclass
class Filters:
    start: str | None = None
    end: str | None = None
    country: str | None = None
    admin1: str | None = None
    event_type: str | None = None
    actor: str | None = None
    bbox: str | None = None
    q: str | None = None
    status: str = "active"

    def __post_init__(self) -> None:
        for name in ("country", "admin1", "event_type", "actor", "q", "bbox"):
            value = getattr(self, name)
            value = value.strip() if isinstance(value, str) else value
            setattr(self, name, value or None)
            if value and len(value) > 200:
                raise FilterError(f"{name} is too long")
        for name in ("start", "end"):
            value = (getattr(self, name) or "").strip()
            if value:
                try:
                    value = dt.date.fromisoformat(value).isoformat()
                except ValueError:
                    raise FilterError(f"{name} must be a date YYYY-MM-DD") from None
            setattr(self, name, value or None)
        self.status = (self.status or "active").strip().lower()
        if self.status not in STATUS_CHOICES:
            raise FilterError(f"status must be one of {', '.join(STATUS_CHOICES)}")
        self.box = None
        if self.bbox:
            try:
                west, south, east, north = (float(x) for x in self.bbox.split(","))
            except ValueError:
                raise FilterError("bbox must be west,south,east,north in degrees") from None
            if not (-90 <= south <= north <= 90 and -180 <= west <= 180 and -180 <= east <= 180):
                raise FilterError("bbox must be west,south,east,north with -90 <= south <= north <= 90")
            self.box = (west, south, east, north)

    def query_items(self) -> list[tuple[str, str]]:
        """The filters as URL query pairs (for links that keep them)."""
        out = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value and not (f.name == "status" and value == "active"):
                out.append((f.name, value))
        return out


# ---------------------------------------------------------------------------------------------
# SQL side

def _json(db: Database, name: str) -> str:
    """SQL for one text field of the JSON record (``name`` comes from this module, never a request)."""
    assert name.isidentifier()
    if db.dialect == "sqlite":
        return f"COALESCE(json_extract(record, '$.{name}'), '')"
    return f"COALESCE(record::jsonb ->> '{name}', '')"


def _like(text: str) -> str:
    return "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class _Context:
    """Per-request state: the article ids matching ``q`` (searched once)."""

    def __init__(self, db: Database, filters: Filters):
        self.db = db
        self.filters = filters
        self.text_articles: set[str] | None = None
        if filters.q:
            self.text_articles = set(search_articles(db, filters.q, limit=MAX_TEXT_MATCHES))


def _where(ctx: _Context) -> tuple[list[str], list]:
    db, f = ctx.db, ctx.filters
    where = [f"merged_id NOT IN ({corrected_merged_ids_sql()})"]
    params: list = []
    if f.status == REJECTED:
        where.append("1 = 0")  # nobody rejected an uncorrected incident
    if f.start:
        where.append("event_date >= ?")
        params.append(f.start)
    if f.end:
        where.append("event_date <= ?")
        params.append(f.end)
    if f.country:
        where.append("LOWER(country) = LOWER(?)")
        params.append(f.country)
    if f.event_type:
        where.append("event_type = ?")
        params.append(f.event_type)
    if f.admin1:
        where.append(f"LOWER({_json(db, 'admin1')}) = LOWER(?)")
        params.append(f.admin1)
    if f.actor:
        parts = [f"LOWER({_json(db, n)}) LIKE ? ESCAPE '\\'" for n in ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")]
        where.append("(" + " OR ".join(parts) + ")")
        params.extend([_like(f.actor)] * 4)
    if f.box:
        west, south, east, north = f.box
        where.append("latitude BETWEEN ? AND ?")
        params.extend([south, north])
        if west <= east:
            where.append("longitude BETWEEN ? AND ?")
            params.extend([west, east])
        else:  # across the antimeridian
            where.append("(longitude >= ? OR longitude <= ?)")
            params.extend([west, east])
    if ctx.text_articles is not None:
        ids = sorted(ctx.text_articles)
        if not ids:
            where.append("1 = 0")
        else:
            marks = ", ".join("?" for _ in ids)
            where.append(f"merged_id IN (SELECT merged_id FROM merged_links WHERE article_id IN ({marks}))")
            params.extend(ids)
    return where, params


# ---------------------------------------------------------------------------------------------
# Python side (corrected incidents)

def _matches(record: dict, articles: set[str], ctx: _Context) -> bool:
    f = ctx.filters
    if f.status != "all" and record.get("status", ACTIVE) != f.status:
        return False
    date = record.get("event_date") or ""
    if f.start and date < f.start or f.end and date > f.end:
        return False
    if f.country and (record.get("country") or "").lower() != f.country.lower():
        return False
    if f.event_type and record.get("event_type") != f.event_type:
        return False
    if f.admin1 and (record.get("admin1") or "").lower() != f.admin1.lower():
        return False
    if f.actor:
        needle = f.actor.lower()
        if not any(needle in (record.get(n) or "").lower() for n in ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")):
            return False
    if f.box:
        lat, lon = record.get("latitude"), record.get("longitude")
        if lat is None or lon is None:
            return False
        west, south, east, north = f.box
        if not south <= lat <= north:
            return False
        if (west <= east and not west <= lon <= east) or (west > east and not (lon >= west or lon <= east)):
            return False
    if ctx.text_articles is not None and not (articles & ctx.text_articles):
        return False
    return True


def _corrected(ctx: _Context) -> list[dict]:
    """Every corrected incident that passes the filters, reviewed, with ``n_reports``."""
    db = ctx.db
    rows = db.query(f"SELECT merged_id, n_reports, record FROM merged_events WHERE merged_id IN ({corrected_merged_ids_sql()})")
    if not rows:
        return []
    found = corrections_for(db, [r[0] for r in rows])
    links: dict[str, set[str]] = {}
    ids = [r[0] for r in rows]
    for start in range(0, len(ids), 400):
        chunk = ids[start:start + 400]
        marks = ", ".join("?" for _ in chunk)
        for mid, article in db.query(f"SELECT merged_id, article_id FROM merged_links WHERE merged_id IN ({marks})", chunk):
            links.setdefault(mid, set()).add(article)
    out = []
    for mid, n_reports, raw in rows:
        record = apply_corrections(json.loads(raw), found.get(mid, []))
        record["n_reports"] = n_reports
        if _matches(record, links.get(mid, set()), ctx):
            out.append(record)
    return out


def _machine(record: dict, n_reports: int) -> dict:
    record = apply_corrections(record, [])
    record["n_reports"] = n_reports
    return record


def _sort_value(record: dict, column: str):
    value = record.get("n_reports" if column == "n_reports" else column)
    if column in ("fatalities", "n_reports"):
        return value or 0
    return value or ""


class _Desc:
    """Reverses the order of a sort key (for merging descending lists)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __lt__(self, other):
        return other.value < self.value

    def __eq__(self, other):
        return self.value == other.value


# ---------------------------------------------------------------------------------------------
# the reads

@dataclass
class Page:
    total: int
    limit: int
    offset: int
    events: list[dict]


def list_events(db: Database, filters: Filters, limit: int = 50, offset: int = 0, sort: str = "date",
                descending: bool = False) -> Page:
    """One page of reviewed incidents matching ``filters``, sorted by ``sort`` (a key of SORTS)."""
    if sort not in SORTS:
        raise FilterError(f"sort must be one of {', '.join(SORTS)}")
    column = SORTS[sort]
    ctx = _Context(db, filters)
    where, params = _where(ctx)
    clause = " WHERE " + " AND ".join(where)
    direction = "DESC" if descending else "ASC"
    total = db.scalar(f"SELECT COUNT(*) FROM merged_events{clause}", params) or 0
    keys = db.query(f"SELECT merged_id, {column}, n_reports FROM merged_events{clause}"
                    f" ORDER BY {column} {direction}, merged_id {direction} LIMIT ?", [*params, offset + limit])
    corrected = _corrected(ctx)
    total += len(corrected)

    def key(value, mid):
        return (_Desc(value), _Desc(mid)) if descending else (value, mid)

    machine = [(key(row[1] if row[1] is not None else ("" if column not in ("fatalities", "n_reports") else 0), row[0]),
                0, row[0]) for row in keys]
    reviewed = sorted(((key(_sort_value(r, column), r["event_id"]), 1, r["event_id"]) for r in corrected),
                      key=lambda t: t[0])
    chosen = list(heapq.merge(machine, reviewed, key=lambda t: t[0]))[offset:offset + limit]
    by_id = {r["event_id"]: r for r in corrected}
    need = [mid for _, source, mid in chosen if source == 0]
    loaded: dict[str, dict] = {}
    for start in range(0, len(need), 400):
        chunk = need[start:start + 400]
        marks = ", ".join("?" for _ in chunk)
        for mid, n_reports, raw in db.query(f"SELECT merged_id, n_reports, record FROM merged_events WHERE merged_id IN ({marks})", chunk):
            loaded[mid] = _machine(json.loads(raw), n_reports)
    events = [by_id[mid] if source == 1 else loaded[mid] for _, source, mid in chosen]
    return Page(total, limit, offset, events)


def iter_events(db: Database, filters: Filters) -> Iterator[dict]:
    """Every reviewed incident matching ``filters``, by date and id (for exports and the map)."""
    ctx = _Context(db, filters)
    where, params = _where(ctx)
    sql = ("SELECT merged_id, n_reports, record FROM merged_events WHERE " + " AND ".join(where)
           + " ORDER BY event_date, merged_id")
    corrected = sorted(_corrected(ctx), key=lambda r: (r.get("event_date") or "", r["event_id"]))

    def rows() -> Iterator[tuple]:
        for mid, n_reports, raw in db.iterate(sql, params):
            record = _machine(json.loads(raw), n_reports)
            yield (record.get("event_date") or "", mid), record

    yield from (r for _, r in heapq.merge(rows(), ((((r.get("event_date") or ""), r["event_id"]), r) for r in corrected),
                                           key=lambda t: t[0]))


def daily_counts(db: Database, filters: Filters) -> list[dict]:
    """Events and fatalities per day and event type: ``[{date, event_type, events, fatalities}]``."""
    ctx = _Context(db, filters)
    where, params = _where(ctx)
    counts: dict[tuple[str, str], list[int]] = {}
    for date, kind, n, dead in db.query(
            "SELECT event_date, event_type, COUNT(*), COALESCE(SUM(fatalities), 0) FROM merged_events WHERE "
            + " AND ".join(where) + " GROUP BY event_date, event_type", params):
        counts[(date, kind)] = [int(n), int(dead)]
    for record in _corrected(ctx):
        slot = counts.setdefault((record.get("event_date") or "", record.get("event_type") or ""), [0, 0])
        slot[0] += 1
        slot[1] += int(record.get("fatalities") or 0)
    return [{"date": d, "event_type": t, "events": n, "fatalities": dead}
            for (d, t), (n, dead) in sorted(counts.items())]


def facets(db: Database) -> dict[str, list[str]]:
    """Values for the filter form's pick lists (machine values)."""
    return {
        "countries": [r[0] for r in db.query("SELECT DISTINCT country FROM merged_events WHERE country <> '' ORDER BY country")],
        "event_types": [r[0] for r in db.query("SELECT DISTINCT event_type FROM merged_events WHERE event_type <> '' ORDER BY event_type")],
    }
