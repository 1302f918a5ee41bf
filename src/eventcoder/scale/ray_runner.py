"""The Ray Data pipeline behind ``eventcoder batch``.

    input files -> read tasks (one per file, streaming rows of sources.ARTICLE_FIELDS)
      -> streaming repartition into blocks of ``batch_size`` articles
      -> map_batches(Coder) on a pool of ``workers`` actors (two blocks in flight each); each actor
         loads the Extractor (spaCy pipeline, gazetteer, lexicons) once, warms it up on a built-in
         report, and codes its blocks through Extractor.run (nlp.pipe); one row per article with
         its events as JSON -> DIR/_staging/*.parquet
      -> DIR/articles/*.parquet (one row per article, no events) and
         DIR/events/*.parquet (one row per event: Event.record(), claims/evidence as JSON text)

Retries: the actors restart when they die (``max_restarts=-1``) and the block a dead actor held
is run again (``max_task_retries``); a block's rows are written only once its task has finished,
so no article is lost or written twice. A block that still fails after the retries fails the run.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
import types
import typing
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pyarrow as pa

from ..schema import EVENT_COLUMNS, Event
from .sources import list_inputs, read_rows, row_article

STAGING = "_staging"
EVENTS_JSON = "events_json"
JSON_FIELDS = ("claims", "evidence")  # nested in Event; Parquet holds them as JSON text

ARTICLE_SCHEMA = pa.schema([
    ("id", pa.string()),
    ("status", pa.string()),  # ok | failed (the extractor raised) | invalid (bad input line/record)
    ("error", pa.string()),
    ("n_events", pa.int64()),
    ("where", pa.string()),  # input file and item number, e.g. /data/a.jsonl#17
    ("published", pa.string()),  # YYYY-MM-DD
    ("source", pa.string()),
    ("title", pa.string()),
    ("url", pa.string()),
    ("chars", pa.int64()),
    ("text", pa.string()),  # the article itself, so `eventcoder ingest --from-parquet` can store it
])
STAGE_SCHEMA = ARTICLE_SCHEMA.append(pa.field(EVENTS_JSON, pa.string()))


def _arrow_type(annotation: object) -> pa.DataType:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    base = args[0] if args and typing.get_origin(annotation) in (typing.Union, types.UnionType) else annotation
    if base is bool:
        return pa.bool_()
    if base is int:
        return pa.int64()
    if base is float:
        return pa.float64()
    return pa.string()  # str, and JSON text for lists and dicts


def event_schema() -> pa.Schema:
    """Event.record()'s columns, in order; typed from the Event model (JSON text for nested fields)."""
    fields = Event.model_fields
    return pa.schema([
        (name, pa.string() if name in JSON_FIELDS else _arrow_type(fields[name].annotation) if name in fields else pa.string())
        for name in EVENT_COLUMNS
    ])


EVENT_SCHEMA = event_schema()


def flatten_event(record: dict) -> dict:
    """An Event.record() dict as a Parquet row: nested values (claims, evidence) as JSON text."""
    return {
        key: json.dumps(value, ensure_ascii=False, sort_keys=True) if isinstance(value, (list, dict)) else value
        for key, value in record.items()
    }


def unflatten_event(row: dict) -> dict:
    """A Parquet event row back to the Event.record() dict (claims and evidence parsed)."""
    out = dict(row)
    for key in JSON_FIELDS:
        if isinstance(out.get(key), str):
            out[key] = json.loads(out[key])
    return out


# Written for the warm-up (not from any outlet): an event, armed actors, a figure, a date and a place,
# so that the parts the extractor builds on first use are ready before the first real block.
WARM_UP_ID = "eventcoder-warm-up"
WARM_UP_TEXT = (
    "Government forces shelled the town of Ariha in Idlib province on Monday, killing four civilians, "
    "local activists said. Rebels returned fire on army positions nearby."
)


def warm_up(extractor: object) -> None:
    """Code one short built-in report and drop the result: the extractor builds some matchers and
    lexicons on first use (about a second of CPU), which then happens at actor start, not inside
    the first block. A failure here is left for the real articles to report."""
    from ..schema import Article

    try:
        list(extractor.run([Article(id=WARM_UP_ID, text=WARM_UP_TEXT, published=dt.date(2023, 3, 14))], 1))
    except Exception:
        pass


