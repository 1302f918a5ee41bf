"""Hostile users: per-reviewer tokens, cross-site writes, hostile filter and path values, static paths."""
from __future__ import annotations

import sys
import warnings
from pathlib import Path
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from eventcoder.store.database import connect  # noqa: E402
from eventcoder.store.ingest import ingest, iter_inputs  # noqa: E402
from eventcoder.store.reviewers import add_reviewer, authenticate, list_reviewers, revoke_reviewer, token_hash  # noqa: E402
from eventcoder.web import create_app  # noqa: E402

HERE = Path(__file__).parent / "fixtures" / "multisource"
sys.path.insert(0, str(HERE))
from stub_extractor import StubExtractor  # noqa: E402


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    url = str(tmp_path_factory.mktemp("sec") / "store.db")
    with connect(url) as db:
        ingest(db, iter_inputs([HERE / "articles.jsonl"]), StubExtractor())
    return url


def _incident(client) -> str:
    return client.get("/api/events", params={"limit": 1}).json()["events"][0]["event_id"]


def test_reviewer_tokens_are_hashed_authenticate_and_revoke(tmp_path):
    url = str(tmp_path / "r.db")
    with connect(url) as db:
        token = add_reviewer(db, "Ana Rossi")
        assert authenticate(db, token) == "Ana Rossi" and authenticate(db, token + "x") is None
        stored = db.scalar("SELECT token_hash FROM reviewers WHERE name = ?", ("Ana Rossi",))
        assert stored == token_hash(token) and token not in stored
        revoke_reviewer(db, "Ana Rossi")
        assert authenticate(db, token) is None
        assert [r.active for r in list_reviewers(db)] == [False]


def test_correction_author_is_the_authenticated_reviewer(store, tmp_path):
    import shutil

    url = str(tmp_path / "copy.db")
    shutil.copy(store, url)
    with connect(url) as db:
        ana = add_reviewer(db, "Ana")
        ben = add_reviewer(db, "Ben")
    with TestClient(create_app(url)) as client:
        mid = _incident(client)
        body = {"field": "notes", "value": "checked", "reviewer": "Somebody Else"}
        # with reviewers in the store, writes need a reviewer's token even on loopback
        assert client.post(f"/api/events/{mid}/corrections", json=body).status_code == 401
        answer = client.post(f"/api/events/{mid}/corrections", json=body, headers={"Authorization": f"Bearer {ana}"})
        assert answer.status_code == 201 and answer.json()["correction"]["reviewer"] == "Ana"
        answer = client.post(f"/api/events/{mid}/reject", json={"reviewer": "Ana"}, headers={"Authorization": f"Bearer {ben}"})
        assert answer.status_code == 201 and answer.json()["correction"]["reviewer"] == "Ben"
        with connect(url) as db:
            revoke_reviewer(db, "Ben")
        assert client.post(f"/api/events/{mid}/corrections", json=body,
                           headers={"Authorization": f"Bearer {ben}"}).status_code == 401
        history = client.get(f"/api/events/{mid}/corrections").json()["corrections"]
        assert [c["reviewer"] for c in history] == ["Ana", "Ben"]


def test_reviewers_cli_add_list_revoke(tmp_path):
    import typer

    from eventcoder.store.commands import register

    app = typer.Typer()
    register(app, extractor_factory=StubExtractor)

    @app.callback()
    def _root() -> None:
        pass

    runner = CliRunner()
    db = str(tmp_path / "cli.db")
    added = runner.invoke(app, ["reviewers", "add", "Ana", "--db", db])
    assert added.exit_code == 0, added.output
    token = added.stdout.strip().splitlines()[0]
    with connect(db) as conn:
        assert authenticate(conn, token) == "Ana"
    assert runner.invoke(app, ["reviewers", "add", "Ana", "--db", db]).exit_code == 2  # already there
    assert runner.invoke(app, ["reviewers", "add", "<script>", "--db", db]).exit_code == 2
    listed = runner.invoke(app, ["reviewers", "list", "--db", db])
    assert "Ana" in listed.stdout and token not in listed.output
    assert runner.invoke(app, ["reviewers", "revoke", "Ana", "--db", db]).exit_code == 0
    assert runner.invoke(app, ["reviewers", "revoke", "Nobody", "--db", db]).exit_code == 2
    with connect(db) as conn:
        assert authenticate(conn, token) is None


