"""Analysts' corrections: stored apart from the machine output, applied on read, kept across re-merges."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from eventcoder.store.database import connect
from eventcoder.store.ingest import ingest, iter_inputs, remerge
from eventcoder.store.migrations import LATEST
from eventcoder.store.review import (ReviewError, add_correction, apply_corrections, history, machine_record, reject,
                                     reviewed_record, reviewed_records)

HERE = Path(__file__).parent / "fixtures" / "multisource"
sys.path.insert(0, str(HERE))
from stub_extractor import StubExtractor  # noqa: E402
from test_store_database import db_url  # noqa: E402,F401  (SQLite file and PostgreSQL, when available)


def _split(tmp_path: Path) -> tuple[Path, Path]:
    lines = (HERE / "articles.jsonl").read_text().splitlines()
    first = [l for l in lines if '"r13a"' in l or '"r01a"' in l]
    rest = [l for l in lines if l not in first]
    (tmp_path / "first.jsonl").write_text("\n".join(first) + "\n")
    (tmp_path / "rest.jsonl").write_text("\n".join(rest) + "\n")
    return tmp_path / "first.jsonl", tmp_path / "rest.jsonl"


def _incident_of(db, article_id: str) -> str:
    return db.scalar("SELECT merged_id FROM merged_links WHERE article_id = ?", (article_id,))


def test_corrections_survive_recompute_and_never_touch_machine_rows(db_url, tmp_path):
    first, rest = _split(tmp_path)
    with connect(db_url) as db:
        assert db.scalar("SELECT MAX(version) FROM schema_migrations") == LATEST
        ingest(db, iter_inputs([first]), StubExtractor())
        palmyra = _incident_of(db, "r13a")
        before = machine_record(db, palmyra)
        fix = add_correction(db, palmyra, "fatalities", "40", "Ana")
        assert (fix.field, fix.old_value, fix.new_value, fix.reviewer) == ("fatalities", before["fatalities"], 40, "Ana")
        add_correction(db, palmyra, "admin1", "Homs", "Ana", note="checked a map")
        assert machine_record(db, palmyra) == before  # machine output untouched
        seen = reviewed_record(db, palmyra)
        assert seen["fatalities"] == 40 and seen["admin1"] == "Homs"
        assert seen["reviewed_fields"] == ["admin1", "fatalities"] and seen["status"] == "active"

        # two more reports of the same incident arrive: the merged id changes, the corrections stay
        ingest(db, iter_inputs([rest]), StubExtractor())
        grown = _incident_of(db, "r13a")
        assert grown != palmyra
        assert db.scalar("SELECT n_reports FROM merged_events WHERE merged_id = ?", (grown,)) == 3
        seen = reviewed_record(db, grown)
        assert seen["fatalities"] == 40 and seen["admin1"] == "Homs"
        assert json.loads(db.scalar("SELECT record FROM merged_events WHERE merged_id = ?", (grown,)))["fatalities"] == 46
        assert [c.field for c in history(db, grown)] == ["fatalities", "admin1"]

        # a plain recompute changes nothing either
        remerge(db)
        assert reviewed_record(db, grown)["fatalities"] == 40

        # rejecting, then restoring
        reject(db, grown, "Ben", "duplicate of another incident")
        assert reviewed_record(db, grown)["status"] == "rejected"
        add_correction(db, grown, "status", "active", "Ana")
        assert reviewed_record(db, grown)["status"] == "active"
        assert db.scalar("SELECT COUNT(*) FROM corrections") == 4


def test_bad_corrections_are_refused(db_url):
    with connect(db_url) as db:
        ingest(db, iter_inputs([HERE / "articles.jsonl"]), StubExtractor())
        mid = _incident_of(db, "r01a")
        for field, value, reviewer in [("fatalities", "many", "Ana"), ("event_id", "X", "Ana"),
                                       ("claims", "[]", "Ana"), ("status", "deleted", "Ana"),
                                       ("event_date", "13/13/2023", "Ana"), ("location", "Idlib", " ")]:
            with pytest.raises(ReviewError):
                add_correction(db, mid, field, value, reviewer)
        with pytest.raises(KeyError):
            add_correction(db, "Mnope", "location", "x", "Ana")
        assert db.scalar("SELECT COUNT(*) FROM corrections") == 0
        # values keep their types; a new date moves the year with it
        add_correction(db, mid, "event_date", "2022-12-31", "Ana")
        add_correction(db, mid, "inter1", "", "Ana")
        seen = reviewed_record(db, mid)
        assert (seen["event_date"], seen["year"], seen["inter1"]) == ("2022-12-31", 2022, None)
        # a hostile value is stored as text, untouched (escaping is the renderer's job)
        add_correction(db, mid, "notes", "<script>alert(1)</script>'; DROP TABLE events; --", "Ana")
        assert reviewed_record(db, mid)["notes"].startswith("<script>")
        assert db.scalar("SELECT COUNT(*) FROM events") == 67


def test_newest_correction_wins_and_records_stream(tmp_path):
    record = {"event_id": "M1", "fatalities": 3, "location": "A"}
    from eventcoder.store.review import Correction

    older = Correction(1, "M1", "fatalities", 3, 5, "a", "", "2024-01-01T00:00:00.000000+00:00")
    newer = Correction(2, "M0", "fatalities", 5, 7, "b", "", "2024-01-02T00:00:00.000000+00:00")
    assert apply_corrections(record, [newer, older])["fatalities"] == 7
    assert apply_corrections(record, [])["reviewed"] is False
    with connect(tmp_path / "s.db") as db:
        ingest(db, iter_inputs([HERE / "articles.jsonl"]), StubExtractor())
        mid = _incident_of(db, "r02a")
        add_correction(db, mid, "location", "Deir ez-Zor city", "Ana")
        from eventcoder.store.export import merged_records

        rows = list(reviewed_records(merged_records(db), db, chunk=7))
        assert len(rows) == 30
        assert [r["location"] for r in rows if r["event_id"] == mid] == ["Deir ez-Zor city"]
        assert sum(r["reviewed"] for r in rows) == 1
