"""Ingest into real SQLite files: duplicates, idempotence, interruption, merge, the CLI commands."""
from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from eventcoder.schema import Article
from eventcoder.store.commands import register
from eventcoder.store.database import connect
from eventcoder.store.ingest import ingest, iter_inputs

HERE = Path(__file__).parent / "fixtures" / "multisource"
sys.path.insert(0, str(HERE))
from stub_extractor import StubExtractor  # noqa: E402
from test_store_database import db_url  # noqa: E402,F401  (SQLite file and PostgreSQL, when available)

TABLES = ("articles", "article_copies", "article_urls", "sources", "events", "claims", "evidence",
          "merged_events", "merged_links")


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every data table, sorted: equal dumps mean equal stores."""
    conn = sqlite3.connect(path)
    try:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
    finally:
        conn.close()


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app, extractor_factory=StubExtractor)

    @app.callback()
    def _root() -> None:  # keep subcommands as subcommands
        pass

    return app


def test_multisource_set_through_the_store(db_url):
    with connect(db_url) as db:
        summary = ingest(db, iter_inputs([HERE / "articles.jsonl"]), StubExtractor(), batch_size=16)
        assert (summary.new, summary.events, summary.errors) == (67, 67, 0)
        assert summary.incidents == 30
        links = db.query("SELECT merged_id, article_id FROM merged_links")
        tables = {t: sorted(db.query(f"SELECT * FROM {t}"), key=repr) for t in TABLES if t != "articles"}
        again = ingest(db, iter_inputs([HERE / "articles.jsonl"]), StubExtractor(), batch_size=16)
        assert again.new == 0 and again.already_stored == 67
        assert {t: sorted(db.query(f"SELECT * FROM {t}"), key=repr) for t in tables} == tables
    groups: dict[str, list[str]] = {}
    for merged, article in links:
        groups.setdefault(merged, []).append(article)
    gold = json.loads((HERE / "gold.json").read_text())
    assert {frozenset(g) for g in groups.values()} == {
        frozenset(r for r in gold if gold[r] == i) for i in set(gold.values())}


def test_duplicates_are_stored_once_with_all_urls(tmp_path):
    text = ("Government artillery shelled Ariha on Sunday, killing three civilians including a child, "
            "the White Helmets said. Rescue workers pulled two more people from the rubble of a house. "
            "The town, on the M4 highway south of Idlib city, has been hit repeatedly since the ceasefire of March "
            "2020 broke down, and residents said many families had already left for camps near the Turkish border. "
            "Opposition factions responded with rocket fire on government positions in Kafr Nabl, activists said.")
    items = [
        Article(id="orig", text=text, source="A", url="https://a.example/1"),
        Article(id="copy", text=text + "  ", source="B", url="https://b.example/9"),  # same normalised text
        Article(id="near", text=text.replace("Sunday", "Sunday evening") + " Copyright B News.", source="C",
                url="https://c.example/x"),
        Article(id="other", text="Protesters gathered in Raqqa on Thursday over fuel prices, witnesses said.",
                source="D"),
    ]
    with connect(tmp_path / "d.db") as db:
        summary = ingest(db, items, StubExtractor())
        assert (summary.new, summary.exact_duplicates, summary.near_duplicates) == (2, 1, 1)
        assert db.scalar("SELECT COUNT(*) FROM articles") == 2
        urls = [r[0] for r in db.query("SELECT url FROM article_urls WHERE article_id = 'orig' ORDER BY url")]
        assert urls == ["https://a.example/1", "https://b.example/9", "https://c.example/x"]
        kinds = dict(db.query("SELECT copy_id, kind FROM article_copies"))
        assert kinds == {"orig": "original", "near": "near", "other": "original"}
        again = ingest(db, items, StubExtractor())
        assert (again.new, again.duplicates, again.already_stored) == (0, 0, 4)


def test_running_twice_changes_nothing(tmp_path):
    db_path = tmp_path / "twice.db"
    with connect(db_path) as db:
        ingest(db, iter_inputs([HERE / "articles.jsonl"]), StubExtractor())
    before = dump(db_path)
    with connect(db_path) as db:
        summary = ingest(db, iter_inputs([HERE / "articles.jsonl"]), StubExtractor())
    assert summary.new == 0 and summary.already_stored == 67
    assert dump(db_path) == before


def test_merge_is_recomputed_as_articles_arrive(tmp_path):
    lines = (HERE / "articles.jsonl").read_text().splitlines()
    first = [l for l in lines if '"r13a"' in l or '"r01a"' in l]
    rest = [l for l in lines if l not in first]
    (tmp_path / "first.jsonl").write_text("\n".join(first) + "\n")
    (tmp_path / "rest.jsonl").write_text("\n".join(rest) + "\n")
    with connect(tmp_path / "grow.db") as db:
        assert ingest(db, iter_inputs([tmp_path / "first.jsonl"]), StubExtractor()).incidents == 2
        assert ingest(db, iter_inputs([tmp_path / "rest.jsonl"]), StubExtractor()).incidents == 30
        row = db.query("SELECT n_reports, fatalities, record FROM merged_events WHERE record LIKE ?", ("%r13a%",))
    n_reports, fatalities, record = row[0]
    assert (n_reports, fatalities) == (3, 46)
    assert json.loads(record)["source"] == "Damascus Courier; Gulf Wire; Levant Monitor"


def _many_articles(path: Path, n: int) -> None:
    towns = ["Idlib", "Ariha", "Saraqib", "Raqqa", "Manbij", "Homs", "Mosul", "Kirkuk"]
    with path.open("w") as handle:
        for i in range(n):
            town = towns[i % len(towns)]
            day = 1 + (i // len(towns)) % 28
            text = (f"Report number {i}: {i % 7 + 1} people were killed in {town} when strike wave {i} "
                    f"hit district {i * 7919 % 1000} and neighbourhood {i * 104729 % 997}.")
            handle.write(json.dumps({"id": f"a{i}", "text": text, "published": f"2023-05-{day:02d}",
                                     "source": f"Outlet {i % 3}", "url": f"https://o{i % 3}.example/{i}"}) + "\n")


SCRIPT = """
import sys
sys.path.insert(0, {stub!r})
from stub_extractor import StubExtractor
from eventcoder.store.database import connect
from eventcoder.store.ingest import ingest, iter_inputs
db = connect({db!r})
ingest(db, iter_inputs([{src!r}]), StubExtractor(delay={delay}), batch_size=10)
"""


def _run(db: Path, src: Path, delay: float) -> subprocess.Popen:
    code = SCRIPT.format(stub=str(HERE), db=str(db), src=str(src), delay=delay)
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_sigkill_half_way_then_rerun_equals_one_clean_run(tmp_path):
    src = tmp_path / "many.jsonl"
    _many_articles(src, 200)
    clean, killed = tmp_path / "clean.db", tmp_path / "killed.db"
    assert _run(clean, src, 0.0).wait(timeout=120) == 0

    proc = _run(killed, src, 0.01)
    deadline = time.time() + 60
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            with sqlite3.connect(killed, timeout=1) as conn:
                stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        except sqlite3.Error:
            continue
        if stored >= 60:
            break
    assert proc.poll() is None, "the run ended before it could be interrupted"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    with sqlite3.connect(killed) as conn:
        half = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        assert 0 < half < 200 and half % 10 == 0  # whole batches only
        assert conn.execute("SELECT COUNT(*) FROM merged_events").fetchone()[0] == 0
    assert _run(killed, src, 0.0).wait(timeout=120) == 0
    assert dump(killed) == dump(clean)


def test_cli_ingest_and_export(tmp_path):
    app = _app()
    runner = CliRunner()
    db = str(tmp_path / "cli.db")
    result = runner.invoke(app, ["ingest", str(HERE / "articles.jsonl"), "--db", db, "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "67 articles read: 67 new" in result.output and "30 incidents" in result.output

    out = runner.invoke(app, ["export", "--format", "acled-csv", "--db", db])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) == 30 and rows[0]["event_date"] <= rows[-1]["event_date"]
    palmyra = next(r for r in rows if r["location"] == "Palmyra")
    assert palmyra["fatalities"] == "46" and palmyra["source"].count(";") == 2

    iraq = runner.invoke(app, ["export", "--format", "jsonl", "--country", "iraq", "--since", "2023-07-01", "--db", db])
    records = [json.loads(l) for l in iraq.stdout.splitlines()]
    assert records and all(r["country"] == "Iraq" and r["event_date"] >= "2023-07-01" for r in records)

    geo = tmp_path / "x.geojson"
    assert runner.invoke(app, ["export", "--format", "geojson", "--db", db, "--output", str(geo)]).exit_code == 0
    collection = json.loads(geo.read_text())
    assert len(collection["features"]) == 30
    assert collection["features"][0]["geometry"]["type"] == "Point"

    parquet = tmp_path / "x.parquet"
    assert runner.invoke(app, ["export", "--format", "parquet", "--db", db, "--output", str(parquet)]).exit_code == 0
    import pyarrow.parquet as pq

    table = pq.read_table(parquet)
    assert table.num_rows == 30 and table.schema.field("fatalities").type == "int64"


def test_cli_user_mistakes_exit_2_without_traceback(tmp_path):
    app = _app()
    runner = CliRunner()
    cases = [
        ["ingest", str(tmp_path / "missing.jsonl"), "--db", str(tmp_path / "a.db"), "--no-progress"],
        ["ingest", str(HERE / "articles.jsonl"), "--db", str(tmp_path / "nope" / "a.db")],
        ["ingest", str(HERE / "articles.jsonl"), "--published", "yesterday", "--db", str(tmp_path / "a.db")],
        ["export", "--format", "parquet", "--db", str(tmp_path / "a.db")],
        ["export", "--db", str(tmp_path / "never.db")],
        ["export", "--since", "2023-13-40", "--db", str(tmp_path / "a.db")],
    ]
    for args in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output and "error" in result.output
