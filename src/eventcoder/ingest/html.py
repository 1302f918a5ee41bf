"""HTML pages -> Articles: the main text (trafilatura when installed, else a stdlib extractor).

``article_from_html(html, id=..., url=..., published=...)`` returns an Article or None when the page
holds no article text. The stdlib fallback keeps paragraphs and headings outside navigation,
headers, footers, asides, forms, scripts and styles, and prefers the ``<article>``/``<main>`` element.
"""
from __future__ import annotations

import datetime as dt
import re
from html import unescape
from html.parser import HTMLParser

from ..schema import Article
from .readers import clean_text

MIN_CHARS = 80

try:  # trafilatura pulls in lxml; everything here works without it
    import trafilatura as _trafilatura
except Exception:  # pragma: no cover - depends on the environment
    _trafilatura = None


def decode(data: bytes, declared: str | None = None) -> str:
    """Bytes of a page -> text, trying the declared charset, the meta charset, UTF-8, then cp1252."""
    candidates = [declared] if declared else []
    meta = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", data[:4096], re.I)
    if meta:
        candidates.append(meta.group(1).decode("ascii", "ignore"))
    candidates += ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


def article_from_html(
    html: str, id: str, url: str = "", published: dt.date | None = None, source: str = "",
    use_trafilatura: bool = True,
) -> Article | None:
    """The article of one page, or None if no main text is found. Page metadata fills gaps."""
    html = clean_text(html.replace("\x00", ""))
    meta = page_metadata(html)
    text = None
    if use_trafilatura and _trafilatura is not None:
        try:
            text = _trafilatura.extract(html, url=url or None, include_comments=False, include_tables=False,
                                        favor_precision=True, deduplicate=False)
        except (ValueError, TypeError, AttributeError, LookupError, RecursionError):  # lxml on hostile markup
            text = None
    if not text or len(text) < MIN_CHARS:
        text = extract_text(html) or text
    if not text or len(text.strip()) < MIN_CHARS // 2:
        return None
    title = meta.get("title", "")
    when = published
    if meta.get("published"):
        try:
            when = dt.date.fromisoformat(meta["published"][:10])
        except ValueError:
            pass
    return Article(id=clean_text(id), text=text.strip(), title=title[:300], url=url or meta.get("url", ""),
                   published=when, source=meta.get("site") or source)


_META_KEYS = {
    "og:title": "title", "twitter:title": "title",
    "article:published_time": "published", "og:published_time": "published", "date": "published",
    "pubdate": "published", "publishdate": "published", "dc.date": "published", "dc.date.issued": "published",
    "og:url": "url", "og:site_name": "site", "application-name": "site",
}


def page_metadata(html: str) -> dict[str, str]:
    """Title, publication date (as written), canonical URL and site name from <meta>/<title>/<time>."""
    found: dict[str, str] = {}
    for tag in re.finditer(r"<meta\b[^>]*>", html[:200_000], re.I):
        attrs = dict((k.lower(), unescape(v)) for k, _, v in
                     re.findall(r"""([\w:.\-]+)\s*=\s*(["'])(.*?)\2""", tag.group(0), re.S))
        name = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        key = _META_KEYS.get(name) or ("published" if name == "datepublished" else None)
        if key and attrs.get("content") and key not in found:
            found[key] = attrs["content"].strip()
    if "published" not in found:
        time = re.search(r"""<time\b[^>]*datetime=["']([0-9]{4}-[0-9]{2}-[0-9]{2})""", html, re.I)
        if time:
            found["published"] = time.group(1)
    if "title" not in found:
        title = re.search(r"<title[^>]*>(.*?)</title>", html, re.I | re.S)
        if title:
            found["title"] = " ".join(unescape(re.sub(r"<[^>]+>", "", title.group(1))).split())
    if "published" in found and not re.match(r"\d{4}-\d{2}-\d{2}", found["published"]):
        del found["published"]
    return found


_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "svg",
         "iframe", "select", "figure", "template"}
_BLOCK = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "dd", "dt"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed", "param", "track"}
_BOILER = re.compile(r"\b(share|comment|cookie|subscribe|newsletter|related|promo|advert|social|breadcrumb|sidebar|menu)", re.I)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.skip_depth = 0
        self.main_depth = 0
        self.blocks: list[tuple[bool, str]] = []  # (inside <article>/<main>, text)
        self.current: list[str] | None = None
        self.current_main = False

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            if tag == "br" and self.current is not None:
                self.current.append(" ")
            return
        attrs = dict(attrs)
        marker = " ".join(filter(None, (attrs.get("class"), attrs.get("id"), attrs.get("role"))))
        skipped = tag in _SKIP or (tag in {"div", "section", "ul", "span"} and bool(_BOILER.search(marker)))
        self.stack.append((tag, skipped))
        if skipped:
            self.skip_depth += 1
        if tag in {"article", "main"} or attrs.get("itemprop") == "articleBody":
            self.main_depth += 1
        if tag in _BLOCK and not self.skip_depth:
            self._flush()
            self.current = []
            self.current_main = self.main_depth > 0

    def handle_endtag(self, tag):
        if tag in _VOID or not any(t == tag for t, _ in self.stack):
            return
        while self.stack:
            open_tag, skipped = self.stack.pop()
            if skipped:
                self.skip_depth -= 1
            if open_tag in {"article", "main"}:
                self.main_depth = max(0, self.main_depth - 1)
            if open_tag in _BLOCK:
                self._flush()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.current is not None and not self.skip_depth:
            self.current.append(data)

    def _flush(self):
        if self.current is not None:
            text = " ".join("".join(self.current).split())
            if text:
                self.blocks.append((self.current_main, text))
        self.current = None


def extract_text(html: str) -> str:
    """Main text of a page with the standard library only: paragraphs joined by blank lines."""
    parser = _TextParser()
    try:
        parser.feed(html)
        parser.close()
    except Exception:
        pass
    parser._flush()
    blocks = parser.blocks
    if any(main for main, _ in blocks):
        blocks = [b for b in blocks if b[0]]
    # drop short link-like lines (menus that escaped the filters), keep headings inside the body
    kept = [text for _, text in blocks if len(text) >= 40 or text.endswith((".", "!", "?", '"'))]
    return "\n\n".join(kept)
