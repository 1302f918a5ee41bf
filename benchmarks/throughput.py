"""Throughput of `extract` next to the spaCy model's own `nlp.pipe`, and of --workers 2 against 1.

    .venv/bin/python benchmarks/throughput.py [--docs 402] [--rounds 2] [--pool-docs 2000] [--skip-pool]

1. FA-KES dev articles (../shared/data/dev/fakes_syria_dev.jsonl when present, read, never copied;
   else the project's own examples repeated): words/s of `nlp.pipe` with the full model and of the
   whole extractor on the same texts, interleaved in one run; ratio extract / pipe.
2. Long articles: the same texts joined to about 600 words each; same figures.
3. Pool: `--pool-docs` documents (ACLED Syria dev notes when present) coded by ExtractorPool with 1
   and with 2 workers in the same run: seconds from warm workers to the last outcome, the ratio,
   whether the outputs are identical, and the peak memory (max RSS) of a worker.

The machine may be shared: CPU seconds (this process; workers' CPU for the pool) are printed next
to wall-clock seconds, and the load average is printed at the start and the end. Compare ratios
measured in one run, never absolute figures across runs. Nothing is asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "dev"


def _rows(name: str, n: int) -> list[dict]:
    path = DEV / name
    if path.is_file():
        rows = []
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                rows.append(json.loads(line))
                if len(rows) >= n:
                    break
        return [{"id": r["id"], "text": r["text"], "published": r.get("published")} for r in rows]
    rows = [json.loads(line) for line in (ROOT / "examples" / "reports.jsonl").open(encoding="utf-8")]
    return [dict(r, id=f"{r['id']}-{i}") for i in range(n // len(rows) + 1) for r in rows][:n]


def long_articles(rows: list[dict], words: int = 600) -> list[dict]:
    """Consecutive texts joined (paragraph breaks between them) until each has about ``words`` words."""
    out, parts, count = [], [], 0
    for row in rows:
        parts.append(row["text"].strip())
        count += len(row["text"].split())
        if count >= words:
            out.append({"id": f"long-{len(out)}", "text": "\n\n".join(parts), "published": row.get("published")})
            parts, count = [], 0
    return out


def _clock():
    return time.perf_counter(), time.process_time()


def compare(label: str, docs: list[dict], rounds: int, extractor) -> None:
    from eventcoder.schema import Article

    articles = [Article(**d) for d in docs]
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    nlp = extractor.nlp
    base, full, events = [], [], 0
    for _ in range(rounds):  # interleaved, so that both see the same machine load
        w, c = _clock()
        for _doc in nlp.pipe(texts, batch_size=64):
            pass
        base.append((time.perf_counter() - w, time.process_time() - c))
        w, c = _clock()
        events = sum(len(o.events) for o in extractor.run(articles, batch_size=64))
        full.append((time.perf_counter() - w, time.process_time() - c))
    (bw, bc), (fw, fc) = min(base, key=lambda x: x[1]), min(full, key=lambda x: x[1])
    print(f"{label}: {len(texts)} articles, {words} words ({words // len(texts)} per article), {events} events")
    print(f"  spaCy nlp.pipe     : {words / bc:7.0f} words/CPU-s  ({bc:.2f} CPU-s, {bw:.2f} s wall, best of {rounds})")
    print(f"  eventcoder extract : {words / fc:7.0f} words/CPU-s  ({fc:.2f} CPU-s, {fw:.2f} s wall)")
    print(f"  ratio extract / pipe: {bc / fc:.2f} by CPU time, {bw / fw:.2f} by wall clock")


def pool_run(docs: list[dict], workers: int) -> tuple[float, float, list, int]:
    """(seconds from warm workers to the last outcome, workers' CPU seconds, outcomes, peak RSS in KB)."""
    from eventcoder.parallel import ExtractorPool
    from eventcoder.schema import Article

    articles = [Article(**d) for d in docs]
    with ExtractorPool(workers) as pool:
        pool.warm()
        before = pool.cpu_seconds()
        start = time.perf_counter()
        outcomes = [(o.article.id, [e.model_dump_json() for e in o.events], o.error) for o in pool.run(articles)]
        seconds = time.perf_counter() - start
        cpu = pool.cpu_seconds() - before
        peak = pool.peak_rss_kb()
    return seconds, cpu, outcomes, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=402, help="FA-KES articles (default: all 402)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--pool-docs", type=int, default=2000)
    parser.add_argument("--skip-pool", action="store_true")
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")

    from eventcoder.parallel import peak_memory_kb
    from eventcoder.pipeline import Extractor
    from eventcoder.schema import Article

    extractor = Extractor()
    fakes = _rows("fakes_syria_dev.jsonl", args.docs)
    list(extractor.run([Article(**d) for d in fakes[:5]]))  # warm up: gazetteer index, lexicons
    compare("FA-KES dev" if (DEV / "fakes_syria_dev.jsonl").is_file() else "examples", fakes, args.rounds, extractor)
    compare("long articles (~600 words)", long_articles(fakes), args.rounds, extractor)
    print(f"  this process (one extractor, both corpora): peak memory {peak_memory_kb() / 1024:.0f} MB")
    del extractor

    if not args.skip_pool:
        docs = _rows("acled_syria_dev.jsonl", args.pool_docs)
        one = pool_run(docs, 1)
        two = pool_run(docs, 2)
        print(f"pool: {len(docs)} documents, workers warm (model loaded) before the clock starts")
        for n, (seconds, cpu, _, peak) in ((1, one), (2, two)):
            print(f"  --workers {n}: {seconds:6.2f} s wall, {cpu:6.2f} CPU-s in workers, {len(docs) / seconds:6.1f} docs/s,"
                  f" peak memory per worker {peak / 1024:.0f} MB")
        print(f"  ratio --workers 2 / --workers 1: {one[0] / two[0]:.2f} by wall clock"
              f" (CPU-s per document: {one[1] / len(docs) * 1000:.1f} ms and {two[1] / len(docs) * 1000:.1f} ms)")
        print(f"  outputs identical and in input order: {one[2] == two[2]}")
    print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
