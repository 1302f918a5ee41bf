"""Reviewed data leaves as reviewed: ``eventcoder export`` applies corrections and leaves out
rejected incidents exactly as the API export does; ``--machine`` writes the raw output."""
from __future__ import annotations

import csv
import io
import json
import sys
import warnings
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from eventcoder.store.commands import register
from eventcoder.store.database import connect
from eventcoder.store.ingest import ingest, iter_inputs
from eventcoder.store.review import add_correction, reject

HERE = Path(__file__).parent / "fixtures" / "multisource"
sys.path.insert(0, str(HERE))
from stub_extractor import StubExtractor  # noqa: E402


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app, extractor_factory=StubExtractor)

    @app.callback()
    def _root() -> None:
        pass

    return app


def test_export_applies_corrections_and_leaves_out_rejected_after_reingest(tmp_path):
    db_path = str(tmp_path / "store.db")
    runner = CliRunner()
    app = _app()
    assert runner.invoke(app, ["ingest", str(HERE / "articles.jsonl"), "--db", db_path, "--no-progress"]).exit_code == 0
    with connect(db_path) as db:
        rows = db.query("SELECT merged_id, fatalities FROM merged_events ORDER BY event_date, merged_id")
        fixed, dropped = rows[0][0], rows[1][0]
        add_correction(db, fixed, "fatalities", rows[0][1] + 5, "Ana", "hospital list")
        add_correction(db, fixed, "location", "Corrected Town", "Ana")
        reject(db, dropped, "Ben", "not an event")
    # re-ingesting (the same file and a new report) keeps the review
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps({"id": "late-1", "text": "Report: 3 people were killed in Homs on Friday by a car bomb.",
                                "published": "2023-03-03"}) + "\n")
    assert runner.invoke(app, ["ingest", str(HERE / "articles.jsonl"), str(more), "--db", db_path,
                               "--no-progress"]).exit_code == 0

    reviewed = runner.invoke(app, ["export", "--format", "acled-csv", "--db", db_path])
    assert reviewed.exit_code == 0, reviewed.output
    table = list(csv.DictReader(io.StringIO(reviewed.stdout)))
    assert "status" in table[0] and "reviewed_fields" in table[0]
    with connect(db_path) as db:
        keys = {mid: db.query("SELECT event_key FROM merged_links WHERE merged_id = ?", (mid,)) for mid in (fixed, dropped)}
        total = db.scalar("SELECT COUNT(*) FROM merged_events")
    assert len(table) == total - 1  # the rejected incident is left out
    corrected = [r for r in table if r["location"] == "Corrected Town"]
    assert len(corrected) == 1 and corrected[0]["fatalities"] == str(rows[0][1] + 5)
    assert corrected[0]["reviewed_fields"] == "fatalities; location" and corrected[0]["status"] == "active"

    machine = runner.invoke(app, ["export", "--format", "acled-csv", "--machine", "--db", db_path])
    raw = list(csv.DictReader(io.StringIO(machine.stdout)))
    assert len(raw) == total and "status" not in raw[0]
    assert not any(r["location"] == "Corrected Town" for r in raw)

    jsonl = runner.invoke(app, ["export", "--format", "jsonl", "--db", db_path])
    records = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert len(records) == total - 1 and all(r["status"] == "active" for r in records)

    # the same rows as the API's export
    pytest.importorskip("fastapi")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from eventcoder.web import create_app

    with TestClient(create_app(db_path, allow_writes=False)) as client:
        api = list(csv.DictReader(io.StringIO(client.get("/api/export.csv").text)))
    assert [r["event_id"] for r in api] == [r["event_id"] for r in table]
    for mine, theirs in zip(table, api):
        for column in table[0]:
            if column in theirs:
                assert mine[column] == theirs[column], (column, mine[column], theirs[column])
    assert keys[fixed] and keys[dropped]


def test_malformed_jsonl_line_is_exit_2_for_ingest_with_the_rest_stored(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Report: 2 people were killed in Idlib on Monday."}) + "\n{broken\n"
                   + json.dumps({"id": "b", "text": "Report: 4 people were killed in Homs on Monday."}) + "\n")
    result = CliRunner().invoke(_app(), ["ingest", str(src), "--db", str(tmp_path / "s.db"), "--no-progress"])
    assert result.exit_code == 2 and f"{src}:2" in result.output
    with connect(str(tmp_path / "s.db")) as db:
        assert sorted(r[0] for r in db.query("SELECT article_id FROM articles")) == ["a", "b"]
