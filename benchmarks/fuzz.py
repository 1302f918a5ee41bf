"""Fuzz every reader and the CLI with hostile inputs (hypothesis), and count what went wrong.

    python benchmarks/fuzz.py [--inputs 10000] [--cli-every 10] [--extract-every 100] [--seed 0]

Each input is a hostile file (``tests/fuzzing.py``: random bytes, broken encodings, truncation,
deep nesting, wrong JSON types, NUL/control characters, huge lines, XML entity expansion and
external entities, gzip bombs in WARC) read beside a file of good articles. Every input goes
through the readers (``iter_inputs``); every ``--cli-every``-th also through ``eventcoder ingest``
(a stub extractor, a real SQLite store), every ``--extract-every``-th through ``eventcoder
extract`` with the real pipeline. Prints inputs, tracebacks (any exception out of a reader or a
command), lost good articles, bad exit codes, and per-suffix counts. Asserts nothing about time.
"""
from __future__ import annotations

import argparse
import collections
import sqlite3
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "multisource"))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from fuzzing import check_items, good_articles, hostile_file  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--cli-every", type=int, default=10)
    parser.add_argument("--extract-every", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import typer

    from eventcoder.cli import app as main_app
    from eventcoder.store.commands import register
    from eventcoder.store.ingest import iter_inputs
    from stub_extractor import StubExtractor

    ingest_app = typer.Typer()
    register(ingest_app, extractor_factory=StubExtractor)

    @ingest_app.callback()
    def _root() -> None:
        pass

    stats = collections.Counter()
    by_suffix = collections.Counter()
    failures: list[str] = []
    runner = CliRunner()
    started = time.perf_counter()

    def record(kind: str, detail: str) -> None:
        stats[kind] += 1
        if len(failures) < 20:
            failures.append(f"{kind}: {detail}")

    @settings(max_examples=args.inputs, deadline=None, suppress_health_check=list(HealthCheck),
              database=None, derandomize=False)
    @given(hostile_file())
    def one(case) -> None:
        suffix, data = case
        n = stats["inputs"]
        stats["inputs"] += 1
        by_suffix[suffix] += 1
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            ids = good_articles(folder)
            hostile = folder / f"hostile{suffix}"
            hostile.write_bytes(data)
            try:
                items = list(iter_inputs([folder / "good.jsonl", hostile]))
                articles = check_items(items, hostile)
                stats["problems"] += sum(1 for i in items if not hasattr(i, "text"))
                if [a.id for a in articles][:len(ids)] != ids:
                    record("lost", f"{suffix}: good articles not all read")
            except AssertionError as exc:
                record("property", f"{suffix}: {exc}")
            except BaseException as exc:  # noqa: BLE001 - counting every traceback is the point
                record("traceback", f"{suffix}: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=4)}")
            if args.cli_every and n % args.cli_every == 0:
                stats["cli_runs"] += 1
                db = folder / "store.db"
                result = runner.invoke(ingest_app, ["ingest", str(folder / "good.jsonl"), str(hostile), "--db", str(db),
                                                    "--no-progress"])
                _check_cli(result, "ingest", suffix, record)
                try:
                    with sqlite3.connect(db) as conn:
                        stored = {r[0] for r in conn.execute("SELECT article_id FROM articles")}
                    if not set(ids) <= stored:
                        record("lost", f"ingest {suffix}: {sorted(set(ids) - stored)}")
                except sqlite3.Error as exc:
                    record("lost", f"ingest {suffix}: no store ({exc})")
            if args.extract_every and n % args.extract_every == 0:
                stats["extract_runs"] += 1
                out = folder / "events.jsonl"
                result = runner.invoke(main_app, ["extract", str(folder / "good.jsonl"), str(hostile), "--format",
                                                  "jsonl", "--output", str(out)])
                _check_cli(result, "extract", suffix, record)
        if stats["inputs"] % 500 == 0:
            rate = stats["inputs"] / (time.perf_counter() - started)
            print(f"  {stats['inputs']} inputs, {stats['traceback']} tracebacks, {stats['lost']} lost "
                  f"({rate:.0f} inputs/s)", file=sys.stderr, flush=True)

    one()
    seconds = time.perf_counter() - started
    print(f"inputs: {stats['inputs']} ({', '.join(f'{k} {v}' for k, v in sorted(by_suffix.items()))})")
    print(f"problems reported (one-line errors): {stats['problems']}")
    print(f"CLI runs: ingest {stats['cli_runs']}, extract {stats['extract_runs']}")
    print(f"tracebacks: {stats['traceback']}")
    print(f"lost good articles: {stats['lost']}")
    print(f"property violations (multi-line error, wrong type, problem not naming the file): {stats['property']}")
    print(f"bad exit codes: {stats['exit']}")
    print(f"time: {seconds:.0f} s ({stats['inputs'] / seconds:.1f} inputs/s)")
    for line in failures:
        print("  " + line.replace("\n", "\n    "))


def _check_cli(result, command: str, suffix: str, record) -> None:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        record("traceback", f"{command} {suffix}: {type(result.exception).__name__}: {result.exception}")
    elif "Traceback" in (result.output or ""):
        record("traceback", f"{command} {suffix}: traceback printed")
    elif result.exit_code not in (0, 2):
        record("exit", f"{command} {suffix}: exit {result.exit_code}: {(result.output or '')[-300:]}")


if __name__ == "__main__":
    main()
