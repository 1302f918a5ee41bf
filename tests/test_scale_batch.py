"""`eventcoder batch` on a local Ray: same events as the Extractor, failures recorded, dead workers retried.

One Ray session (2 actor CPUs + 1 spare logical CPU for the read/write tasks) serves the module;
the whole file skips when ray is not installed.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")
pytest.importorskip("pyarrow")

import pyarrow.dataset as pads  # noqa: E402
import typer  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from eventcoder.scale.commands import register  # noqa: E402
from eventcoder.scale.ray_runner import EVENT_SCHEMA, connect, run_batch, unflatten_event  # noqa: E402

# Short reports written for these tests (not from any outlet).
REPORTS = [
    ("s1", "2023-03-14", "Government forces shelled the town of Maarat al-Numan in Idlib on Monday, killing four civilians, "
     "local activists said. Rebels returned fire on army positions nearby."),
    ("s2", "2023-03-15", "Clashes broke out between the Syrian army and rebels near Daraa on Tuesday. "
     "A monitoring group said at least seven fighters were killed."),
    ("s3", "2023-03-16", "An airstrike hit a market in Ariha on Wednesday. Rescue workers said twelve people died "
     "and dozens were wounded."),
    ("s4", "2023-03-16", "Islamic State militants attacked a checkpoint of the Syrian Democratic Forces in Deir ez-Zor "
     "province on Thursday, killing three guards."),
    ("s5", "2023-03-17", "Hundreds of people protested in Suwayda on Friday against rising prices. No injuries were reported."),
    ("s6", "2023-03-18", "A roadside bomb exploded near a military bus in Homs on Saturday, killing two soldiers, "
     "state media said."),
    ("s7", "2023-03-19", "The weather was mild in Aleppo on Sunday and the markets were busy."),
    ("s8", "2023-03-20", "Turkish drones struck a car near Qamishli on Monday, killing a commander of the SDF."),
]


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def ray_session():
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if ray.is_initialized():
        ray.shutdown()
    session = connect(None, num_cpus=3)
    # the test helpers below travel to the workers by value (tests/ is not importable there)
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    yield session
    ray.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("scale-in")
    rows = [{"id": i, "text": t, "published": p, "source": "test wire"} for i, p, t in REPORTS]
    _write_jsonl(folder / "a.jsonl", rows[:5])
    _write_jsonl(folder / "b.jsonl", rows[5:])
    return folder


def _table(path: Path, part: str) -> list[dict]:
    return pads.dataset(str(path / part), format="parquet").to_table().to_pylist()


def _canon(record: dict) -> str:
    return json.dumps(record, sort_keys=True, default=str)


# -- helpers that run inside the Ray workers --

class FakeExtractor:
    """Stands in for the Extractor: one event per sentence; 'BOOM' in the text raises."""

    def run(self, articles, batch_size=64):
        from eventcoder.pipeline import Outcome
        from eventcoder.schema import Claim, Event, Evidence

        for article in articles:
            if "BOOM" in article.text:
                yield Outcome(article, [], "RuntimeError: boom")
                continue
            events = [
                Event(event_id=f"{article.id}-{n}", article_id=article.id, notes=s.strip(), fatalities=n,
                      claims=[Claim(figure=n, text=s[:5])], evidence={"notes": [Evidence(start=0, end=1, text=s[:1])]})
                for n, s in enumerate(article.text.split(". ")) if s.strip()
            ]
            yield Outcome(article, events)


class DyingOnce(FakeExtractor):
    """Kills its worker process the first time it sees the marker article (a file flag remembers)."""

    def __init__(self, flag: str) -> None:
        self.flag = flag

    def run(self, articles, batch_size=64):
        articles = list(articles)
        if any(a.id == "die" for a in articles) and not os.path.exists(self.flag):
            Path(self.flag).write_text("died")
            os._exit(1)
        yield from super().run(articles, batch_size)


class RealRaising:
    """The real Extractor, whose coding raises on one article: Extractor.run must isolate it."""

    def __new__(cls):
        from eventcoder.pipeline import Extractor

        class Raising(Extractor):
            def code(self, article, doc):
                if article.id == "crash":
                    raise ValueError("planted failure")
                return super().code(article, doc)

        return Raising()


# -- tests --

def test_unreachable_cluster_is_a_one_line_error(tmp_path):
    """Runs first, in a child process, before this module starts its own Ray (which 'auto' would find)."""
    import subprocess

    src = _write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "b"}])
    code = (
        "import typer; from eventcoder.scale.commands import register; app = typer.Typer(); register(app);"
        "app.command('noop')(lambda: None); app()"
    )
    env = {**os.environ, "RAY_ADDRESS": ""}
    env.pop("RAY_ADDRESS")
    proc = subprocess.run(
        [sys.executable, "-c", code, "batch", str(src), "--output", str(tmp_path / "o"), "--address", "auto"],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert proc.returncode == 2, proc.stderr
    assert "cannot reach Ray cluster at auto" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_same_events_as_extract(ray_session, corpus, tmp_path):
    """batch on 2 workers writes exactly the events the Extractor gives in one process."""
    from eventcoder.ingest.readers import read_articles
    from eventcoder.pipeline import Extractor

    articles = [a for a in read_articles([corpus])]
    expected = sorted(_canon(e.record()) for o in Extractor().run(articles) for e in o.events)

    app = typer.Typer()
    register(app)
    app.command("noop", hidden=True)(lambda: None)  # keep `batch` a named subcommand
    result = CliRunner().invoke(app, ["batch", str(corpus), "--output", str(tmp_path / "out"),
                                      "--workers", "2", "--batch-size", "3"])
    assert result.exit_code == 0, result.output
    got = sorted(_canon(unflatten_event(r)) for r in _table(tmp_path / "out", "events"))
    assert got == expected
    assert expected, "the sample reports should give some events"
    arts = _table(tmp_path / "out", "articles")
    assert sorted(a["id"] for a in arts) == sorted(i for i, _, _ in REPORTS)
    assert {a["status"] for a in arts} == {"ok"}
    counts = {a["id"]: a["n_events"] for a in arts}
    assert sum(counts.values()) == len(expected)
    schema = pads.dataset(str(tmp_path / "out" / "events"), format="parquet").schema
    assert schema.names == EVENT_SCHEMA.names


def test_crashing_article_is_recorded_and_others_go_on(ray_session, tmp_path):
    rows = [{"id": i, "text": t, "published": p} for i, p, t in REPORTS[:4]]
    rows.insert(2, {"id": "crash", "text": REPORTS[0][2], "published": "2023-03-14"})
    src = _write_jsonl(tmp_path / "in.jsonl", rows)
    with open(src, "a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    summary = run_batch([src], str(tmp_path / "out"), workers=2, batch_size=2, make_extractor=RealRaising)
    arts = {a["id"] or a["where"]: a for a in _table(tmp_path / "out", "articles")}
    assert arts["crash"]["status"] == "failed" and "planted failure" in arts["crash"]["error"]
    assert all(arts[i]["status"] == "ok" for i, _, _ in REPORTS[:4])
    bad = [a for a in arts.values() if a["status"] == "invalid"]
    assert len(bad) == 1 and "malformed JSON" in bad[0]["error"] and bad[0]["where"].endswith(":6")
    assert (summary.ok, summary.failed, summary.invalid) == (4, 1, 1)
    events = _table(tmp_path / "out", "events")
    assert "crash" not in {e["article_id"] for e in events}


def test_dead_worker_is_retried_without_loss_or_doubles(ray_session, tmp_path):
    ids = [f"n{i}" for i in range(30)]
    ids.insert(17, "die")
    rows = [{"id": i, "text": f"Shelling hit village {i}. Two people were killed. Homes burned."} for i in ids]
    src = _write_jsonl(tmp_path / "in.jsonl", rows)
    flag = tmp_path / "died.flag"

    def make():
        return DyingOnce(str(flag))

    summary = run_batch([src], str(tmp_path / "out"), workers=2, batch_size=4, make_extractor=make)
    assert flag.exists(), "the worker should have died once"
    arts = _table(tmp_path / "out", "articles")
    assert sorted(a["id"] for a in arts) == sorted(ids)  # every id exactly once
    assert {a["status"] for a in arts} == {"ok"}
    events = _table(tmp_path / "out", "events")
    keys = [e["event_id"] for e in events]
    assert len(keys) == len(set(keys)) == 3 * len(ids)
    assert summary.articles == len(ids)


def test_fake_extractor_roundtrip_and_json_columns(ray_session, tmp_path):
    rows = [{"id": 7, "text": "One. Two. BOOM", "published": "2023-01-02", "title": "t", "url": "u"},
            {"id": "x", "text": "Alpha. Beta."}]
    src = _write_jsonl(tmp_path / "in.jsonl", rows)
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["p1", "p2"], "text": ["Gamma. Delta.", ""], "published": ["2023-02-03", None],
                             "extra": [1, 2]}), tmp_path / "in.parquet")
    summary = run_batch([src, tmp_path / "in.parquet"], str(tmp_path / "out"), workers=2, batch_size=2,
                        make_extractor=FakeExtractor)
    arts = {a["id"] or a["where"]: a for a in _table(tmp_path / "out", "articles")}
    assert arts["7"]["status"] == "failed" and arts["7"]["published"] == "2023-01-02"
    assert arts["x"]["status"] == "ok" and arts["x"]["n_events"] == 2
    assert arts["p1"]["status"] == "ok" and arts["p1"]["published"] == "2023-02-03"
    assert [a for a in arts.values() if a["status"] == "invalid"][0]["error"] == "missing 'text'"
    events = {e["event_id"]: unflatten_event(e) for e in _table(tmp_path / "out", "events")}
    assert events["x-1"]["claims"][0]["figure"] == 1
    assert events["p1-0"]["evidence"]["notes"][0]["text"] == "G"
    assert summary.events == 4


def test_user_mistakes_are_one_line_errors(ray_session, tmp_path):
    app = typer.Typer()
    register(app)
    app.command("noop", hidden=True)(lambda: None)
    runner = CliRunner()
    out = str(tmp_path / "out")
    missing = runner.invoke(app, ["batch", str(tmp_path / "nope.jsonl"), "--output", out])
    assert missing.exit_code == 2 and "no such file or folder" in missing.output
    (tmp_path / "x.csv").write_text("a,b\n")
    wrong = runner.invoke(app, ["batch", str(tmp_path / "x.csv"), "--output", out])
    assert wrong.exit_code == 2 and "unsupported file type .csv" in wrong.output
    src = _write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "b"}])
    (tmp_path / "out" / "articles").mkdir(parents=True)
    (tmp_path / "out" / "articles" / "old.parquet").write_text("x")
    busy = runner.invoke(app, ["batch", str(src), "--output", out])
    assert busy.exit_code == 2 and "--overwrite" in busy.output
    for result in (missing, wrong, busy):
        assert "Traceback" not in result.output


def test_batch_output_loads_into_the_store_like_a_direct_ingest(ray_session, corpus, tmp_path):
    """`ingest --from-parquet` stores the batch's articles and events without coding them again."""
    from eventcoder.ingest.readers import read_articles
    from eventcoder.store.commands import register as register_store
    from eventcoder.store.database import connect as connect_db
    from eventcoder.store.ingest import ingest, stored_events

    run_batch([corpus], str(tmp_path / "out"), workers=2, batch_size=3, make_extractor=FakeExtractor)
    app = typer.Typer()
    register_store(app, extractor_factory=lambda: pytest.fail("--from-parquet must not code again"))
    loaded = tmp_path / "loaded.db"
    result = CliRunner().invoke(app, ["ingest", "--from-parquet", str(tmp_path / "out"), "--db", str(loaded), "--no-progress"])
    assert result.exit_code == 0, result.output
    direct = tmp_path / "direct.db"
    with connect_db(str(direct)) as db:
        ingest(db, read_articles([corpus]), FakeExtractor())
    with connect_db(str(loaded)) as a, connect_db(str(direct)) as b:
        got = sorted(_canon(e.record()) for e in stored_events(a))
        want = sorted(_canon(e.record()) for e in stored_events(b))
    assert got and got == want

    again = CliRunner().invoke(app, ["ingest", "--from-parquet", str(tmp_path / "nope"), "--db", str(loaded)])
    assert again.exit_code == 2 and "no articles or events/ folder" in again.output


