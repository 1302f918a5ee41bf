"""HTML pages, RSS/Atom feeds (file and URL), WARC files and the duplicate detector."""
from __future__ import annotations

import datetime as dt
import http.server
import io
import threading
from pathlib import Path

from eventcoder.ingest.dedup import NearDuplicates, content_hash, shingles, signature
from eventcoder.ingest.feeds import read_feed
from eventcoder.ingest.html import article_from_html, extract_text
from eventcoder.ingest.readers import InputProblem
from eventcoder.ingest.warc import read_warc
from eventcoder.store.ingest import iter_inputs

BODY = ("Government artillery shelled the town of Ariha on Sunday, killing three civilians including a child, "
        "the White Helmets said in a statement.")
BODY2 = "Rescue workers searched the rubble of two houses into the night, local residents told reporters."
PAGE = f"""<!doctype html><html><head><title>Shelling kills three in Ariha | Levant Monitor</title>
<meta property="og:site_name" content="Levant Monitor">
<meta property="article:published_time" content="2023-02-20T09:00:00Z"></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news and analysis</a></li></ul></nav>
<div class="share-buttons"><p>Share this story on all the social networks you like to use.</p></div>
<article><h1>Shelling kills three in Ariha</h1><p>{BODY}</p><p>{BODY2}</p></article>
<footer><p>Copyright Levant Monitor 2023. All rights reserved. Subscribe to our newsletter.</p></footer>
<script>var x = "do not read me";</script></body></html>"""


def test_html_main_text_and_metadata():
    for use in (True, False):
        article = article_from_html(PAGE, id="p1", url="https://lm.example/a", use_trafilatura=use)
        assert BODY in article.text and BODY2 in article.text
        assert "Copyright" not in article.text and "do not read me" not in article.text and "Share" not in article.text
        assert article.published == dt.date(2023, 2, 20)
        assert article.source == "Levant Monitor" and article.url == "https://lm.example/a"
        assert article.title.startswith("Shelling kills three")


def test_stdlib_extractor_without_article_element():
    html = f"<html><body><div id='menu'><p>Home | About | Contact us here today</p></div><p>{BODY}</p></body></html>"
    assert extract_text(html) == BODY


def test_html_files_through_iter_inputs(tmp_path):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "empty.html").write_text("<html><body><nav>menu</nav></body></html>", encoding="utf-8")
    items = list(iter_inputs([tmp_path]))
    assert [i.id for i in items if not isinstance(i, InputProblem)] == ["page"]
    assert [str(i) for i in items if isinstance(i, InputProblem)][0].endswith("no article text found in the page")


RSS = f"""<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Euphrates Post</title>
<item><title>Car bomb in Qamishli</title><link>https://ep.example/1</link><guid>ep-1</guid>
<pubDate>Tue, 02 May 2023 18:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>A car bomb exploded near a roundabout in Qamishli on Tuesday, killing five people.</p>]]></content:encoded></item>
<item><title>Protest in Raqqa</title><link>https://ep.example/2</link>
<description>Hundreds of people protested in Raqqa on Thursday against fuel prices.</description></item>
<item><title>Empty</title><link>https://ep.example/3</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Tigris News</title>
<entry><title>Patrol hit near Mosul</title><id>tag:tn,2023:1</id><link href="https://tn.example/1"/>
<updated>2023-07-08T10:00:00Z</updated><content type="html">&lt;p&gt;A roadside bomb struck an army patrol near Mosul today, killing three soldiers.&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_and_atom_files(tmp_path):
    (tmp_path / "ep.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "tn.atom").write_text(ATOM, encoding="utf-8")
    items = list(read_feed(str(tmp_path / "ep.rss")))
    articles = [i for i in items if not isinstance(i, InputProblem)]
    assert [a.id for a in articles] == ["ep-1", "https://ep.example/2"]
    assert articles[0].published == dt.date(2023, 5, 2) and articles[0].source == "Euphrates Post"
    assert "killing five people" in articles[0].text and "<p>" not in articles[0].text
    assert len(items) == 3 and isinstance(items[2], InputProblem)
    atom = list(read_feed(str(tmp_path / "tn.atom"), published=dt.date(2023, 7, 9)))
    assert atom[0].url == "https://tn.example/1" and atom[0].published == dt.date(2023, 7, 8)
    assert "killing three soldiers" in atom[0].text


def test_feed_from_url():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = RSS.encode() if self.path == "/feed" else b"no"
            self.send_response(200 if self.path == "/feed" else 404)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        items = list(iter_inputs([f"{base}/feed"]))
        assert sum(not isinstance(i, InputProblem) for i in items) == 2
        missing = list(iter_inputs([f"{base}/missing"]))
        assert len(missing) == 1 and "cannot fetch feed" in str(missing[0])
    finally:
        server.shutdown()


def test_warc_response_records(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "news.warc.gz"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, payload, ctype in (
            ("https://lm.example/ariha", PAGE.encode("utf-8"), "text/html; charset=utf-8"),
            ("https://lm.example/logo.png", b"\x89PNG....", "image/png"),
        ):
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers,
                                               warc_headers_dict={"WARC-Date": "2023-02-21T00:00:00Z"})
            writer.write_record(record)
    items = list(read_warc(str(path)))
    assert len(items) == 1
    assert items[0].id == items[0].url == "https://lm.example/ariha"
    assert items[0].published == dt.date(2023, 2, 20)  # the page's own date beats the crawl date
    assert BODY in items[0].text
    broken = tmp_path / "broken.warc"
    broken.write_bytes(b"WARC/1.0\r\nnonsense" * 10)
    assert isinstance(list(read_warc(str(broken)))[-1], InputProblem)


def test_exact_and_near_duplicates():
    base = " ".join(f"word{i}" for i in range(200))
    assert content_hash(base) == content_hash("  " + base.replace(" ", "\n", 3) + " ")
    near = NearDuplicates(threshold=0.8)
    near.add("a", signature(shingles(base)), shingles(base))
    other = " ".join(f"other{i}" for i in range(200))
    near.add("b", signature(shingles(other)), shingles(other))
    edited = base.replace("word50", "changed") + " a short trailer"
    match = near.find(signature(shingles(edited)), shingles(edited))
    assert match is not None and match[0] == "a" and match[1] > 0.9
    unrelated = " ".join(f"fresh{i}" for i in range(200))
    assert near.find(signature(shingles(unrelated)), shingles(unrelated)) is None
