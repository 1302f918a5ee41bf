"""The store on real SQLite files and, when EVENTCODER_TEST_PG_URL is set, a real PostgreSQL server.

EVENTCODER_TEST_PG_URL is a URL of a database whose role may CREATE DATABASE (``.ci/postgres.sh``
starts one and prints it); each test gets a fresh database that is dropped afterwards.
"""
from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest

from eventcoder.store.database import StoreError, connect
from eventcoder.store.migrations import LATEST, current_version, migrate

PG_ENV = "EVENTCODER_TEST_PG_URL"
MULTISOURCE = Path(__file__).parent / "fixtures" / "multisource"
sys.path.insert(0, str(MULTISOURCE))  # stub_extractor


def _pg_database():
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set")
    try:
        import psycopg
    except ImportError:
        pytest.skip("psycopg is not installed")
    try:
        admin = psycopg.connect(url, autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        if os.environ.get("CI"):  # CI starts the server (.ci/postgres.sh): unreachable is a failure there
            pytest.fail(f"PostgreSQL at {PG_ENV} unreachable: {exc}")
        pytest.skip(f"PostgreSQL at {PG_ENV} unreachable: {exc}")
    name = f"ec_test_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = url.rpartition("/")
    return admin, name, f"{base}/{name}"


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    """A URL for an empty store: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
        return
    admin, name, url = _pg_database()
    try:
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_migrations_are_versioned_and_idempotent(db_url):
    db = connect(db_url, migrate=False)
    assert current_version(db) == 0
    assert migrate(db, target=1) == [1]
    assert current_version(db) == 1
    assert migrate(db) == list(range(2, LATEST + 1))
    assert migrate(db) == []
    db.close()
    with connect(db_url) as again:
        assert current_version(again) == LATEST
        assert again.scalar("SELECT COUNT(*) FROM schema_migrations") == LATEST


def test_sqlite_file_is_in_wal_mode(tmp_path):
    with connect(tmp_path / "x.db") as db:
        assert db.scalar("PRAGMA journal_mode") == "wal"


def test_default_path_comes_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTCODER_DB", str(tmp_path / "env.db"))
    with connect() as db:
        assert db.dialect == "sqlite"
    assert (tmp_path / "env.db").exists()


def test_bad_locations_give_user_errors(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        connect(tmp_path / "missing" / "x.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="not a database"):
        connect(junk)
    with pytest.raises(StoreError, match="cannot connect"):
        connect("postgresql://nobody@127.0.0.1:1/none")


def test_transaction_rolls_back_as_a_whole(db_url):
    with connect(db_url) as db:
        with pytest.raises(RuntimeError):
            with db.transaction():
                db.execute("INSERT INTO sources (name) VALUES (?)", ("A",))
                raise RuntimeError("boom")
        assert db.scalar("SELECT COUNT(*) FROM sources") == 0
        with db.transaction():
            db.insert_ignore("sources", ("name",), [("A",), ("A",), ("B; drop table sources",)], ("name",))
        assert db.scalar("SELECT COUNT(*) FROM sources") == 2


def test_full_text_search(db_url):
    from eventcoder.ingest.readers import InputProblem
    from eventcoder.schema import Article
    from eventcoder.store.ingest import ingest, search_articles

    from stub_extractor import StubExtractor

    items = [
        Article(id="a", text="Shelling of Saraqib killed two civilians on Thursday.", source="X"),
        Article(id="b", text="Protesters gathered in Raqqa over fuel prices.", source="Y"),
        InputProblem("bad.json", "malformed JSON"),
    ]
    with connect(db_url) as db:
        summary = ingest(db, items, StubExtractor())
        assert summary.new == 2 and len(summary.problems) == 1
        assert search_articles(db, "saraqib civilians") == ["a"]
        assert search_articles(db, "fuel") == ["b"]
        assert search_articles(db, "'; DROP TABLE articles; --") == []
        assert search_articles(db, "Damascus") == []
