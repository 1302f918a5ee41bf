"""Hostile inputs for every reader, as hypothesis strategies, and the property they must keep.

Shared by ``tests/test_fuzz.py`` (a bounded run in the test suite) and ``benchmarks/fuzz.py`` (a long
run). Every case is ``(suffix, bytes)``: a file eventcoder is asked to read. The property: reading
it with the good articles around it never raises; each bad input gives InputProblems that name the
file; good articles are all read.
"""
from __future__ import annotations

import gzip
import io
import json
from functools import lru_cache
from pathlib import Path

from hypothesis import strategies as st

from eventcoder.ingest.readers import InputProblem
from eventcoder.schema import Article

GOOD_TEXT = ("Unknown gunmen opened fire on a checkpoint in the market town on Monday, killing two guards "
             "and wounding a driver, the provincial council said in a statement.")

WORDS = st.sampled_from(["the", "town", "shelling", "killed", "\x00", "\u202e", "\ud800", "\ufeff", "é", "\r",
                         "<", ">", "&amp;", "&#0;", "\\", '"', "{", "[", "\n", "\t", "\x1b[31m", "ﷺ", "𝔘"])
SUFFIXES = [".txt", ".md", ".json", ".jsonl", ".html", ".rss", ".atom", ".xml", ".warc", ".warc.gz"]


def _json_values():
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40)
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.sampled_from(["id", "text", "published", "title", "url", "source", "x"]),
                                          inner, max_size=5), max_leaves=12)


@st.composite
def article_like(draw) -> dict:
    """A JSON object that is nearly an article: right keys, often wrong types or values."""
    obj = {}
    for key in ("id", "text", "published", "title", "url", "source"):
        choice = draw(st.integers(0, 4))
        if choice == 0:
            continue
        if choice == 1:
            obj[key] = draw(_json_values())
        elif key == "text":
            obj[key] = draw(st.text(max_size=200)) + " ".join(draw(st.lists(WORDS, max_size=20)))
        elif key == "published":
            obj[key] = draw(st.sampled_from(["2023-02-30", "2023-01-05", "yesterday", "9999-12-31", "", "0000-00-00",
                                              "2023-01-05T25:00", "\x00"]))
        else:
            obj[key] = draw(st.text(max_size=30))
    return obj


def _deep(n: int, kind: str) -> bytes:
    if kind == "list":
        return b"[" * n + b"]" * n
    if kind == "dict":
        return b'{"a":' * n + b"1" + b"}" * n
    return b"[" * n  # truncated


