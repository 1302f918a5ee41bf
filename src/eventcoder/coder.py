"""The public Python API: text in, ACLED-style events out.

    >>> import eventcoder
    >>> events = eventcoder.extract("Gunmen killed two farmers in ... on Monday.", published="2024-05-07")
    >>> [(e.event_date, e.sub_event_type, e.location, e.fatalities) for e in events]

``extract`` codes one text; ``extract_many`` codes a stream of articles through spaCy's ``nlp.pipe``.
The language model and the gazetteer are loaded once per process, on first use.
"""
from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Iterator, Mapping

from .pipeline import Extractor
from .schema import Article, Event

_LOCK = threading.Lock()
_EXTRACTOR: Extractor | None = None


def _extractor() -> Extractor:
    global _EXTRACTOR
    with _LOCK:
        if _EXTRACTOR is None:
            _EXTRACTOR = Extractor()
        return _EXTRACTOR


def _article(item: Article | Mapping | str, index: int) -> Article:
    if isinstance(item, Article):
        return item
    if isinstance(item, str):
        return Article(id=str(index), text=item)
    if isinstance(item, Mapping):
        record = dict(item)
        record.setdefault("id", str(index))
        return Article.model_validate(record)
    raise TypeError(f"an article is an Article, a dict or a str, not {type(item).__name__}")


def extract(text: str, published: dt.date | str | None = None, *, id: str = "text", title: str = "",
            source: str = "") -> list[Event]:
    """Code one report. ``published`` (a date or YYYY-MM-DD) anchors relative dates ("on Tuesday").

    Returns the events as pydantic ``Event`` records (ACLED's columns plus claims and evidence).
    """
    article = Article(id=id, text=text, published=published, title=title, source=source)
    return _extractor().extract(article)


def extract_many(articles: Iterable[Article | Mapping | str], batch_size: int = 64) -> Iterator[Event]:
    """Code a stream of articles (``Article`` records, dicts with ``id``/``text``/``published``..., or
    plain texts) and yield their events in input order; ``event.article_id`` says whose they are.

    An article the extractor fails on raises ``RuntimeError`` naming the article.
    """
    stream = (_article(item, i) for i, item in enumerate(articles))
    for outcome in _extractor().run(stream, batch_size=batch_size):
        if outcome.error:
            raise RuntimeError(f"article {outcome.article.id}: {outcome.error}")
        yield from outcome.events
