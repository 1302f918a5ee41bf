"""RSS and Atom feeds (a file or an http(s) URL) -> Articles, one per entry.

The entry's full content is used when the feed carries it (``content:encoded``, Atom ``content``),
else its summary; HTML in either is reduced to text. Each entry's link is its URL; its id (guid),
else its link, is the article id; its date is the publication date.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator

from ..schema import Article
from .html import extract_text
from .readers import InputProblem, clean_text

FEED_SUFFIXES = {".rss", ".atom", ".xml"}
USER_AGENT = "eventcoder (+offline news coder)"


def is_feed_bytes(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def read_feed(location: str, published: dt.date | None = None, timeout: float = 30.0) -> Iterator[Article | InputProblem]:
    """Each entry of the feed at ``location`` (path or URL) as an Article; a problem if unreadable."""
    import feedparser

    if location.startswith(("http://", "https://")):
        import urllib.request

        try:
            request = urllib.request.Request(location, headers={"User-Agent": USER_AGENT})
            with urllib.request.urlopen(request, timeout=timeout) as response:
                data = response.read()
        except Exception as exc:  # network errors come in many types
            yield InputProblem(location, f"cannot fetch feed: {getattr(exc, 'reason', None) or exc}")
            return
    else:
        try:
            with open(location, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            yield InputProblem(location, f"cannot read: {exc.strerror or exc}")
            return
    try:
        parsed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=True)
    except (ValueError, LookupError, TypeError, AttributeError, RecursionError, MemoryError, UnicodeError) as exc:
        yield InputProblem(location, f"not an RSS/Atom feed ({type(exc).__name__})")
        return
    if not parsed.entries:
        reason = parsed.get("bozo_exception")
        yield InputProblem(location, f"not an RSS/Atom feed or no entries{f' ({reason})' if reason else ''}")
        return
    feed_title = (parsed.feed.get("title") or "").strip()
    for index, entry in enumerate(parsed.entries):
        try:
            article = _article(entry, feed_title, published)
        except (ValueError, LookupError, TypeError, AttributeError, RecursionError, OverflowError) as exc:
            yield InputProblem(f"{location}[{index}]", f"unreadable feed entry ({type(exc).__name__})")
            continue
        if article is None:
            yield InputProblem(f"{location}[{index}]", "feed entry has no text")
        else:
            yield article


def _article(entry, feed_title: str, published: dt.date | None) -> Article | None:
    body = ""
    for content in entry.get("content") or []:
        if len(content.get("value", "")) > len(body):
            body = content["value"]
    if not body:
        body = entry.get("summary") or entry.get("description") or ""
    text = extract_text(f"<div><p>{body}</p></div>") if "<" in body else " ".join(body.split())
    if "<" in body and not text:
        text = " ".join(extract_text(f"<p>{body}</p>").split())
    title = " ".join((entry.get("title") or "").split())
    if not text.strip():
        return None
    link = entry.get("link") or ""
    key = entry.get("id") or link or hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
    when = published
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if stamp:
        try:
            when = dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
        except (ValueError, OverflowError):
            pass
    source = feed_title
    if isinstance(entry.get("source"), dict) and entry["source"].get("title"):
        source = entry["source"]["title"]
    text, title, key = clean_text(text), clean_text(title), clean_text(str(key))
    return Article(id=str(key), text=(title + "\n\n" + text) if title and not text.startswith(title) else text,
                   title=title[:300], url=link, published=when, source=source)
