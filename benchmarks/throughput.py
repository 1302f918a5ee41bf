"""Throughput of `extract` next to the spaCy model's own `nlp.pipe`, on the same texts, in one run.

    .venv/bin/python benchmarks/throughput.py [--docs 200] [--rounds 3]

Texts: full news articles from ../shared/data/dev/fakes_syria_dev.jsonl when present (read, never
copied), else the project's own examples repeated. Prints words/s for both and their ratio; the
machine is shared and noisy, so only the ratio within one run means anything.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "dev" / "fakes_syria_dev.jsonl"


def corpus(n: int) -> list[dict]:
    if DEV.is_file():
        rows = [json.loads(line) for line in DEV.open(encoding="utf-8")][:n]
        return [{"id": r["id"], "text": r["text"], "published": r.get("published")} for r in rows]
    rows = [json.loads(line) for line in (ROOT / "examples" / "reports.jsonl").open(encoding="utf-8")]
    return [dict(r, id=f"{r['id']}-{i}") for i in range(n // len(rows) + 1) for r in rows][:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from eventcoder.pipeline import Extractor
    from eventcoder.schema import Article

    docs = corpus(args.docs)
    articles = [Article(**d) for d in docs]
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    extractor = Extractor()
    nlp = extractor.nlp
    list(extractor.run(articles[:5]))  # warm up: gazetteer index, lexicons

    base_times, full_times, events = [], [], 0
    for _ in range(args.rounds):  # interleave, so both see the same machine load
        start = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=64):
            pass
        base_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        events = sum(len(o.events) for o in extractor.run(articles, batch_size=64))
        full_times.append(time.perf_counter() - start)
    base, full = min(base_times), min(full_times)
    print(f"corpus: {len(texts)} articles, {words} words ({'dev FA-KES' if DEV.is_file() else 'examples'})")
    print(f"spaCy nlp.pipe       : {words / base:8.0f} words/s  ({base:.2f} s, best of {args.rounds})")
    print(f"eventcoder extract   : {words / full:8.0f} words/s  ({full:.2f} s, {events} events)")
    print(f"ratio extract / pipe : {base / full:.2f}  (stages add {100 * (full / base - 1):.0f}% to the parse)")


if __name__ == "__main__":
    main()
