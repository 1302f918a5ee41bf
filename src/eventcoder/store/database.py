"""Connections by URL: a SQLite file (default) or a PostgreSQL server, one small API for both.

``connect(None)`` opens ``$EVENTCODER_DB`` if set, else ``./eventcoder.db``. A URL starting with
``postgresql://`` (or ``postgres://``) uses psycopg 3; ``sqlite:///path`` or a plain path uses SQLite
in WAL mode. SQL in this package is written with ``?`` placeholders and is always parameterised;
for PostgreSQL the placeholders become ``%s``.
"""
from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

DEFAULT_PATH = "eventcoder.db"
ENV_VAR = "EVENTCODER_DB"


class StoreError(Exception):
    """A database that cannot be opened or used; the message is meant for the user."""


def default_url() -> str:
    return os.environ.get(ENV_VAR) or DEFAULT_PATH


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


class Database:
    """One open connection. ``dialect`` is ``"sqlite"`` or ``"postgres"``."""

    dialect: str

    def __init__(self, url: str, conn: Any, dialect: str):
        self.url = url
        self.conn = conn
        self.dialect = dialect
        self._depth = 0

    # -- SQL -----------------------------------------------------------------------------------
    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.dialect == "postgres" else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cur = self.conn.cursor()
        cur.execute(self._sql(sql), tuple(params))
        return cur

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = [tuple(r) for r in rows]
        if rows:
            self.conn.cursor().executemany(self._sql(sql), rows)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return list(self.execute(sql, params).fetchall())

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def iterate(self, sql: str, params: Sequence[Any] = (), size: int = 1000) -> Iterator[tuple]:
        cur = self.execute(sql, params)
        while rows := cur.fetchmany(size):
            yield from rows

    @contextmanager
    def transaction(self) -> Iterator["Database"]:
        """All statements inside commit together or not at all (nesting joins the outer one)."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self._depth = 1
        self.conn.execute("BEGIN IMMEDIATE" if self.dialect == "sqlite" else "BEGIN")
        try:
            yield self
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0

    def insert_ignore(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], key: Sequence[str]) -> None:
        """INSERT rows, skipping those whose ``key`` columns already exist."""
        cols = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        if self.dialect == "sqlite":
            sql = f"INSERT OR IGNORE INTO {table} ({cols}) VALUES ({marks})"
        else:
            sql = f"INSERT INTO {table} ({cols}) VALUES ({marks}) ON CONFLICT ({', '.join(key)}) DO NOTHING"
        self.executemany(sql, rows)

    def blob(self, value: bytes) -> Any:
        return value

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _sqlite_path(url: str) -> str:
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///"):]
    if url.startswith("sqlite://"):
        return url[len("sqlite://"):] or ":memory:"
    return url


def connect(url: str | os.PathLike | None = None, migrate: bool = True) -> Database:
    """Open the store at ``url`` (default: ``default_url()``) and apply pending migrations."""
    url = str(url) if url is not None else default_url()
    if is_postgres(url):
        db = _connect_postgres(url)
    else:
        db = _connect_sqlite(url)
    if migrate:
        from .migrations import migrate as apply

        try:
            apply(db)
        except Exception:
            db.close()
            raise
    return db


def _connect_sqlite(url: str) -> Database:
    path = _sqlite_path(url)
    if path != ":memory:":
        parent = Path(path).expanduser().resolve().parent
        if not parent.is_dir():
            raise StoreError(f"cannot open database {path}: folder {parent} does not exist")
        path = str(Path(path).expanduser())
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open database {path}: {exc}") from None
    # isolation_level=None: autocommit unless inside transaction() (explicit BEGIN/COMMIT)
    return Database(url, conn, "sqlite")


def _connect_postgres(url: str) -> Database:
    try:
        import psycopg
    except ImportError:
        raise StoreError("PostgreSQL support needs psycopg: pip install 'psycopg[binary]'") from None
    try:
        conn = psycopg.connect(url, connect_timeout=10, autocommit=True)
    except psycopg.Error as exc:
        message = re.sub(r"\s+", " ", str(exc)).strip()
        raise StoreError(f"cannot connect to {_redact(url)}: {message}") from None
    return Database(url, conn, "postgres")


def _redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)
