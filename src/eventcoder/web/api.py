"""The JSON API: merged incidents (filtered, paginated), one incident in full, articles, daily counts,
CSV and GeoJSON exports, and the analysts' corrections.

Every value an analyst corrected is served corrected, with ``reviewed_fields`` naming it and
``status`` (``active`` or ``rejected``); the machine's own record is in ``/api/events/{id}`` as
``machine``. All SQL is parameterised (``queries.py``, ``store/review.py``).
"""
from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any, Optional

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from ..schema import ACLED_COLUMNS
from ..store.database import connect
from ..store.review import ReviewError, add_correction, reject
from .deps import FilterDep, WriterDep, open_db
from .detail import event_detail
from ..store.queries import FilterError, daily_counts, iter_events, list_events

router = APIRouter(prefix="/api", tags=["api"])

CSV_COLUMNS = ACLED_COLUMNS + ("article_id", "fatalities_low", "fatalities_high", "injured", "confidence",
                               "n_reports", "status", "reviewed_fields")
MAP_PROPERTIES = ("event_date", "event_type", "sub_event_type", "location", "admin1", "country", "fatalities",
                  "actor1", "actor2", "n_reports", "status", "reviewed_fields")


def _slim(record: dict) -> dict:
    out = dict(record)
    out.pop("evidence", None)
    return out


@router.get("/events", summary="Merged incidents matching the filters, one page at a time")
def events(request: Request, f: FilterDep,
           limit: Annotated[int, Query(ge=1, le=500)] = 50,
           offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
           sort: Annotated[str, Query(description="date, fatalities, country, event_type, location or reports")] = "date",
           order: Annotated[str, Query(pattern="^(asc|desc)$")] = "asc") -> dict:
    with open_db(request) as db:
        try:
            page = list_events(db, f, limit=limit, offset=offset, sort=sort, descending=order == "desc")
        except FilterError as exc:
            raise HTTPException(400, str(exc)) from None
    return {"total": page.total, "limit": page.limit, "offset": page.offset,
            "events": [_slim(e) for e in page.events]}


