"""The HTTP API and pages over real stores (SQLite file; PostgreSQL when EVENTCODER_TEST_PG_URL is set)."""
from __future__ import annotations

import csv
import io
import json
import re
import sys
import warnings
from pathlib import Path
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from eventcoder.schema import Article
from eventcoder.store.database import connect
from eventcoder.store.ingest import ingest, iter_inputs
from eventcoder.web import create_app
from eventcoder.web.detail import highlight, safe_url

HERE = Path(__file__).parent / "fixtures" / "multisource"
sys.path.insert(0, str(HERE))
from stub_extractor import StubExtractor  # noqa: E402
from test_store_database import db_url  # noqa: E402,F401  (SQLite file and PostgreSQL, when available)

TOKEN = "test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

HOSTILE_TEXT = ('Shelling in Idlib killed 4 people on Monday, the <b>Civil Defence</b> said. '
                '<script>window.__pwned = "script";</script>'
                '<img src=x onerror="window.__pwned = \'img\'"> '
                '"><svg onload="window.__pwned = \'svg\'"> & more.')


def hostile_article() -> Article:
    return Article(id="evil<1>", text=HOSTILE_TEXT, published="2023-12-24",
                   source='Evil "Wire" <script>window.__pwned="source"</script>',
                   title='<img src=x onerror="window.__pwned=\'title\'">Breaking',
                   url="javascript:window.__pwned='url'")


def fill(url: str) -> None:
    """The multisource fixture plus one hostile article, coded by the stub extractor."""
    with connect(url) as db:
        ingest(db, iter_inputs([HERE / "articles.jsonl"]), StubExtractor())
        ingest(db, [hostile_article()], StubExtractor())


@pytest.fixture
def client(db_url):
    fill(db_url)
    app = create_app(db_url, token=TOKEN)
    with TestClient(app) as c:
        yield c


def _incident(client, article_id: str) -> str:
    return client.get(f"/api/articles/{quote(article_id, safe='')}").json()["events"][0]["merged_id"]


def test_list_filters_and_pagination(client):
    everything = client.get("/api/events", params={"limit": 500}).json()
    assert everything["total"] == 31 and len(everything["events"]) == 31
    assert "evidence" not in everything["events"][0]
    dates = [e["event_date"] for e in everything["events"]]
    assert dates == sorted(dates)

    pages = [client.get("/api/events", params={"limit": 7, "offset": o}).json()["events"] for o in range(0, 35, 7)]
    assert [e["event_id"] for p in pages for e in p] == [e["event_id"] for e in everything["events"]]

    iraq = client.get("/api/events", params={"country": "IRAQ", "start": "2023-07-01"}).json()
    assert iraq["total"] and all(e["country"] == "Iraq" and e["event_date"] >= "2023-07-01" for e in iraq["events"])

    by_type = client.get("/api/events", params={"event_type": "Battles", "limit": 500}).json()
    assert by_type["total"] and all(e["event_type"] == "Battles" for e in by_type["events"])

    russia = client.get("/api/events", params={"actor": "russia", "limit": 500}).json()
    assert russia["total"] and all("russia" in (e["actor1"] + e["actor2"]).lower() for e in russia["events"])

    box = client.get("/api/events", params={"bbox": "36,35,37,36.5", "limit": 500}).json()  # around Idlib
    assert box["total"] and all(35 <= e["latitude"] <= 36.5 and 36 <= e["longitude"] <= 37 for e in box["events"])

    text = client.get("/api/events", params={"q": "market Idlib"}).json()
    assert text["total"] == 1 and text["events"][0]["location"] in ("Idlib", "Edlib")
    assert client.get("/api/events", params={"q": "zzzunknownword"}).json()["total"] == 0

    by_fatalities = client.get("/api/events", params={"sort": "fatalities", "order": "desc", "limit": 3}).json()
    figures = [e["fatalities"] for e in by_fatalities["events"]]
    assert figures == sorted(figures, reverse=True) and figures[0] >= 46