def test_input_file_is_read_as_a_stream(tmp_path):
    """A read task yields rows as it goes: a list would hold a whole (maybe huge) file in memory."""
    import types

    from eventcoder.scale.ray_runner import _read_file

    src = _write_jsonl(tmp_path / "in.jsonl", [{"id": f"a{i}", "text": "x"} for i in range(3)])
    rows = _read_file({"path": str(src)}, published="2023-01-02")
    assert isinstance(rows, types.GeneratorType)
    assert [r["id"] for r in rows] == ["a0", "a1", "a2"]


def test_actor_warms_up_at_start_and_drops_the_result(tmp_path):
    """Coder codes one built-in report when it starts (so first-use costs are not in the first
    block); that report never reaches the output."""
    import pyarrow as pa

    from eventcoder.scale.ray_runner import STAGE_SCHEMA, WARM_UP_ID, Coder

    seen: list[str] = []

    class Recording(FakeExtractor):
        def run(self, articles, batch_size=64):
            articles = list(articles)
            seen.extend(a.id for a in articles)
            yield from super().run(articles, batch_size)

    coder = Coder(make_extractor=Recording)
    assert seen == [WARM_UP_ID]
    batch = pa.Table.from_pylist([{"id": "k1", "text": "One. Two.", "published": None, "source": None, "title": None,
                                   "url": None, "where": "f#1", "problem": None}])
    out = coder(batch).to_pylist()
    assert [r["id"] for r in out] == ["k1"] and out[0]["n_events"] == 2
    assert coder(batch).schema == STAGE_SCHEMA