class Coder:
    """The callable class of the actor pool: loads the Extractor once (and warms it up), codes one
    block per call."""

    def __init__(self, make_extractor: Callable[[], object] | None = None, nlp_batch_size: int = 64) -> None:
        if make_extractor is None:
            from ..pipeline import Extractor

            make_extractor = Extractor
        self.extractor = make_extractor()
        self.nlp_batch_size = nlp_batch_size
        warm_up(self.extractor)

    def __call__(self, batch: pa.Table) -> pa.Table:
        rows = batch.to_pylist()
        articles = [row_article(row) for row in rows if not row.get("problem")]
        outcomes = {id(a): o for a, o in zip(articles, self._outcomes(articles))}
        out: list[dict] = []
        good = iter(articles)
        for row in rows:
            meta = {
                "id": row.get("id"), "where": row.get("where"), "published": row.get("published"),
                "source": row.get("source"), "title": row.get("title"), "url": row.get("url"),
                "chars": len(row["text"]) if row.get("text") else 0,
                "text": row.get("text") or "",
            }
            if row.get("problem"):
                out.append({**meta, "status": "invalid", "error": row["problem"], "n_events": 0, EVENTS_JSON: "[]"})
                continue
            events, error = outcomes[id(next(good))]
            status = "failed" if error else "ok"
            try:
                payload = json.dumps([flatten_event(e.record()) for e in events], ensure_ascii=False)
            except Exception as exc:  # an event that cannot be written fails its article, not the run
                status, error, events, payload = "failed", f"{type(exc).__name__}: {exc}", [], "[]"
            out.append({**meta, "status": status, "error": error, "n_events": len(events), EVENTS_JSON: payload})
        return pa.Table.from_pylist(out, schema=STAGE_SCHEMA)

    def _outcomes(self, articles: list) -> list[tuple[list, str | None]]:
        """(events, error) per article, in order. Extractor.run already isolates a failing article;
        if the whole stream breaks (e.g. inside nlp.pipe) the articles are coded one by one."""
        try:
            results = [(o.events, o.error) for o in self.extractor.run(articles, self.nlp_batch_size)]
            if len(results) == len(articles):
                return results
        except Exception:
            pass
        results = []
        for article in articles:
            try:
                found = list(self.extractor.run([article], 1))
                results.append((found[0].events, found[0].error) if found else ([], "no outcome from the extractor"))
            except Exception as exc:
                results.append(([], f"{type(exc).__name__}: {exc}"))
        return results


def split_staged(output: str, path: str, articles_dir: str, events_dir: str) -> None:
    """One staged file -> the articles file and the events file of the same name (so a retried
    task overwrites, never doubles)."""
    import pyarrow.parquet as pq

    fs, _, _ = _filesystem(output)
    table = pq.read_table(path, filesystem=fs)
    name = path.rsplit("/", 1)[-1]
    texts = table.column(EVENTS_JSON).to_pylist()
    events = pa.Table.from_pylist(
        [event for text in texts for event in json.loads(text or "[]")], schema=EVENT_SCHEMA
    )
    for folder, part in ((articles_dir, table.drop_columns([EVENTS_JSON])), (events_dir, events)):
        fs.create_dir(folder, recursive=True)
        pq.write_table(part, f"{folder}/{name}", filesystem=fs)


def _read_file(row: dict, published: str | None = None) -> Iterator[dict]:
    """The rows of one input file, as a generator: Ray Data cuts them into blocks as they come, so
    the read task never holds all of a big file's rows (Parquet is read by record batches; the
    text formats are still read whole by ingest.readers)."""
    when = dt.date.fromisoformat(published) if published else None
    yield from read_rows(row["path"], when)


# -- output location (a local folder, or a URI such as s3://bucket/run1 that pyarrow can open) --

def _filesystem(output: str):
    import pyarrow.fs as pafs

    if "://" in output:
        fs, root = pafs.FileSystem.from_uri(output)
        return fs, root, output.rstrip("/")
    root = os.path.abspath(os.path.expanduser(output))
    return pafs.LocalFileSystem(), root, root