class _RegionExtractor:
    """Codes each article as one event in the region and with the actor its id names."""

    def run(self, articles, batch_size=64):
        from dataclasses import dataclass

        from eventcoder.schema import Event

        @dataclass
        class Outcome:
            article: Article
            events: list
            error: str | None = None

        for n, article in enumerate(articles):
            region, actor = article.id.split("|")
            yield Outcome(article, [Event(event_date="2023-05-0%d" % (n + 1), event_type="Battles", country="Syria",
                                          admin1=region, location=f"Town {n}", latitude=35 + n, longitude=36 + n,
                                          actor1=actor, source="X", fatalities=n)])


def test_region_and_actor_filters(db_url):
    items = [Article(id=f"{region}|{actor}", text=f"Report {i} about {region} and {actor}.", published="2023-05-01")
             for i, (region, actor) in enumerate([("Idlib", "Military Forces of Syria (2000-)"),
                                                  ("Aleppo", "HTS: Hayat Tahrir al Sham"),
                                                  ("Idlib", "Unidentified Armed Group (Syria)")])]
    with connect(db_url) as db:
        ingest(db, items, _RegionExtractor())
    with TestClient(create_app(db_url, token=TOKEN)) as client:
        idlib = client.get("/api/events", params={"admin1": "IDLIB"}).json()
        assert idlib["total"] == 2 and {e["admin1"] for e in idlib["events"]} == {"Idlib"}
        hts = client.get("/api/events", params={"actor": "tahrir"}).json()
        assert [e["admin1"] for e in hts["events"]] == ["Aleppo"]
        assert client.get("/api/events", params={"actor": "100%_"}).json()["total"] == 0
        mid = hts["events"][0]["event_id"]
        client.post(f"/api/events/{mid}/corrections", json={"field": "admin1", "value": "Idlib", "reviewer": "Ana"},
                    headers=AUTH)
        assert client.get("/api/events", params={"admin1": "idlib"}).json()["total"] == 3
        assert client.get("/api/events", params={"admin1": "Aleppo"}).json()["total"] == 0


def test_hostile_filters_are_data_not_sql(client):
    for params in ({"country": "Syria' OR '1'='1"}, {"actor": "%' OR 1=1 --"}, {"q": "'; DROP TABLE articles; --"},
                   {"admin1": "x\") OR 1=1 --"}, {"event_type": "Battles'; DELETE FROM merged_events; --"}):
        response = client.get("/api/events", params=params)
        assert response.status_code == 200 and response.json()["total"] == 0, params
    assert client.get("/api/events").json()["total"] == 31
    for bad in ({"start": "2023-13-01"}, {"bbox": "1,2,3"}, {"bbox": "0,50,10,40"}, {"status": "deleted"},
                {"sort": "record"}, {"limit": 0}, {"limit": 100000}):
        assert client.get("/api/events", params=bad).status_code in (400, 422), bad


def test_one_incident_its_article_and_counts(client):
    mid = _incident(client, "r13a")
    event = client.get(f"/api/events/{mid}").json()
    assert event["event"]["event_id"] == mid and event["event"]["status"] == "active"
    assert {s["article_id"] for s in event["sources"]} == {"r13a", "r13b", "r13c"}
    assert len(event["claims"]) >= 2 and all(c["claimant"] for c in event["claims"])
    assert event["machine"]["fatalities"] == 46
    assert client.get("/api/events/Mnothing").status_code == 404
    assert client.get(f"/api/members/{quote(event['sources'][0]['event_key'], safe='')}").json()["merged_id"] == mid

    article = client.get("/api/articles/r13a").json()
    assert article["text"] and article["events"][0]["merged_id"] == mid
    assert client.get("/api/articles/none").status_code == 404

    days = client.get("/api/stats/daily").json()["days"]
    assert sum(d["events"] for d in days) == 31
    assert {"date", "event_type", "events", "fatalities"} <= set(days[0])
    syria = client.get("/api/stats/daily", params={"country": "Syria"}).json()["days"]
    assert 0 < sum(d["events"] for d in syria) < 31


