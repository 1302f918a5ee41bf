"""WARC files (e.g. Common Crawl's CC-NEWS) -> Articles from their HTML response records.

Each ``response`` record with an HTML payload and status 200 becomes an Article (main text as in
``ingest.html``); its ``WARC-Target-URI`` is the URL and the id, the page's own date or else the
``WARC-Date`` is the publication date. Records that hold no article text are skipped silently;
a damaged file yields one InputProblem and stops, and so does a file without any article.
"""
from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterator
from urllib.parse import urlsplit

from ..schema import Article
from .html import article_from_html, decode
from .readers import InputProblem

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
MAX_PAGE_BYTES = 5 * 1024 * 1024  # a page is read (decompressed) up to here; the rest is left unread


def is_warc(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)


def read_warc(path: str, published: dt.date | None = None, use_trafilatura: bool = True) -> Iterator[Article | InputProblem]:
    import logging

    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    logging.getLogger("warcio").setLevel(logging.ERROR)  # its per-header warnings are not the user's concern

    try:
        handle = open(path, "rb")
    except OSError as exc:
        yield InputProblem(path, f"cannot read: {exc.strerror or exc}")
        return
    found = 0
    with handle:
        try:
            records = ArchiveIterator(handle, arc2warc=True)
            records.INC_RECORD = ""  # warcio's multi-line warning for a wrong Content-Length; the record is skipped
            for record in records:
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                if record.http_headers.get_statuscode() not in ("200", None):
                    continue
                ctype = (record.http_headers.get_header("Content-Type") or "").lower()
                if ctype and "html" not in ctype:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                charset = ctype.split("charset=")[-1].split(";")[0].strip() if "charset=" in ctype else None
                payload = record.content_stream().read(MAX_PAGE_BYTES + 1)
                if len(payload) > MAX_PAGE_BYTES:
                    continue  # larger than any news page: a decompression bomb or not an article
                html = decode(payload, charset)
                when = published
                stamp = record.rec_headers.get_header("WARC-Date") or ""
                if stamp[:10]:
                    try:
                        when = dt.date.fromisoformat(stamp[:10])
                    except ValueError:
                        pass
                key = url or record.rec_headers.get_header("WARC-Record-ID") or ""
                article = article_from_html(html, id=key, url=url, published=when,
                                            source=urlsplit(url).hostname or "", use_trafilatura=use_trafilatura)
                if article is not None:
                    found += 1
                    yield article
        except (ArchiveLoadFailed, OSError, ValueError, EOFError, LookupError, TypeError, AttributeError,
                zlib.error, RecursionError, MemoryError) as exc:
            message = " ".join(str(exc).split())[:200] or type(exc).__name__
            yield InputProblem(path, f"damaged WARC: {message}")
            return
    if not found:
        yield InputProblem(path, "no HTML article pages in this WARC file")
