"""Throughput of one process (Extractor.run) against `batch` on a local Ray with N workers, on the
same corpus in one run; peak RSS per worker; projection for 10 million articles.

    .venv/bin/python benchmarks/scale.py [--docs 1500] [--workers 2] [--batch-size 64]

Corpus: the texts of ../shared/data/dev/*.jsonl when present (read at run time, never copied),
otherwise reports generated from templates below. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev"

TEMPLATES = [
    "{actor} shelled the town of {place} on {day}, killing {n} civilians, local sources said.",
    "Clashes between {actor} and {other} near {place} on {day} left {n} fighters dead, a monitor reported.",
    "An airstrike hit a market in {place} on {day}. Rescue workers said {n} people died and many were wounded.",
    "{other} attacked a checkpoint held by {actor} outside {place} on {day}; {n} guards were killed.",
    "Hundreds of residents protested in {place} on {day} against the lack of fuel. No injuries were reported.",
    "A roadside bomb struck a military vehicle near {place} on {day}, killing {n} soldiers, state media said.",
]
ACTORS = ["Government forces", "The Syrian army", "Rebel fighters", "Islamic State militants", "Turkish-backed factions"]
PLACES = ["Idlib", "Daraa", "Homs", "Aleppo", "Deir ez-Zor", "Raqqa", "Hama", "Qamishli", "Ariha", "Manbij"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def corpus(size: int) -> list[dict]:
    rows: list[dict] = []
    if SHARED.is_dir():
        for path in sorted(SHARED.glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                obj = json.loads(line)
                if obj.get("id") and obj.get("text"):
                    rows.append({"id": f"{path.stem}:{obj['id']}", "text": obj["text"], "published": obj.get("published")})
        random.Random(7).shuffle(rows)
    rng = random.Random(11)
    while len(rows) < size:
        sentences = [
            rng.choice(TEMPLATES).format(actor=rng.choice(ACTORS), other=rng.choice(ACTORS), place=rng.choice(PLACES),
                                         day=rng.choice(DAYS), n=rng.randint(2, 30))
            for _ in range(rng.randint(2, 5))
        ]
        rows.append({"id": f"gen{len(rows)}", "text": " ".join(sentences), "published": "2023-06-10"})
    return rows[:size]


class MeasuredExtractor:
    """The real Extractor, writing its process's peak RSS to a file after every block."""

    def __init__(self, folder: str) -> None:
        from eventcoder.pipeline import Extractor

        self.inner, self.folder, self.docs = Extractor(), folder, 0

    def run(self, articles, batch_size=64):
        articles = list(articles)
        yield from self.inner.run(articles, batch_size)
        self.docs += len(articles)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        figures = {"rss_mb": usage.ru_maxrss / 1024, "cpu_s": usage.ru_utime + usage.ru_stime, "docs": self.docs}
        Path(self.folder, f"{os.getpid()}.json").write_text(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()

    from eventcoder.ingest.readers import read_articles
    from eventcoder.pipeline import Extractor

    rows = corpus(args.docs)
    words = sum(len(r["text"].split()) for r in rows)
    work = Path(tempfile.mkdtemp(prefix="eventcoder-scale-"))
    src = work / "corpus.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    print(f"corpus: {len(rows)} docs, {words} words ({'shared dev texts' if SHARED.is_dir() else 'templates'}); "
          f"cpus: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}")

    # one process: the same articles `extract` would read
    articles = [a for a in read_articles([src]) if not hasattr(a, "message")]
    start = time.perf_counter()
    extractor = Extractor()
    load = time.perf_counter() - start
    start = time.perf_counter()
    n_events = sum(len(o.events) for o in extractor.run(articles, args.batch_size))
    single = time.perf_counter() - start
    single_rate = len(articles) / single
    single_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"single process: {single_rate:.1f} docs/s ({single:.1f}s; {n_events} events; model load {load:.1f}s; "
          f"peak RSS {single_rss:.0f} MB)")
    del extractor

    # Ray: local session, N actors
    import ray

    from eventcoder.scale.ray_runner import connect, run_batch

    start = time.perf_counter()
    connect(None, num_cpus=args.workers + 1)
    startup = time.perf_counter() - start
    rss_dir = work / "rss"
    rss_dir.mkdir()
    stages: list[str] = []
    start = time.perf_counter()
    summary = run_batch([src], str(work / "out"), workers=args.workers, batch_size=args.batch_size,
                        make_extractor=lambda: MeasuredExtractor(str(rss_dir)), progress_log=stages.append)
    wall = time.perf_counter() - start
    ray.shutdown()
    ray_rate = summary.articles / wall
    workers_seen = [json.loads(p.read_text()) for p in sorted(rss_dir.glob("*.json"))]
    peaks = sorted(w["rss_mb"] for w in workers_seen)
    print(f"ray, {args.workers} workers: {ray_rate:.1f} docs/s ({wall:.1f}s incl. actor start-up and Parquet writes; "
          f"{summary.events} events; ray.init {startup:.1f}s not counted; stages: {'; '.join(stages)})")
    print(f"ratio ray/single: {ray_rate / single_rate:.2f}")
    if n_events != summary.events:
        print(f"NOTE: event counts differ (single {n_events}, ray {summary.events})")
    print(f"peak RSS per worker: {', '.join(f'{p:.0f} MB' for p in peaks) or 'n/a'}")
    print("per worker: " + "; ".join(f"{w['docs']} docs, {w['cpu_s']:.0f} CPU s" for w in workers_seen)
          + f" (single process used {single:.0f}s wall for all docs)")

    per_worker = ray_rate / args.workers
    total = 10_000_000
    worker_hours = total / per_worker / 3600
    peak = max(peaks) if peaks else single_rss
    print(f"projection for {total:,} articles of this size at {per_worker:.1f} docs/s per worker: "
          f"{worker_hours:,.0f} worker-hours")
    for hours in (24, 8):
        need = math.ceil(worker_hours / hours)
        print(f"  in {hours} h: {need} workers (1 CPU + ~{peak / 1024:.1f} GB RAM each, ~{need * peak / 1024:.0f} GB in all)")
    for workers in (16, 64, 256):
        print(f"  with {workers} workers: {worker_hours / workers:,.1f} h")
    cpu = sum(w["cpu_s"] for w in workers_seen)
    if cpu:
        cpu_rate = summary.articles / cpu
        print(f"CPU-time view (uncontended cores; worker CPU includes model load): {cpu_rate:.1f} docs per worker CPU-second, "
              f"ray/single ratio if each worker had its own core: {cpu_rate * args.workers / single_rate:.2f}; "
              f"{total / cpu_rate / 3600:,.0f} worker-hours for {total:,}")
    print(f"(output kept in {work})", file=sys.stderr)


if __name__ == "__main__":
    main()