def test_writes_need_the_token_and_show_as_reviewed(client):
    mid = _incident(client, "r13a")
    body = {"field": "fatalities", "value": 40, "reviewer": "Ana", "note": "hospital list"}
    assert client.post(f"/api/events/{mid}/corrections", json=body).status_code == 401
    assert client.post(f"/api/events/{mid}/corrections", json=body,
                       headers={"Authorization": "Bearer wrong-token"}).status_code == 401
    assert client.post(f"/api/events/{mid}/corrections", content="field=fatalities&value=1&reviewer=x",
                       headers={**AUTH, "Content-Type": "application/x-www-form-urlencoded"}).status_code == 415
    assert client.post(f"/api/events/{mid}/corrections", json=body,
                       headers={**AUTH, "Origin": "https://attacker.example"}).status_code == 403
    made = client.post(f"/api/events/{mid}/corrections", json=body, headers=AUTH)
    assert made.status_code == 201, made.text
    correction = made.json()["correction"]
    assert (correction["old_value"], correction["new_value"], correction["reviewer"]) == (46, 40, "Ana")
    assert correction["created_at"]
    bad = client.post(f"/api/events/{mid}/corrections", json={**body, "value": "lots"}, headers=AUTH)
    assert bad.status_code == 422 and "fatalities" in bad.json()["detail"]
    assert client.post("/api/events/Mnone/corrections", json=body, headers=AUTH).status_code == 404

    event = client.get(f"/api/events/{mid}").json()
    assert event["event"]["fatalities"] == 40 and event["event"]["reviewed_fields"] == ["fatalities"]
    assert event["machine"]["fatalities"] == 46
    assert event["corrections"][0]["note"] == "hospital list"

    # moved to another country by the analyst: filters see the reviewed value
    client.post(f"/api/events/{mid}/corrections", json={"field": "country", "value": "Lebanon", "reviewer": "Ana"},
                headers=AUTH)
    assert [e["event_id"] for e in client.get("/api/events", params={"country": "Lebanon"}).json()["events"]] == [mid]
    assert mid not in {e["event_id"] for e in client.get("/api/events", params={"country": "Syria", "limit": 500}).json()["events"]}

    other = _incident(client, "r01a")
    assert client.post(f"/api/events/{other}/reject", json={"reviewer": "Ben"}, headers=AUTH).status_code == 201
    listed = client.get("/api/events", params={"limit": 500}).json()
    assert listed["total"] == 30 and other not in {e["event_id"] for e in listed["events"]}
    rejected = client.get("/api/events", params={"status": "rejected"}).json()
    assert [e["event_id"] for e in rejected["events"]] == [other] and rejected["events"][0]["status"] == "rejected"
    assert client.get("/api/events", params={"status": "all"}).json()["total"] == 31

    rows = list(csv.DictReader(io.StringIO(client.get("/api/export.csv", params={"status": "all"}).text)))
    assert len(rows) == 31
    fixed = next(r for r in rows if r["event_id"] == mid)
    assert (fixed["fatalities"], fixed["country"], fixed["reviewed_fields"]) == ("40", "Lebanon", "country; fatalities")
    assert next(r for r in rows if r["event_id"] == other)["status"] == "rejected"

    geo = client.get("/api/export.geojson", params={"country": "Lebanon"}).json()
    assert [f["id"] for f in geo["features"]] == [mid]
    props = geo["features"][0]["properties"]
    assert props["fatalities"] == 40 and props["reviewed_fields"] == ["country", "fatalities"] and "evidence" in props
    points = client.get("/api/events.geojson").json()
    assert len(points["features"]) == 30 and set(points["features"][0]["properties"]) >= {"event_date", "status"}


