"""Ingest: inputs of any supported kind -> deduplicated articles -> extractor -> store -> merge.

``iter_inputs(paths, published)`` reads ``.txt``/``.md``/``.json``/``.jsonl`` (``ingest.readers``),
``.html``/``.htm`` pages, RSS/Atom feeds (``.rss``/``.atom``/``.xml`` files or ``http(s)://`` URLs)
and WARC files, and folders of them.

``ingest(db, items, extractor)`` stores each new article once: an article whose normalised text is
already stored (exact duplicate) or whose shingles overlap a stored article's by at least
``near_threshold`` (near duplicate) only adds its URL and a row in ``article_copies``. New articles
go through ``extractor.run`` in batches; each batch is written in one transaction, so a run killed
at any point leaves whole batches, and running again skips them (their content hashes are stored)
and finishes the rest. The merged dataset is recomputed at the end of every run.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..ingest.dedup import NearDuplicates, content_hash, shingles, signature, signature_bytes, signature_from_bytes
from ..ingest.readers import SUFFIXES as TEXT_JSON_SUFFIXES, InputProblem, guarded, is_article_file, read_articles
from ..schema import Article, Event
from .database import Database
from .merge import merge_events

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


class ExtractorLike(Protocol):
    def run(self, articles: Iterable[Article], batch_size: int = 64) -> Iterator[Any]: ...


# ---------------------------------------------------------------------------------------------
# inputs

def iter_inputs(inputs: Iterable[str | Path], published: dt.date | None = None) -> Iterator[Article | InputProblem]:
    """Every article of the inputs, in order, with an InputProblem for each bad one."""
    from ..ingest.feeds import FEED_SUFFIXES, read_feed
    from ..ingest.warc import is_warc, read_warc

    for raw in inputs:
        name = str(raw)
        if name.startswith(("http://", "https://")):
            yield from read_feed(name, published)
            continue
        path = Path(name)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*")
                           if p.is_file() and _kind(p) is not None and is_article_file(p, path))
            if not files:
                yield InputProblem(str(path), "folder holds no files eventcoder can read")
            for file in files:
                yield from guarded(_read_one(file, published), str(file))
        elif not path.exists():
            yield InputProblem(str(path), "no such file or folder")
        else:
            yield from guarded(_read_one(path, published), str(path))


def _kind(path: Path) -> str | None:
    from ..ingest.feeds import FEED_SUFFIXES
    from ..ingest.warc import is_warc

    suffix = path.suffix.lower()
    if is_warc(path.name):
        return "warc"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in FEED_SUFFIXES:
        return "feed"
    if suffix in TEXT_JSON_SUFFIXES:
        return "text"
    return None


def _read_one(path: Path, published: dt.date | None) -> Iterator[Article | InputProblem]:
    from ..ingest.feeds import read_feed
    from ..ingest.html import article_from_html, decode
    from ..ingest.warc import read_warc

    kind = _kind(path)
    if kind == "warc":
        yield from read_warc(str(path), published)
    elif kind == "feed":
        yield from read_feed(str(path), published)
    elif kind == "html":
        try:
            html = decode(path.read_bytes())
        except OSError as exc:
            yield InputProblem(str(path), f"cannot read: {exc.strerror or exc}")
            return
        article = article_from_html(html, id=path.stem, published=published)
        yield article if article is not None else InputProblem(str(path), "no article text found in the page")
    else:
        yield from read_articles([path], published)


# ---------------------------------------------------------------------------------------------
# ingest

@dataclass
class Summary:
    read: int = 0
    new: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    already_stored: int = 0
    events: int = 0
    extraction_errors: int = 0
    skipped: int = 0  # not coded: not in English (stored, with no events)
    problems: list[InputProblem] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    incidents: int = 0

    @property
    def duplicates(self) -> int:
        return self.exact_duplicates + self.near_duplicates

    @property
    def errors(self) -> int:
        return len(self.problems) + self.extraction_errors


class _Run:
    def __init__(self, db: Database, near_threshold: float):
        self.db = db
        self.pending_text: dict[str, str] = {}
        self.pending_hash: dict[str, str] = {}  # content hash -> article id, not yet committed
        self.pending_ids: set[str] = set()
        self.pending_urls: set[tuple[str, str]] = set()
        self.near = NearDuplicates(threshold=near_threshold, text_of=self.text_of)
        for article_id, blob in db.iterate("SELECT article_id, minhash FROM articles WHERE minhash IS NOT NULL ORDER BY id"):
            self.near.add(article_id, signature_from_bytes(blob))

    def text_of(self, article_id: str) -> str | None:
        if article_id in self.pending_text:
            return self.pending_text[article_id]
        return self.db.scalar("SELECT text FROM articles WHERE article_id = ?", (article_id,))

    def stored_copy(self, digest: str) -> str | None:
        return self.pending_hash.get(digest) or self.db.scalar(
            "SELECT article_id FROM article_copies WHERE content_hash = ?", (digest,))

    def has_url(self, article_id: str, url: str) -> bool:
        return (article_id, url) in self.pending_urls or bool(self.db.scalar(
            "SELECT 1 FROM article_urls WHERE article_id = ? AND url = ?", (article_id, url)))

    def id_taken(self, article_id: str) -> bool:
        return article_id in self.pending_ids or bool(self.db.scalar(
            "SELECT 1 FROM articles WHERE article_id = ?", (article_id,)))


def ingest(
    db: Database,
    items: Iterable[Article | InputProblem],
    extractor: ExtractorLike,
    batch_size: int = 64,
    near_threshold: float = 0.8,
    on_item: Callable[[Article | InputProblem], None] | None = None,
    on_problem: Callable[[str], None] | None = None,
    on_skipped: Callable[[str, str], None] | None = None,
) -> Summary:
    """Store the new articles of ``items`` with their events, then recompute the merged dataset."""
    summary = Summary()
    run = _Run(db, near_threshold)
    ops: list[tuple] = []   # ("article", Article, digest, sig) | ("copy", ...) | ("url", ...)
    batch: list[Article] = []

    def flush() -> None:
        if not ops:
            return
        outcomes = {}
        if batch:
            for outcome in extractor.run(list(batch), batch_size=batch_size):
                outcomes[outcome.article.id] = outcome
        with db.transaction():
            for op in ops:
                if op[0] == "article":
                    _, article, digest, sig = op
                    outcome = outcomes.get(article.id)
                    error = None if outcome is not None else "extractor returned no outcome"
                    events = []
                    if outcome is not None:
                        error, events = outcome.error, outcome.events
                    skipped = getattr(outcome, "skipped", None)
                    if skipped and not error:
                        summary.skipped += 1
                        if on_skipped:
                            on_skipped(article.id, skipped)
                    if error:
                        summary.extraction_errors += 1
                        summary.failed.append((article.id, error))
                        if on_problem:
                            on_problem(f"article {article.id}: {error}")
                    summary.events += len(events)
                    _write_article(db, article, digest, sig, events, error)
                elif op[0] == "copy":
                    _, digest, article_id, copy, kind, similarity = op
                    db.insert_ignore("article_copies",
                                     ("content_hash", "article_id", "copy_id", "url", "source", "kind", "similarity"),
                                     [(digest, article_id, copy.id, copy.url, copy.source, kind, similarity)],
                                     ("content_hash",))
                    _add_url(db, article_id, copy.url, copy.source)
                else:
                    _, article_id, url, source = op
                    _add_url(db, article_id, url, source)
        ops.clear()
        batch.clear()
        run.pending_text.clear()
        run.pending_hash.clear()
        run.pending_ids.clear()
        run.pending_urls.clear()

    for item in items:
        if on_item:
            on_item(item)
        if isinstance(item, InputProblem):
            summary.problems.append(item)
            if on_problem:
                on_problem(str(item))
            continue
        summary.read += 1
        digest = content_hash(item.text)
        existing = run.stored_copy(digest)
        if existing is not None:
            if item.url and not run.has_url(existing, item.url):
                ops.append(("url", existing, item.url, item.source))
                run.pending_urls.add((existing, item.url))
                summary.exact_duplicates += 1
            elif existing in run.pending_ids and not item.url:
                summary.exact_duplicates += 1
            else:
                summary.already_stored += 1
            continue
        shingle_set = shingles(item.text)
        sig = signature(shingle_set)
        match = run.near.find(sig, shingle_set)
        if match is not None:
            original, similarity = match
            ops.append(("copy", digest, original, item, "near", round(similarity, 4)))
            run.pending_hash[digest] = original
            if item.url:
                run.pending_urls.add((original, item.url))
            summary.near_duplicates += 1
            continue
        if run.id_taken(item.id):
            item = item.model_copy(update={"id": f"{item.id}~{digest[:8]}"})
        run.pending_ids.add(item.id)
        run.pending_text[item.id] = item.text
        run.pending_hash[digest] = item.id
        if item.url:
            run.pending_urls.add((item.id, item.url))
        run.near.add(item.id, sig)
        ops.append(("article", item, digest, sig))
        batch.append(item)
        summary.new += 1
        if len(batch) >= batch_size:
            flush()
    flush()
    summary.incidents = remerge(db)
    return summary


def _add_url(db: Database, article_id: str, url: str, source: str) -> None:
    if url:
        db.insert_ignore("article_urls", ("article_id", "url", "source"), [(article_id, url, source or "")],
                         ("article_id", "url"))
    if source:
        db.insert_ignore("sources", ("name",), [(source,)], ("name",))


def _write_article(db: Database, article: Article, digest: str, sig, events: list[Event], error: str | None) -> None:
    db.execute(
        "INSERT INTO articles (article_id, content_hash, title, text, published, source, url, minhash, status, error, n_events)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (article.id, digest, article.title, article.text, article.published.isoformat() if article.published else None,
         article.source, article.url, signature_bytes(sig), "error" if error else "coded", error, len(events)),
    )
    db.execute("INSERT INTO article_copies (content_hash, article_id, copy_id, url, source, kind, similarity)"
               " VALUES (?, ?, ?, ?, ?, ?, ?)", (digest, article.id, article.id, article.url, article.source, "original", 1.0))
    _add_url(db, article.id, article.url, article.source)
    for seq, event in enumerate(events, start=1):
        event = event.model_copy()
        key = f"{article.id}#{seq}"
        event.article_id = article.id
        if not event.source and article.source:
            event.source = article.source
        record = event.record()
        db.execute(
            "INSERT INTO events (event_key, article_id, seq, event_date, country, event_type, location, latitude,"
            " longitude, fatalities, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (key, article.id, seq, event.event_date, event.country, event.event_type, event.location,
             event.latitude, event.longitude, event.fatalities, json.dumps(record, ensure_ascii=False)),
        )
        db.executemany(
            "INSERT INTO claims (event_key, seq, claimant, kind, figure, low, high, text, start_char, end_char)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(key, n, c.claimant, c.kind, c.figure, c.low, c.high, c.text, c.start, c.end)
             for n, c in enumerate(event.claims, start=1)],
        )
        db.executemany(
            "INSERT INTO evidence (event_key, field, seq, start_char, end_char, text) VALUES (?, ?, ?, ?, ?, ?)",
            [(key, name, n, s.start, s.end, s.text)
             for name, spans in sorted(event.evidence.items()) for n, s in enumerate(spans, start=1)],
        )


# ---------------------------------------------------------------------------------------------
# merged dataset

def stored_events(db: Database) -> list[Event]:
    """Every stored per-article event, with ``event_id`` set to its store key."""
    events = []
    for key, record in db.iterate("SELECT event_key, record FROM events ORDER BY event_key"):
        event = Event.model_validate_json(record)
        event.event_id = key
        events.append(event)
    return events


def remerge(db: Database) -> int:
    """Recompute the merged dataset from all stored events; return the number of incidents.

    Merged ids depend only on their members, so unchanged incidents keep their rows and ids.
    """
    merged = merge_events(stored_events(db))
    wanted = {m.event.event_id: m for m in merged}
    with db.transaction():
        have = {mid: record for mid, record in db.query("SELECT merged_id, record FROM merged_events")}
        gone = [mid for mid in have if mid not in wanted]
        db.executemany("DELETE FROM merged_links WHERE merged_id = ?", [(mid,) for mid in gone])
        db.executemany("DELETE FROM merged_events WHERE merged_id = ?", [(mid,) for mid in gone])
        for mid in sorted(wanted):
            item = wanted[mid]
            event = item.event
            record = json.dumps(event.record(), ensure_ascii=False)
            values = (event.event_date, event.country, event.event_type, event.location, event.latitude,
                      event.longitude, event.fatalities, len({m.article_id for m in item.members}), record)
            if mid not in have:
                db.execute("INSERT INTO merged_events (event_date, country, event_type, location, latitude, longitude,"
                           " fatalities, n_reports, record, merged_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           (*values, mid))
                db.executemany("INSERT INTO merged_links (merged_id, event_key, article_id) VALUES (?, ?, ?)",
                               [(mid, m.event_id, m.article_id) for m in item.members])
            elif have[mid] != record:
                db.execute("UPDATE merged_events SET event_date = ?, country = ?, event_type = ?, location = ?,"
                           " latitude = ?, longitude = ?, fatalities = ?, n_reports = ?, record = ? WHERE merged_id = ?",
                           (*values, mid))
    return len(wanted)


def search_articles(db: Database, words: str, limit: int = 20) -> list[str]:
    """Article ids whose title or text contain every word of ``words`` (full-text index)."""
    terms = [w for w in "".join(c if c.isalnum() else " " for c in words).split() if w]
    if not terms:
        return []
    if db.dialect == "sqlite":
        match = " AND ".join('"' + t.replace('"', "") + '"' for t in terms)
        rows = db.query("SELECT a.article_id FROM articles_fts f JOIN articles a ON a.id = f.rowid"
                        " WHERE articles_fts MATCH ? ORDER BY rank, a.id LIMIT ?", (match, limit))
    else:
        rows = db.query("SELECT article_id FROM articles WHERE tsv @@ plainto_tsquery('simple', ?)"
                        " ORDER BY ts_rank(tsv, plainto_tsquery('simple', ?)) DESC, id LIMIT ?",
                        (" ".join(terms), " ".join(terms), limit))
    return [r[0] for r in rows]
