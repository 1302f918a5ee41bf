"""Server-rendered pages (Jinja2, autoescape on): map and timeline, table, incident with evidence, article.

Pages use the same filters as the API (query parameters). Scripts are files under /static (the
Content-Security-Policy forbids inline ones); the map's data comes from ``/api/events.geojson``.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from ..store.review import CORRECTABLE
from ..store.reviewers import has_reviewers
from .deps import FilterDep, open_db
from .detail import article_spans, event_detail, field_class, highlight, safe_url
from ..store.queries import SORTS, FilterError, Filters, daily_counts, facets, list_events

router = APIRouter(include_in_schema=False)

FIELD_ROWS = ("event_date", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1", "assoc_actor_1",
              "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "country", "admin1",
              "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "fatalities", "fatalities_low",
              "fatalities_high", "injured", "source", "source_scale", "notes", "tags")
PAGE_SIZE = 50


def _render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    settings = request.app.state.settings
    template = request.app.state.templates.get_template(name)
    html = template.render(request=request, settings=settings, path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


def timeline(days: list[dict], width: int = 960, height: int = 180) -> dict | None:
    """Bars of incidents per day (per month over long spans) and a line of fatalities, as SVG geometry."""
    if not days:
        return None
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item in days:
        try:
            day = dt.date.fromisoformat(item["date"][:10])
        except ValueError:
            continue
        per[day.isoformat()][0] += item["events"]
        per[day.isoformat()][1] += item["fatalities"]
    if not per:
        return None
    first = dt.date.fromisoformat(min(per))
    last = dt.date.fromisoformat(max(per))
    monthly = (last - first).days > 400
    bins: list[tuple[str, int, int]] = []
    if monthly:
        months: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for day, (n, dead) in per.items():
            months[day[:7]][0] += n
            months[day[:7]][1] += dead
        y, m = first.year, first.month
        while (y, m) <= (last.year, last.month):
            key = f"{y:04d}-{m:02d}"
            bins.append((key, *months.get(key, [0, 0])))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        day = first
        while day <= last:
            n, dead = per.get(day.isoformat(), [0, 0])
            bins.append((day.isoformat(), n, dead))
            day += dt.timedelta(days=1)
    left, right, top, bottom = 40, 40, 10, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    max_n = max(b[1] for b in bins) or 1
    max_dead = max(b[2] for b in bins) or 1
    step = plot_w / len(bins)
    bars, points = [], []
    for i, (label, n, dead) in enumerate(bins):
        h = plot_h * n / max_n
        x = left + i * step
        bars.append({"x": round(x + step * 0.1, 2), "y": round(top + plot_h - h, 2), "w": round(max(step * 0.8, 0.5), 2),
                     "h": round(h, 2), "label": label, "events": n, "fatalities": dead})
        points.append((round(x + step / 2, 2), round(top + plot_h - plot_h * dead / max_dead, 2)))
    ticks = []
    every = max(1, len(bins) // 8)
    for i in range(0, len(bins), every):
        ticks.append({"x": round(left + i * step + step / 2, 2), "label": bins[i][0]})
    return {"width": width, "height": height, "bars": bars, "points": " ".join(f"{x},{y}" for x, y in points),
            "dots": [{"x": x, "y": y, "label": b[0], "fatalities": b[2]} for (x, y), b in zip(points, bins)],
            "ticks": ticks, "max_events": max_n, "max_fatalities": max_dead, "left": left, "right": width - right,
            "top": top, "base": top + plot_h, "monthly": monthly,
            "total_events": sum(b[1] for b in bins), "total_fatalities": sum(b[2] for b in bins)}


def _common(db, f: Filters) -> dict:
    return {"filters": f, "facets": facets(db), "query": urlencode(f.query_items())}


@router.get("/", response_class=HTMLResponse)
def map_page(request: Request, f: FilterDep) -> HTMLResponse:
    with open_db(request) as db:
        context = _common(db, f)
        context["timeline"] = timeline(daily_counts(db, f))
    return _render(request, "map.html", **context)


@router.get("/table", response_class=HTMLResponse)
def table_page(request: Request, f: FilterDep,
               sort: Annotated[str, Query()] = "date", order: Annotated[str, Query(pattern="^(asc|desc)$")] = "desc",
               page: Annotated[int, Query(ge=1, le=100000)] = 1) -> HTMLResponse:
    if sort not in SORTS:
        raise HTTPException(400, f"sort must be one of {', '.join(SORTS)}")
    with open_db(request) as db:
        context = _common(db, f)
        try:
            result = list_events(db, f, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, sort=sort, descending=order == "desc")
        except FilterError as exc:
            raise HTTPException(400, str(exc)) from None
    base = f.query_items()

    def link(**change) -> str:
        params = dict(base)
        params.update({"sort": sort, "order": order, "page": page})
        params.update(change)
        return "?" + urlencode(params)

    columns = [(key, label, link(sort=key, order="asc" if sort == key and order == "desc" else "desc", page=1))
               for key, label in (("date", "Date"), ("event_type", "Type"), ("location", "Location"),
                                  ("country", "Country"), ("fatalities", "Fatalities"), ("reports", "Reports"))]
    pages = max(1, -(-result.total // PAGE_SIZE))
    context.update(result=result, columns=columns, sort=sort, order=order, page=page, pages=pages,
                   prev_link=link(page=page - 1) if page > 1 else None,
                   next_link=link(page=page + 1) if page < pages else None)
    return _render(request, "table.html", **context)


@router.get("/events/{merged_id}", response_class=HTMLResponse)
def event_page(request: Request, merged_id: str) -> HTMLResponse:
    with open_db(request) as db:
        reviewers = has_reviewers(db)
        detail = event_detail(db, merged_id)
        if detail is None:
            member = db.scalar("SELECT merged_id FROM merged_links WHERE event_key = ?", (merged_id,))
            if member is not None:  # an article-event key: show its incident
                detail = event_detail(db, member)
    if detail is None:
        return _render(request, "missing.html", status=404, what=f"incident {merged_id}")
    for source in detail["sources"]:
        source["html"] = highlight(source["text"] or "", article_spans(source))
        source["safe_url"] = safe_url(source["url"])
        source["fields"] = [(name, field_class(name)) for name in sorted({n for _, _, n in article_spans(source)})]
    event, machine = detail["event"], detail["machine"]
    rows = []
    for name in FIELD_ROWS:
        quotes = []
        for source in detail["sources"]:
            for span in (source["evidence"] or {}).get(name, []):
                quotes.append({"text": span.get("text", ""), "article_id": source["article_id"]})
        rows.append({"name": name, "value": event.get(name), "machine": machine.get(name),
                     "reviewed": name in event.get("reviewed_fields", []), "quotes": quotes, "css": field_class(name)})
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for claim in detail["claims"]:
        by_kind[claim.get("kind") or "fatalities"].append(claim)
    conflicts = {kind: claims for kind, claims in by_kind.items()}
    disputed = {kind: len({(c.get("figure"), c.get("low"), c.get("high")) for c in claims}) > 1
                for kind, claims in by_kind.items()}
    return _render(request, "event.html", detail=detail, event=event, rows=rows, conflicts=conflicts, disputed=disputed,
                   correctable=CORRECTABLE, writes=request.app.state.settings.allow_writes,
                   needs_token=bool(request.app.state.settings.token) or reviewers, reviewer_tokens=reviewers)


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    with open_db(request) as db:
        row = db.query("SELECT article_id, title, text, published, source, url FROM articles WHERE article_id = ?",
                       (article_id,))
        events = db.query("SELECT e.event_key, l.merged_id, e.event_date, e.event_type, e.location FROM events e"
                          " LEFT JOIN merged_links l ON l.event_key = e.event_key WHERE e.article_id = ? ORDER BY e.seq",
                          (article_id,))
    if not row:
        return _render(request, "missing.html", status=404, what=f"article {article_id}")
    article = dict(zip(("id", "title", "text", "published", "source", "url"), row[0]))
    article["safe_url"] = safe_url(article["url"])
    return _render(request, "article.html", article=article, events=events)