def _has_files(fs, path: str) -> bool:
    import pyarrow.fs as pafs

    info = fs.get_file_info(path)
    if info.type == pafs.FileType.NotFound:
        return False
    if info.type == pafs.FileType.File:
        return True
    return bool(fs.get_file_info(pafs.FileSelector(path, recursive=True)))


class OutputError(ValueError):
    """A user mistake about --output, with a one-line message."""


def check_output(output: str, overwrite: bool = False) -> None:
    """Refuse an output folder that already holds a run (unless overwrite), or that is a file."""
    import pyarrow.fs as pafs

    try:
        fs, root, _ = _filesystem(output)
        info = fs.get_file_info(root)
    except Exception as exc:
        raise OutputError(f"cannot use --output {output}: {exc}") from None
    if info.type == pafs.FileType.File:
        raise OutputError(f"--output {output} is a file; give a folder")
    for part in ("articles", "events", STAGING):
        path = f"{root}/{part}"
        if _has_files(fs, path):
            if not overwrite:
                raise OutputError(f"{output}/{part} already holds output; use --overwrite or another folder")
            fs.delete_dir(path)
    try:
        fs.create_dir(root, recursive=True)
    except Exception as exc:
        raise OutputError(f"cannot create {output}: {exc}") from None


# -- Ray session --

class ClusterError(RuntimeError):
    """Ray could not be started or reached."""


@dataclass
class RaySession:
    started: bool  # we started it (and shut it down at the end)
    address: str | None


def quiet_ray_data(progress: bool = False) -> None:
    import ray.data

    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = progress
    ctx.print_on_execution_start = False
    for name in ("ray", "ray.data", "ray.data._internal"):
        logging.getLogger(name).setLevel(logging.WARNING)
    # without progress bars Ray Data warns that they are off, which is what was asked for
    logging.getLogger("ray.data._internal.progress").setLevel(logging.WARNING if progress else logging.ERROR)
    if hasattr(ctx, "enable_operator_progress_bars"):
        ctx.enable_operator_progress_bars = progress


def connect(address: str | None, num_cpus: int) -> RaySession:
    """Start a local Ray (address None) or connect to a running cluster (``auto``, ``ray://...``).
    A Ray already initialised in this process is reused as is."""
    import ray

    if ray.is_initialized():
        return RaySession(started=False, address=address)
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        if address is None:
            # a local Ray is the user's own run: its workers get the user's priority, not Ray's 15
            os.environ.setdefault("RAY_worker_niceness", str(os.nice(0)))
            ray.init(
                num_cpus=num_cpus, include_dashboard=False, logging_level=logging.WARNING,
                log_to_driver=False, configure_logging=True,
            )
        else:
            with warnings.catch_warnings():  # Ray Client warns before it raises; we say it once
                warnings.simplefilter("ignore")
                # the user's data folders (--data-dir): paths that must be valid on the nodes too
                data = os.environ.get("EVENTCODER_DATA")
                extra = {"runtime_env": {"env_vars": {"EVENTCODER_DATA": data}}} if data else {}
                ray.init(address=address, logging_level=logging.WARNING, log_to_driver=False, **extra)
    except Exception as exc:  # ConnectionError, RuntimeError, grpc errors: all one line for the user
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        where = address or "local"
        raise ClusterError(f"cannot {'reach Ray cluster at ' + where if address else 'start a local Ray'}: {message}") from None
    return RaySession(started=True, address=address)


def cluster_cpus() -> int:
    import ray

    return max(1, int(ray.cluster_resources().get("CPU", 1)))


# -- the run --

@dataclass
class Summary:
    output: str
    files: int
    articles: int = 0
    ok: int = 0
    failed: int = 0
    invalid: int = 0
    events: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (id or where, error), first few