def test_request_size_limit_and_read_only(db_url):
    fill(db_url)
    with TestClient(create_app(db_url, token=TOKEN)) as client:
        mid = _incident(client, "r01a")
        big = {"field": "notes", "value": "x" * 70_000, "reviewer": "Ana"}
        assert client.post(f"/api/events/{mid}/corrections", json=big, headers=AUTH).status_code == 413

        def chunks():
            for _ in range(20):
                yield b"x" * 8192

        streamed = client.post(f"/api/events/{mid}/corrections", content=chunks(),
                               headers={**AUTH, "Content-Type": "application/json"})
        assert streamed.status_code == 413
    with TestClient(create_app(db_url, allow_writes=False)) as client:
        mid = _incident(client, "r01a")
        response = client.post(f"/api/events/{mid}/reject", json={"reviewer": "Ana"})
        assert response.status_code == 403
    # no token: writes only through a loopback host name
    with TestClient(create_app(db_url), base_url="http://127.0.0.1:8000") as client:
        assert client.post(f"/api/events/{mid}/corrections",
                           json={"field": "location", "value": "Idlib city", "reviewer": "Ana"}).status_code == 201
    with TestClient(create_app(db_url), base_url="http://attacker.example") as client:
        assert client.get("/api/events").status_code == 421


def test_pages_render_and_escape_hostile_articles(client):
    evil = _incident(client, "evil<1>")
    html = client.get(f"/events/{evil}").text
    assert "<script>window.__pwned" not in html and "<img src=x" not in html and "<svg onload" not in html
    assert "&lt;script&gt;window.__pwned" in html  # shown, as text
    assert 'href="javascript:' not in html
    assert re.search(r'<mark class="ev ev-location"[^>]*>Idlib</mark>', html)
    assert 'onerror="' not in html.replace('onerror=&#34;', "")
    response = client.get(f"/events/{evil}")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    for path in ("/", "/table", "/table?sort=fatalities&order=asc", f"/articles/{quote('evil<1>', safe='')}", "/?q=market",
                 "/?country=Syria&event_type=Battles"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "<script>window.__pwned" not in page.text and "<img src=x" not in page.text, path
    table = client.get("/table").text
    assert table.count('href="/events/M') >= 30
    assert client.get("/events/Mnothing").status_code == 404
    assert client.get("/docs").status_code == 200 and "swagger-ui-bundle.js" in client.get("/docs").text
    assert client.get("/openapi.json").json()["paths"]["/api/events"]
    assert client.get("/static/vendor/leaflet/leaflet.js").status_code == 200
    outlines = client.get("/static/basemap/countries-50m.geojson").json()
    assert any(f["properties"]["name"] == "Syria" for f in outlines["features"])


def test_highlight_escapes_every_segment():
    text = "a <b>x</b> & <script>1</script>"
    out = str(highlight(text, [(2, 10, "actor1"), (5, 6, "location"), (13, 31, 'x"><script>')]))
    assert "<b>" not in out and "<script>" not in out
    assert out.count("<mark") == 4 and "&lt;b&gt;" in out
    assert 'class="ev ev-xscript"' in out
    assert safe_url("javascript:alert(1)") is None and safe_url(" https://x.example/a ") == "https://x.example/a"


def test_serve_refuses_unsafe_options(tmp_path, monkeypatch):
    import typer
    from typer.testing import CliRunner

    from eventcoder.web.commands import register

    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:
        pass

    monkeypatch.delenv("EVENTCODER_TOKEN", raising=False)
    db = tmp_path / "s.db"
    with connect(db):
        pass
    runner = CliRunner()
    cases = [["serve", "--db", str(db), "--host", "0.0.0.0"],
             ["serve", "--db", str(db), "--port", "70000"],
             ["serve", "--db", str(tmp_path / "missing.db")],
             ["serve", "--db", str(db), "--tiles", "javascript:alert(1)"],
             ["serve", "--db", str(db), "--host", "0.0.0.0", "--token", "short"]]
    for args in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert "error" in result.output and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) <= 3  # one message (rich may wrap it)