def _stream(produce: Callable[[Any], Iterator[str]], db_url: str, media_type: str, filename: str) -> StreamingResponse:
    """Stream ``produce(db)`` from one dedicated thread (a SQLite connection stays in its thread)."""

    def chunks() -> Iterator[str]:
        with connect(db_url, migrate=False) as db:
            yield from produce(db)

    async def body():
        loop = asyncio.get_running_loop()
        with ThreadPoolExecutor(max_workers=1) as pool:
            gen = chunks()
            try:
                while True:
                    chunk = await loop.run_in_executor(pool, next, gen, None)
                    if chunk is None:
                        break
                    yield chunk.encode("utf-8")
            finally:
                await loop.run_in_executor(pool, gen.close)

    return StreamingResponse(body(), media_type=media_type,
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _features(records: Iterator[dict], slim: bool) -> Iterator[str]:
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    buffer: list[str] = []
    for record in records:
        lat, lon = record.get("latitude"), record.get("longitude")
        if slim and (lat is None or lon is None):
            continue
        geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
        props = {k: record.get(k) for k in MAP_PROPERTIES} if slim else record
        feature = {"type": "Feature", "id": record["event_id"], "geometry": geometry, "properties": props}
        buffer.append(("\n" if first else ",\n") + json.dumps(feature, ensure_ascii=False))
        first = False
        if len(buffer) >= 200:
            yield "".join(buffer)
            buffer.clear()
    yield "".join(buffer) + "\n]}\n"


@router.get("/events.geojson", summary="Points of the matching incidents for the map (few properties)")
def events_geojson(request: Request, f: FilterDep) -> StreamingResponse:
    return _stream(lambda db: _features(iter_events(db, f), slim=True), request.app.state.settings.db_url,
                   "application/geo+json", "events.geojson")


@router.get("/export.geojson", summary="GeoJSON export of the matching incidents (every field)")
def export_geojson(request: Request, f: FilterDep) -> StreamingResponse:
    return _stream(lambda db: _features(iter_events(db, f), slim=False), request.app.state.settings.db_url,
                   "application/geo+json", "events.geojson")


def _csv(records: Iterator[dict]) -> Iterator[str]:
    handle = io.StringIO()
    writer = csv.DictWriter(handle, fieldnames=list(CSV_COLUMNS), extrasaction="ignore")
    writer.writeheader()
    n = 0
    for record in records:
        row = {k: ("" if record.get(k) is None else record.get(k)) for k in CSV_COLUMNS}
        row["reviewed_fields"] = "; ".join(record.get("reviewed_fields") or [])
        writer.writerow(row)
        n += 1
        if n % 200 == 0:
            yield handle.getvalue()
            handle.seek(0)
            handle.truncate()
    yield handle.getvalue()


@router.get("/export.csv", summary="ACLED-style CSV of the matching incidents, with status and reviewed_fields")
def export_csv(request: Request, f: FilterDep) -> StreamingResponse:
    return _stream(lambda db: _csv(iter_events(db, f)), request.app.state.settings.db_url,
                   "text/csv; charset=utf-8", "events.csv")


@router.get("/stats/daily", summary="Incidents and fatalities per day and event type")
def stats_daily(request: Request, f: FilterDep) -> dict:
    with open_db(request) as db:
        return {"days": daily_counts(db, f)}


@router.get("/events/{merged_id}", summary="One incident: reviewed record, machine record, reports, claims, evidence, corrections")
def event(request: Request, merged_id: str) -> dict:
    with open_db(request) as db:
        detail = event_detail(db, merged_id)
    if detail is None:
        raise HTTPException(404, f"no incident {merged_id}")
    for source in detail["sources"]:
        source["event"].pop("evidence", None)
    return detail


@router.get("/members/{event_key:path}", summary="The current incident holding one article's event (a stable key)")
def member(request: Request, event_key: str) -> dict:
    with open_db(request) as db:
        mid = db.scalar("SELECT merged_id FROM merged_links WHERE event_key = ?", (event_key,))
    if mid is None:
        raise HTTPException(404, f"no event {event_key}")
    return {"event_key": event_key, "merged_id": mid}


@router.get("/articles/{article_id:path}", summary="One stored article with its URLs and coded events")
def article(request: Request, article_id: str) -> dict:
    with open_db(request) as db:
        row = db.query("SELECT article_id, title, text, published, source, url, status, error, n_events FROM articles"
                       " WHERE article_id = ?", (article_id,))
        if not row:
            raise HTTPException(404, f"no article {article_id}")
        keys = ("id", "title", "text", "published", "source", "url", "status", "error", "n_events")
        out = dict(zip(keys, row[0]))
        out["urls"] = [r[0] for r in db.query("SELECT url FROM article_urls WHERE article_id = ? ORDER BY url", (article_id,))]
        out["events"] = [{"event_key": k, "merged_id": m} for k, m in db.query(
            "SELECT e.event_key, l.merged_id FROM events e LEFT JOIN merged_links l ON l.event_key = e.event_key"
            " WHERE e.article_id = ? ORDER BY e.seq", (article_id,))]
    return out


class CorrectionIn(BaseModel):
    field: str = Field(max_length=64, description="An ACLED column (not event_id), fatalities_low/high, injured, or status")
    value: Any = Field(description="The corrected value (status: active or rejected)")
    reviewer: str = Field(default="", max_length=100, description="Who makes the correction (ignored when a reviewer's own token authenticates the request)")
    note: str = Field(default="", max_length=2000)


class RejectIn(BaseModel):
    reviewer: str = Field(default="", max_length=100)
    note: str = Field(default="", max_length=2000)


@router.get("/events/{merged_id}/corrections", summary="The review history of an incident")
def corrections(request: Request, merged_id: str) -> dict:
    with open_db(request) as db:
        detail = event_detail(db, merged_id)
    if detail is None:
        raise HTTPException(404, f"no incident {merged_id}")
    return {"merged_id": merged_id, "corrections": detail["corrections"]}


def _write(request: Request, merged_id: str, action: Callable[[Any], Any]) -> dict:
    with open_db(request) as db:
        try:
            correction = action(db)
        except KeyError:
            raise HTTPException(404, f"no incident {merged_id}") from None
        except ReviewError as exc:
            raise HTTPException(422, str(exc)) from None
        detail = event_detail(db, merged_id)
    return {"correction": correction.as_dict(), "event": detail["event"] if detail else None}


@router.post("/events/{merged_id}/corrections", status_code=201, summary="Correct one field (needs the token)")
def correct(request: Request, merged_id: str, body: CorrectionIn, writer: WriterDep) -> dict:
    who = writer.reviewer or body.reviewer
    return _write(request, merged_id, lambda db: add_correction(db, merged_id, body.field, body.value, who, body.note))


@router.post("/events/{merged_id}/reject", status_code=201, summary="Reject an incident (needs the token)")
def reject_event(request: Request, merged_id: str, body: RejectIn, writer: WriterDep) -> dict:
    who = writer.reviewer or body.reviewer
    return _write(request, merged_id, lambda db: reject(db, merged_id, who, body.note))
