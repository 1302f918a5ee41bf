"""Property-based fuzzing of every reader and of the ingest CLI (a bounded run; benchmarks/fuzz.py runs long).

Random bytes, broken encodings, truncated and deeply nested structures, wrong JSON types, NUL and
control characters, huge lines, entity expansion and external entities in XML, gzip bombs in WARC:
each bad file gives one-line problems naming it, never an exception, and the good articles beside
it are all read (and stored, through the CLI).
"""
from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from fuzzing import (BILLION_LAUGHS, EXTERNAL_ENTITY, _deep, check_items, good_articles,  # noqa: E402
                     gzip_bomb, hostile_file, warc_bytes)

from eventcoder.ingest.readers import InputProblem, read_articles  # noqa: E402
from eventcoder.store.ingest import iter_inputs  # noqa: E402

FAST = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


def _read_with_good(suffix: str, data: bytes):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ids = good_articles(folder)
        hostile = folder / f"hostile{suffix}"
        hostile.write_bytes(data)
        items = list(iter_inputs([folder / "good.jsonl", hostile, folder / "good.jsonl"]))
        articles = check_items(items, hostile)
        read = [a.id for a in articles]
        assert read[:3] == ids and read[-3:] == ids  # the good file before and after is read whole
        return items


@FAST
@given(hostile_file())
def test_every_reader_survives_hostile_files(case):
    suffix, data = case
    _read_with_good(suffix, data)


@pytest.mark.parametrize("kind", ["list", "dict", "open"])
def test_deeply_nested_json_is_one_problem_not_a_crash(tmp_path, kind):
    for suffix in (".json", ".jsonl"):
        path = tmp_path / f"deep-{kind}{suffix}"
        path.write_bytes(_deep(100_000, kind))
        items = list(read_articles([path]))
        assert len(items) == 1 and isinstance(items[0], InputProblem), items
        assert str(path) in str(items[0])


def test_xml_entities_are_not_expanded_or_fetched(tmp_path):
    for name, data in (("laughs.rss", BILLION_LAUGHS), ("xxe.rss", EXTERNAL_ENTITY)):
        path = tmp_path / name
        path.write_bytes(data)
        for item in iter_inputs([path]):
            if not isinstance(item, InputProblem):
                assert "root:" not in item.text and len(item.text) < 10_000


def test_gzip_bomb_in_warc_is_skipped_and_the_page_beside_it_read(tmp_path):
    page = b"<html><body><article><p>" + (b"Unknown gunmen opened fire on a checkpoint. " * 5) + b"</p></article></body></html>"
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(warc_bytes([(gzip_bomb(64), {"Content-Encoding": "gzip"}), (page, {})], compress=True))
    items = list(iter_inputs([path]))
    articles = [i for i in items if not isinstance(i, InputProblem)]
    assert len(articles) == 1 and "checkpoint" in articles[0].text


def _ingest_app():
    import typer

    from eventcoder.store.commands import register

    sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "multisource"))
    from stub_extractor import StubExtractor

    app = typer.Typer()
    register(app, extractor_factory=StubExtractor)

    @app.callback()
    def _root() -> None:
        pass

    return app


CLI_FAST = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@CLI_FAST
@given(hostile_file())
def test_ingest_cli_codes_the_rest_and_exits_as_documented(case):
    suffix, data = case
    app = _ingest_app()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ids = good_articles(folder)
        hostile = folder / f"hostile{suffix}"
        hostile.write_bytes(data)
        db = folder / "store.db"
        result = CliRunner().invoke(app, ["ingest", str(folder / "good.jsonl"), str(hostile), "--db", str(db),
                                          "--no-progress"])
        assert result.exit_code in (0, 2), result.output
        assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
        assert "Traceback" not in result.output
        with sqlite3.connect(db) as conn:
            stored = {r[0] for r in conn.execute("SELECT article_id FROM articles")}
        assert set(ids) <= stored
        if result.exit_code == 2:
            assert str(hostile) in result.output or "hostile" in result.output