@lru_cache(maxsize=None)
def gzip_bomb(megabytes: int = 64) -> bytes:
    """A gzip stream that inflates to ``megabytes`` MB of zeros (about 1000:1)."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9) as handle:
        chunk = b"\0" * (1 << 20)
        for _ in range(megabytes):
            handle.write(chunk)
    return buf.getvalue()


def warc_bytes(payloads: list[tuple[bytes, dict]], compress: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    for n, (payload, headers) in enumerate(payloads):
        http = StatusAndHeaders("200 OK", list({"Content-Type": "text/html; charset=utf-8", **headers}.items()),
                                protocol="HTTP/1.1")
        record = writer.create_warc_record(f"http://news.example/{n}", "response", payload=io.BytesIO(payload),
                                           http_headers=http)
        writer.write_record(record)
    return out.getvalue()


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "lol">'
                  + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&" + bytes([97 + i]) + b";") * 10)
                             for i in range(9))
                  + b']><rss version="2.0"><channel><title>x</title><item><title>&j;</title>'
                    b"<description>&j;</description></item></channel></rss>")
EXTERNAL_ENTITY = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                   b'<rss version="2.0"><channel><title>t</title><item><title>&x;</title><description>&x; '
                   + GOOD_TEXT.encode() + b"</description></item></channel></rss>")


@st.composite
def hostile_file(draw) -> tuple[str, bytes]:
    """One hostile input file: its suffix and its bytes."""
    suffix = draw(st.sampled_from(SUFFIXES))
    kind = draw(st.sampled_from(["bytes", "text", "truncate", "structure", "special"]))
    good = _good_bytes(suffix)
    if kind == "bytes":
        return suffix, draw(st.binary(max_size=2000))
    if kind == "text":
        text = " ".join(draw(st.lists(WORDS | st.text(max_size=20), max_size=60)))
        encoding = draw(st.sampled_from(["utf-8", "utf-16", "latin-1", "surrogate"]))
        if encoding == "surrogate":
            return suffix, text.encode("utf-8", "surrogatepass")
        return suffix, text.encode(encoding, "replace")
    if kind == "truncate":
        share = draw(st.integers(0, 999))  # (a WARC's record ids differ between runs: cut by share)
        return suffix, good[:len(good) * share // 1000]
    if kind == "structure":
        if suffix in (".json", ".jsonl"):
            objs = draw(st.lists(article_like() | _json_values(), min_size=1, max_size=5))
            lines = [json.dumps(o, ensure_ascii=draw(st.booleans())) for o in objs]
            if suffix == ".json":
                return suffix, (lines[0] if len(lines) == 1 else "[" + ",".join(lines) + "]").encode("utf-8", "surrogatepass")
            return suffix, "\n".join(lines).encode("utf-8", "surrogatepass")
        if suffix in (".html", ".txt", ".md"):
            depth = draw(st.integers(1, 5000))
            tag = draw(st.sampled_from(["div", "p", "article", "b", "script", "table"]))
            return suffix, (f"<{tag}>" * depth + GOOD_TEXT + f"</{tag}>" * draw(st.integers(0, depth))).encode()
        if suffix in (".rss", ".atom", ".xml"):
            items = "".join(f"<item><title>{draw(st.text(max_size=20))}</title><description>"
                            f"{draw(st.text(max_size=200))}</description><pubDate>{draw(st.text(max_size=12))}</pubDate></item>"
                            for _ in range(draw(st.integers(0, 4))))
            return suffix, f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode("utf-8", "surrogatepass")
        pages = [(draw(st.binary(max_size=300)), {}), (f"<html><body><p>{GOOD_TEXT}</p></body></html>".encode(), {})]
        return suffix, warc_bytes(pages, compress=suffix.endswith(".gz"))
    # special: deep nesting, huge lines, entity expansion, external entities, gzip bombs
    special = draw(st.sampled_from(["deep", "huge", "laughs", "xxe", "bomb", "nul"]))
    if special == "deep":
        return suffix, _deep(draw(st.integers(500, 200_000)), draw(st.sampled_from(["list", "dict", "open"])))
    if special == "huge":
        line = json.dumps({"id": "huge", "text": "word " * draw(st.integers(10_000, 400_000))})
        return suffix, line.encode() + b"\n" + good
    if special == "laughs":
        return suffix, BILLION_LAUGHS
    if special == "xxe":
        return suffix, EXTERNAL_ENTITY
    if special == "bomb":
        if suffix.startswith(".warc"):
            return suffix, warc_bytes([(gzip_bomb(), {"Content-Encoding": "gzip"}),
                                       (b"<html><body><p>" + b"x" * (7 << 20) + b"</p></body></html>", {})],
                                      compress=suffix.endswith(".gz"))
        return suffix, gzip_bomb(8)
    return suffix, good.replace(b"e", b"\x00", 3)


def _good_bytes(suffix: str) -> bytes:
    if suffix in (".txt", ".md"):
        return ("A headline\n\n" + GOOD_TEXT).encode()
    if suffix == ".json":
        return json.dumps({"id": "g", "text": GOOD_TEXT}).encode()
    if suffix == ".jsonl":
        return "\n".join(json.dumps({"id": f"g{i}", "text": GOOD_TEXT + f" ({i})"}) for i in range(3)).encode()
    if suffix == ".html":
        return f"<html><head><title>t</title></head><body><article><p>{GOOD_TEXT}</p></article></body></html>".encode()
    if suffix in (".rss", ".atom", ".xml"):
        return (f'<rss version="2.0"><channel><title>t</title><item><title>h</title><guid>g1</guid>'
                f"<description>{GOOD_TEXT}</description></item></channel></rss>").encode()
    return warc_bytes([(f"<html><body><article><p>{GOOD_TEXT}</p></article></body></html>".encode(), {})],
                      compress=suffix.endswith(".gz"))


def good_articles(folder: Path, n: int = 3) -> list[str]:
    """Write ``n`` good articles (distinct texts) into ``folder``; return their ids."""
    ids = []
    with open(folder / "good.jsonl", "w", encoding="utf-8") as handle:
        for i in range(n):
            ids.append(f"good-{i}")
            text = f"Report {i}: " + GOOD_TEXT.replace("two", str(i + 2)) + f" Case reference {i * 7919}."
            handle.write(json.dumps({"id": ids[-1], "text": text, "published": "2023-01-05"}) + "\n")
    return ids


def check_items(items: list, hostile: Path) -> list[Article]:
    """The property over what the readers yielded; returns the articles."""
    articles = []
    for item in items:
        assert isinstance(item, (Article, InputProblem)), type(item)
        if isinstance(item, InputProblem):
            assert item.where.startswith(str(hostile)) or item.where.startswith(str(hostile.parent)), item
            assert "\n" not in str(item).strip(), repr(str(item))
            continue
        item.text.encode("utf-8")
        item.id.encode("utf-8")
        assert item.text.strip()
        articles.append(item)
    return articles
