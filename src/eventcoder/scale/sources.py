"""Input files for ``batch``: listed and checked on the driver, read inside Ray tasks.

Formats: everything ``ingest.readers.read_articles`` reads (``.jsonl``, ``.json``, ``.txt``, ``.md``,
read by that very function so ``batch`` and ``extract`` see the same articles), Parquet (columns
``id``, ``text`` and optional ``published``, ``source``, ``title``, ``url``; other columns are
ignored) and WARC when ``eventcoder.ingest.warc`` is installed.

Each article becomes one plain row (see ``ARTICLE_FIELDS``); a bad line or record becomes a row
with ``problem`` set, so it is reported in the output instead of stopping the run.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from ..ingest.readers import SUFFIXES as READER_SUFFIXES
from ..ingest.readers import InputProblem, parse_date, read_articles
from ..schema import Article

PARQUET_SUFFIXES = (".parquet", ".pq")
PARQUET_COLUMNS = ("id", "text", "published", "source", "title", "url")
# One input row: the Article's fields (published as YYYY-MM-DD text), where it came from, and
# the problem that kept it from being an Article (None for a good one).
ARTICLE_FIELDS = ("id", "text", "published", "source", "title", "url", "where", "problem")


class SourceError(ValueError):
    """A user mistake in the input paths, with a one-line message."""


def _warc_module():
    try:
        from ..ingest import warc
    except ImportError:
        return None
    return warc if hasattr(warc, "read_warc") else None


def _warc_suffixes() -> tuple[str, ...]:
    module = _warc_module()
    return tuple(getattr(module, "WARC_SUFFIXES", (".warc", ".warc.gz"))) if module else ()


def kind_of(path: str | Path) -> str | None:
    """``parquet``, ``warc``, ``reader`` (read_articles' formats) or None for anything else."""
    name = str(path).lower()
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if name.endswith((".warc", ".warc.gz", ".arc", ".arc.gz")):
        return "warc"
    if Path(name).suffix in READER_SUFFIXES:
        return "reader"
    return None


def list_inputs(paths: list[str | Path]) -> list[str]:
    """The input files (folders expanded, sorted), absolute; SourceError for a bad path or type."""
    files: list[str] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if "://" in str(raw):
            raise SourceError(f"{raw}: URLs are not read yet; put the files on a filesystem every node mounts")
        if not path.exists():
            raise SourceError(f"{raw}: no such file or folder")
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and kind_of(p) is not None)
            if not found:
                raise SourceError(f"{raw}: folder holds no .jsonl, .json, .txt, .md, .parquet or .warc files")
            files.extend(str(p.resolve()) for p in found)
            continue
        kind = kind_of(path)
        if kind is None:
            raise SourceError(
                f"{raw}: unsupported file type {path.suffix or '(none)'}: use .jsonl, .json, .txt, .md, .parquet or .warc"
            )
        if kind == "warc" and _warc_module() is None:
            raise SourceError(f"{raw}: WARC input needs eventcoder.ingest.warc, which this install lacks")
        files.append(str(path.resolve()))
    problems = [f for f in files if kind_of(f) == "warc" and _warc_module() is None]
    if problems:
        raise SourceError(f"{problems[0]}: WARC input needs eventcoder.ingest.warc, which this install lacks")
    return files


def _row(item: Article | InputProblem, where: str) -> dict:
    if isinstance(item, InputProblem):
        return {
            "id": None, "text": None, "published": None, "source": None, "title": None, "url": None,
            "where": item.where, "problem": item.message,
        }
    return {
        "id": item.id, "text": item.text,
        "published": item.published.isoformat() if item.published else None,
        "source": item.source, "title": item.title, "url": item.url,
        "where": where, "problem": None,
    }


def read_rows(path: str, published: dt.date | None = None) -> Iterator[dict]:
    """Every article (or problem) of one input file, as rows of ARTICLE_FIELDS."""
    kind = kind_of(path)
    if kind == "parquet":
        yield from _read_parquet(path, published)
        return
    if kind == "warc":
        module = _warc_module()
        if module is None:  # checked on the driver; a worker without the module still says why
            yield _row(InputProblem(path, "WARC input needs eventcoder.ingest.warc"), path)
            return
        items: Iterator[Article | InputProblem] = module.read_warc(path, published)
    else:
        items = read_articles([path], published)
    for number, item in enumerate(items, start=1):
        yield _row(item, f"{path}#{number}")


def _read_parquet(path: str, published: dt.date | None) -> Iterator[dict]:
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(path)
    except Exception as exc:  # damaged or not Parquet at all
        yield _row(InputProblem(path, f"not a readable Parquet file: {exc}"), path)
        return
    names = set(handle.schema_arrow.names)
    missing = [c for c in ("id", "text") if c not in names]
    if missing:
        yield _row(InputProblem(path, f"Parquet file lacks column {' and '.join(map(repr, missing))}"), path)
        return
    columns = [c for c in PARQUET_COLUMNS if c in names]
    number = 0
    for record_batch in handle.iter_batches(columns=columns, batch_size=1024):
        for obj in record_batch.to_pylist():
            number += 1
            yield _row(article_from_record(obj, f"{path}#{number}", published), f"{path}#{number}")


def article_from_record(obj: dict, where: str, published: dt.date | None = None) -> Article | InputProblem:
    """An Article from one Parquet row, with the same checks the JSONL reader makes."""
    if obj.get("id") in (None, "") or obj.get("text") in (None, ""):
        missing = [k for k in ("id", "text") if obj.get(k) in (None, "")]
        return InputProblem(where, f"missing {' and '.join(repr(k) for k in missing)}")
    if not isinstance(obj["text"], str):
        return InputProblem(where, "'text' must be a string")
    when = obj.get("published")
    if isinstance(when, dt.datetime):
        when = when.date()
    elif when not in (None, "") and not isinstance(when, dt.date):
        try:
            when = parse_date(str(when))
        except ValueError as exc:
            return InputProblem(where, f"'published' is {exc}")
    fields = {k: obj.get(k) for k in ("source", "title", "url")}
    try:
        return Article(id=str(obj["id"]), text=obj["text"], published=when or published, **fields)
    except Exception as exc:  # pydantic ValidationError: keep the first message
        errors = getattr(exc, "errors", None)
        message = errors()[0]["msg"] if callable(errors) else str(exc)
        return InputProblem(where, message)


def row_article(row: dict) -> Article:
    """The Article of a good input row."""
    when = row.get("published")
    return Article(
        id=row["id"], text=row["text"], published=dt.date.fromisoformat(when) if when else None,
        source=row.get("source") or "", title=row.get("title") or "", url=row.get("url") or "",
    )
