"""End to end in Debian's Chromium (Playwright, never ``playwright install``): map, filter, incident
with highlighted evidence, a correction that persists, and a hostile article whose markup never runs.

Skips when /usr/bin/chromium or Playwright is absent (CI installs Chromium with .ci/chromium.sh).
``EVENTCODER_SCREENSHOTS=1`` also writes docs/screenshots/map.png and event.png.
"""
from __future__ import annotations

import os
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is not installed (run .ci/chromium.sh)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")

from eventcoder.schema import Article  # noqa: E402
from eventcoder.store.database import connect  # noqa: E402
from eventcoder.store.ingest import ingest  # noqa: E402
from eventcoder.web import create_app  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from test_web_api import TOKEN, fill  # noqa: E402
from stub_extractor import StubExtractor  # noqa: E402  (path set by test_web_api)

SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]

SARAQIB = [
    Article(id="saraqib-lm", source="Levant Monitor", published="2023-12-28",
            title="Shelling kills civilians at Saraqib market",
            text="At least 6 civilians were killed in Saraqib on Thursday when government artillery shelled a "
                 "market, the Syrian Civil Defence said. Rescue teams were still searching the rubble in the evening."),
    Article(id="saraqib-nsd", source="North Syria Daily", published="2023-12-28",
            title="Market shelled in Saraqib",
            text="9 people died and 14 were wounded when shells hit the vegetable market in Saraqib, local activists "
                 "said. The town, east of Idlib, has been shelled repeatedly this month."),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    db = str(tmp_path / "web.db")
    fill(db)
    with connect(db) as store:
        ingest(store, SARAQIB, StubExtractor())
    port = _free_port()
    config = uvicorn.Config(create_app(db, token=TOKEN), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "server did not start"
    yield f"http://127.0.0.1:{port}", db
    srv.should_exit = True
    thread.join(timeout=10)


def test_map_filter_event_evidence_and_correction(server, tmp_path):
    base, db = server
    shots = os.environ.get("EVENTCODER_SCREENSHOTS") == "1"
    errors: list[str] = []
    outside: list[str] = []
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=FLAGS,
            viewport={"width": 1280, "height": 900})
        try:
            context.set_default_timeout(15_000)

            def only_local(route):
                if route.request.url.startswith(base):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            context.route("**/*", only_local)
            page = context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            # the map: every incident, over the bundled outlines
            page.goto(base + "/")
            page.wait_for_selector("#map[data-loaded]")
            assert page.get_attribute("#map", "data-loaded") == "32"
            assert page.locator("path.event-marker").count() == 32
            page.wait_for_function("document.querySelectorAll('.leaflet-base-pane path').length > 50")
            assert page.locator("#timeline rect.bar").count() > 100
            if shots:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / "map.png"))

            # filter to one day with the form: one marker, then open it from its popup
            page.fill("input[name=start]", "2023-12-28")
            page.fill("input[name=end]", "2023-12-28")
            page.click("#apply")
            page.wait_for_selector("#map[data-loaded]")
            assert page.get_attribute("#map", "data-loaded") == "1"
            assert "start=2023-12-28" in page.url
            page.locator("path.event-marker").first.click(force=True)
            page.click(".leaflet-popup a.event-link")
            page.wait_for_selector("#incident")

            # evidence highlighted in both reports; conflicting claims side by side
            assert page.locator(".source").count() == 2
            assert page.locator(".article-text mark.ev-location").all_inner_texts() == ["Saraqib", "Saraqib"]
            assert sorted(page.locator(".claim .figure").all_inner_texts()) == ["6", "9"]
            assert page.locator(".badge.conflict").count() == 1

            # correct the death toll with the token; it persists after reload
            page.select_option("#field", "fatalities")
            page.fill("#value", "7")
            page.fill("#reviewer", "Ana")
            page.fill("#note", "hospital list")
            page.fill("#token", TOKEN)
            with page.expect_navigation():
                page.click("#save")
            page.wait_for_selector("#history")
            page.reload()
            row = page.locator('tr[data-field="fatalities"]')
            assert row.locator("td.value").inner_text().startswith("7")
            assert row.locator(".badge.reviewed").count() == 1
            assert "Ana" in page.locator("#history").inner_text()
            if shots:
                page.screenshot(path=str(SCREENSHOTS / "event.png"), full_page=True)

            # a wrong token is refused and nothing changes
            page.fill("#value", "70")
            page.fill("#token", "not-the-token")
            page.click("#save")
            page.wait_for_selector("#review-message.error")
            page.reload()
            assert page.locator('tr[data-field="fatalities"] td.value').inner_text().startswith("7")

            # the hostile article: its markup is shown as text and never runs
            page.goto(base + "/?start=2023-12-24&end=2023-12-24")
            page.wait_for_selector("#map[data-loaded]")
            page.locator("path.event-marker").first.click(force=True)
            page.click(".leaflet-popup a.event-link")
            page.wait_for_selector("#incident")
            assert page.locator(".article-text mark.ev-location").first.inner_text() == "Idlib"
            assert "<script>window.__pwned" in page.locator(".article-text").first.inner_text()
            assert page.locator(".article-text img, .article-text script, .article-text svg").count() == 0
            for path in ("/table", "/table?q=shelling", f"/articles/{'evil%3C1%3E'}"):
                page.goto(base + path)
            assert page.evaluate("typeof window.__pwned") == "undefined"

            # the OpenAPI page runs on the vendored Swagger UI, offline
            page.goto(base + "/docs")
            page.wait_for_selector(".swagger-ui .info")
            assert "/api/events" in page.locator("#swagger-ui").inner_text()
        finally:
            context.close()
    assert not errors, errors
    assert not outside, outside  # nothing fetched from outside the server
