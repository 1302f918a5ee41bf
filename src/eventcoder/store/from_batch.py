"""Load the Parquet output of ``eventcoder batch`` (Ray) into the store, without coding it again.

``OUTPUT/articles/`` holds one row per article (with its text and status), ``OUTPUT/events/`` one
row per event (``claims`` and ``evidence`` as JSON text). ``BatchOutput`` reads both and plays the
part of the extractor for ``store.ingest.ingest``: deduplication, storage and the cross-source
merge then run exactly as for ``eventcoder ingest``.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..schema import Article, Event

NESTED = ("claims", "evidence")


class BatchOutputError(Exception):
    """The folder is not the output of ``eventcoder batch``."""


@dataclass
class Outcome:
    article: Article
    events: list[Event]
    error: str | None = None


class BatchOutput:
    """The articles and events of one ``batch`` run; ``run`` hands back the stored results."""

    def __init__(self, folder: str | Path):
        import pyarrow.dataset as ds

        folder = Path(folder)
        if (folder / "_staging").exists():  # a run that was stopped before it finished writing
            raise BatchOutputError(f"{folder}: the batch run did not finish (its _staging/ folder is still there); "
                                   "run it again with --overwrite")
        parts = {name: folder / name for name in ("articles", "events")}
        missing = [name for name, path in parts.items() if not path.is_dir()]
        if missing:
            raise BatchOutputError(f"{folder}: no {' or '.join(missing)}/ folder (is it the output of 'eventcoder batch'?)")
        try:
            articles = ds.dataset(parts["articles"], format="parquet").to_table()
            events = ds.dataset(parts["events"], format="parquet").to_table()
        except Exception as exc:  # pyarrow raises several kinds for unreadable files
            raise BatchOutputError(f"{folder}: cannot read Parquet: {exc}") from None
        if "text" not in articles.column_names:
            raise BatchOutputError(f"{folder}: articles have no text column (written by an older eventcoder batch)")
        self.rows = [row for row in articles.to_pylist() if row.get("status") in ("ok", "failed")]
        self.errors = {row["id"]: row.get("error") for row in self.rows if row.get("status") == "failed"}
        self.events: dict[str, list[Event]] = {}
        for row in events.to_pylist():
            for key in NESTED:
                if isinstance(row.get(key), str):
                    row[key] = json.loads(row[key])
            self.events.setdefault(str(row["article_id"]), []).append(Event(**row))
        ids = [str(row["id"]) for row in self.rows]
        counted = {str(row["id"]): row.get("n_events") or 0 for row in self.rows}
        if len(ids) != len(set(ids)) or any(len(self.events.get(i, [])) != n for i, n in counted.items()) \
                or set(self.events) - set(counted):
            raise BatchOutputError(f"{folder}: articles/ and events/ do not agree (a run stopped half-way?); "
                                   "run the batch again with --overwrite")

    def articles(self) -> Iterator[Article]:
        for row in self.rows:
            published = dt.date.fromisoformat(row["published"]) if row.get("published") else None
            yield Article(id=row["id"], text=row["text"], published=published, source=row.get("source") or "",
                          title=row.get("title") or "", url=row.get("url") or "")

    def run(self, articles: Iterable[Article], batch_size: int = 64) -> Iterator[Outcome]:
        for article in articles:
            yield Outcome(article, self.events.get(article.id, []), self.errors.get(article.id))
