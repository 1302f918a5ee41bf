"""Kill ``eventcoder ingest`` and ``eventcoder batch`` with SIGKILL at random moments, then rerun.

    python benchmarks/crash_soak.py [--ingest-kills 20] [--batch-kills 20] [--articles 240] [--workdir DIR]

Ingest: a store holding a first part of the corpus and analysts' corrections is killed during
ingests of the whole corpus (stub extractor with a small delay per article, so that kills land in
reading, coding, writing and merging); a final run finishes. Batch: the real ``eventcoder batch``
(local Ray, one worker) and its Ray processes are killed; after each kill its output is either
refused as unfinished or complete; the final rerun is loaded into a store with corrections.
Prints kills, articles lost and doubled, corrections lost, whether the store equals a clean run.
See ``tests/soak.py``.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from soak import soak_batch, soak_ingest  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ingest-kills", type=int, default=20)
    parser.add_argument("--batch-kills", type=int, default=20)
    parser.add_argument("--articles", type=int, default=240)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="eventcoder-soak-"))

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if args.ingest_kills:
        started = time.perf_counter()
        result = soak_ingest(work / "ingest", args.ingest_kills, n_articles=args.articles, log=log)
        print(result.line("ingest") + f" ({time.perf_counter() - started:.0f} s)")
    if args.batch_kills:
        started = time.perf_counter()
        result = soak_batch(work / "batch", args.batch_kills, n_articles=args.articles // 2, log=log)
        print(result.line("batch").replace(", store equals a clean run: True", "")
              + f"; after a kill the output was refused as unfinished {result.incomplete_refused} times, "
              f"complete {result.complete_after_kill} times; {'; '.join(result.notes[-3:])} "
              f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