def test_cross_site_writes_are_refused(store):
    with TestClient(create_app(store, token="shared-token-1")) as client:
        mid = _incident(client)
        auth = {"Authorization": "Bearer shared-token-1"}
        body = {"field": "notes", "value": "x", "reviewer": "Ana"}
        url = f"/api/events/{mid}/corrections"
        assert client.post(url, json=body, headers={**auth, "Origin": "https://evil.example"}).status_code == 403
        assert client.post(url, json=body, headers={**auth, "Origin": "null"}).status_code == 403
        assert client.post(url, json=body, headers={**auth, "Sec-Fetch-Site": "cross-site"}).status_code == 403
        # a form post (what a cross-site page can send without a preflight) is not accepted
        assert client.post(url, data={"field": "notes", "value": "x"}, headers=auth).status_code == 415
        assert client.post(url, content=b'{"field":"notes","value":"x"}',
                           headers={**auth, "Content-Type": "text/plain"}).status_code == 415


HOSTILE = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["'", "\"", "' OR 1=1 --", "%", "_", "\\", "\x00", "../../etc/passwd", "..%2f..%2f", "%00",
                     "2023-02-30", "9999-99-99", "-1", "1e309", "nan", "inf", "NaN,NaN,NaN,NaN", "1,2,3",
                     "-181,-91,181,91", "a" * 5000, "😀" * 100, "\ud800", "<script>", "{{7*7}}", "${x}", "\u202e",
                     "FTS5 NEAR(a b)", "\"unterminated", "a AND OR NOT", "*", "^", "col:val"]),
)
FILTERS = ("start", "end", "country", "admin1", "event_type", "actor", "bbox", "q", "status", "limit", "offset",
           "sort", "order", "page")
PATHS = ("/api/events", "/api/events.geojson", "/api/export.csv", "/api/export.geojson", "/api/stats/daily", "/",
         "/table")


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(st.dictionaries(st.sampled_from(FILTERS), HOSTILE, min_size=1, max_size=4), st.sampled_from(PATHS))
def test_hostile_filter_values_get_4xx_never_5xx(store, params, path):
    params = {k: v.encode("utf-8", "replace").decode("utf-8") for k, v in params.items()}
    with TestClient(create_app(store, allow_writes=False), raise_server_exceptions=False) as client:
        answer = client.get(path, params=params)
        assert answer.status_code < 500, (path, params, answer.status_code, answer.text[:300])


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(HOSTILE, st.sampled_from(["/api/events/{}", "/api/events/{}/corrections", "/api/members/{}",
                                 "/api/articles/{}", "/events/{}", "/articles/{}", "/static/{}"]))
def test_hostile_path_values_get_4xx_never_5xx(store, value, template):
    value = value.encode("utf-8", "replace").decode("utf-8")
    with TestClient(create_app(store, allow_writes=False), raise_server_exceptions=False) as client:
        answer = client.get(template.format(quote(value, safe="")))
        assert answer.status_code < 500, (template, value, answer.status_code)
        answer = client.post(template.format(quote(value, safe="")) + "/reject", json={"reviewer": value})
        assert answer.status_code < 500


def test_static_paths_are_confined(store):
    with TestClient(create_app(store, allow_writes=False), raise_server_exceptions=False) as client:
        for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
                     "/static//etc/passwd", "/static/vendor/../../deps.py", "/static/%00", "/static/..\\app.py"):
            answer = client.get(path)
            assert answer.status_code in (400, 404, 405), (path, answer.status_code)
            assert "import" not in answer.text and "root:" not in answer.text