def run_batch(
    inputs: list,
    output: str,
    *,
    workers: int,
    batch_size: int = 64,
    published: dt.date | None = None,
    make_extractor: Callable[[], object] | None = None,
    max_retries: int = 3,
    progress: bool = False,
    progress_log: Callable[[str], None] | None = None,
    rows_per_file: int = 10_000,
) -> Summary:
    """Code every article of ``inputs`` on the Ray cluster this process is connected to, and write
    DIR/articles and DIR/events. ``make_extractor`` replaces the Extractor (tests, benchmarks)."""
    import pyarrow.fs as pafs
    import ray.data

    files = list_inputs(inputs)
    quiet_ray_data(progress)
    fs, root, base = _filesystem(output)
    started = time.perf_counter()
    stage = f"{base}/{STAGING}"
    when = published.isoformat() if published else None

    tick = _Ticker(progress_log)
    paths = ray.data.from_items([{"path": f} for f in files], override_num_blocks=len(files))
    with warnings.catch_warnings():  # Ray 2.60 deprecates **ray_remote_args but has no named retry options
        warnings.simplefilter("ignore")
        rows = paths.flat_map(_read_file, fn_kwargs={"published": when}, num_cpus=0.25, max_retries=max_retries)
        rows = rows.repartition(target_num_rows_per_block=batch_size)
        coded = rows.map_batches(
            Coder,
            fn_constructor_kwargs={"make_extractor": make_extractor, "nlp_batch_size": min(batch_size, 64)},
            batch_size=batch_size,
            batch_format="pyarrow",
            # two blocks in flight per actor: the next one is always there when a block ends (no idle
            # gap), and at the end of a run no actor sits idle while another has a queue of blocks
            compute=ray.data.ActorPoolStrategy(size=workers, max_tasks_in_flight_per_actor=2),
            num_cpus=1,
            max_restarts=-1,
            max_task_retries=max_retries,
        )
    run_id = uuid.uuid4().hex[:8]
    coded.write_parquet(stage, min_rows_per_file=rows_per_file)
    tick("coded")

    import ray

    staged = sorted(
        info.path for info in fs.get_file_info(pafs.FileSelector(f"{root}/{STAGING}", recursive=True))
        if info.type == pafs.FileType.File and info.path.endswith(".parquet")
    )
    split = ray.remote(num_cpus=0.25, max_retries=max_retries)(split_staged)
    ray.get([split.remote(output, path, f"{root}/articles", f"{root}/events") for path in staged])
    tick("split into articles and events")
    for part, schema in (("articles", ARTICLE_SCHEMA), ("events", EVENT_SCHEMA)):
        if not _has_files(fs, f"{root}/{part}"):  # nothing to write: leave an empty file with the schema
            _write_empty(fs, f"{root}/{part}", schema, run_id)
    fs.delete_dir(f"{root}/{STAGING}")

    summary = Summary(output=base, files=len(files), seconds=time.perf_counter() - started)
    _count(summary, fs, f"{root}/articles")
    return summary


class _Ticker:
    def __init__(self, log: Callable[[str], None] | None) -> None:
        self.log, self.last = log, time.perf_counter()

    def __call__(self, what: str) -> None:
        now = time.perf_counter()
        if self.log:
            self.log(f"{what} in {now - self.last:.1f}s")
        self.last = now


def _write_empty(fs, path: str, schema: pa.Schema, run_id: str) -> None:
    import pyarrow.parquet as pq

    fs.create_dir(path, recursive=True)
    pq.write_table(schema.empty_table(), f"{path}/empty-{run_id}.parquet", filesystem=fs)


def _count(summary: Summary, fs, path: str) -> None:
    import pyarrow.dataset as pads

    table = pads.dataset(path, filesystem=fs, format="parquet").to_table(columns=["id", "where", "status", "error", "n_events"])
    statuses = table.column("status").to_pylist()
    summary.articles = len(statuses)
    summary.ok = statuses.count("ok")
    summary.failed = statuses.count("failed")
    summary.invalid = statuses.count("invalid")
    summary.events = sum(n or 0 for n in table.column("n_events").to_pylist())
    if summary.failed or summary.invalid:
        for row in table.to_pylist():
            if row["status"] != "ok":
                summary.failures.append((row["id"] or row["where"], row["error"] or ""))
                if len(summary.failures) >= 20:
                    break
