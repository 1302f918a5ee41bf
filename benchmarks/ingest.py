"""Ingest benchmark: N short template articles into a fresh store; prints figures, asserts nothing.

    python benchmarks/ingest.py [--n 10000] [--db PATH|postgresql://...] [--stub] [--batch-size 64]
    python benchmarks/ingest.py --quality      # merge precision/recall end to end on the multi-source set

``--stub`` replaces the spaCy extractor by the regex stand-in of tests/fixtures/multisource, to
measure the store, deduplication and merge alone. Reported: articles/s, duplicates found, events,
incidents, database size, peak memory (ru_maxrss).
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "multisource"))

TOWNS = ["Idlib", "Ariha", "Saraqib", "Raqqa", "Manbij", "Deraa", "Homs", "Qamishli", "Mosul", "Kirkuk",
         "Fallujah", "Ramadi"]
TEMPLATES = [
    "{n} civilians were killed in {town} on {day} when an air strike hit a {place}, {claimant} said.",
    "Shelling on {town} killed {n} people near the {place} on {day}, according to {claimant}.",
    "A roadside bomb exploded in {town} on {day}, killing {n} soldiers on patrol near the {place}, {claimant} reported.",
    "Clashes broke out in {town} on {day} between government forces and insurgents; {claimant} said {n} fighters died near the {place}.",
    "Hundreds of residents protested in {town} on {day} outside the {place} over power cuts and prices, {claimant} said.",
]
PLACES = ["market", "hospital", "school", "bakery", "checkpoint", "mosque", "bus station", "water plant"]
CLAIMANTS = ["local activists", "the civil defence", "a monitoring group", "a security source", "health officials"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def make_articles(path: Path, n: int, seed: int = 1) -> None:
    """N articles; about 1 in 10 repeats an earlier one verbatim or nearly (another outlet's copy)."""
    rng = random.Random(seed)
    written: list[dict] = []
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            if written and rng.random() < 0.1:
                base = dict(rng.choice(written))
                if rng.random() < 0.5:
                    base["text"] += " Reporting by a correspondent; editing by the desk."
                base.update(id=f"copy{i}", source=f"Outlet {rng.randrange(20)}", url=f"https://o.example/c{i}")
                handle.write(json.dumps(base) + "\n")
                continue
            text = " ".join(rng.choice(TEMPLATES).format(
                n=rng.randint(1, 30), town=rng.choice(TOWNS), day=rng.choice(DAYS), place=rng.choice(PLACES),
                claimant=rng.choice(CLAIMANTS)) for _ in range(3)) + f" (ref {i})"
            month, day = 1 + rng.randrange(12), 1 + rng.randrange(28)
            record = {"id": f"a{i}", "text": text, "published": f"2023-{month:02d}-{day:02d}",
                      "source": f"Outlet {rng.randrange(20)}", "url": f"https://o.example/{i}"}
            written.append(record)
            handle.write(json.dumps(record) + "\n")


def bench(args: argparse.Namespace) -> None:
    from eventcoder.store.database import connect
    from eventcoder.store.ingest import ingest, iter_inputs

    work = Path(tempfile.mkdtemp(prefix="eventcoder-bench-"))
    source = work / "articles.jsonl"
    make_articles(source, args.n)
    db_url = args.db or str(work / "bench.db")
    if args.stub:
        from stub_extractor import StubExtractor

        extractor = StubExtractor()
    else:
        from eventcoder.pipeline import Extractor

        extractor = Extractor()
    start = time.perf_counter()
    with connect(db_url) as db:
        summary = ingest(db, iter_inputs([source]), extractor, batch_size=args.batch_size)
    seconds = time.perf_counter() - start
    size = sum(p.stat().st_size for p in work.glob("bench.db*")) if not args.db else None
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"extractor        {'stub (regex)' if args.stub else 'spaCy pipeline'}")
    print(f"articles read    {summary.read}  ({summary.new} new, {summary.exact_duplicates} exact + "
          f"{summary.near_duplicates} near duplicates)")
    print(f"events           {summary.events}  -> {summary.incidents} incidents; errors {summary.errors}")
    print(f"time             {seconds:.1f} s  = {summary.read / seconds:.0f} articles/s")
    if size is not None:
        print(f"database size    {size / 1e6:.1f} MB  ({db_url})")
    print(f"peak memory      {peak_mb:.0f} MB (max RSS)")


def quality() -> None:
    from eventcoder.pipeline import Extractor
    from eventcoder.schema import Article
    from eventcoder.store.merge import merge_events, pair_scores

    here = ROOT / "tests" / "fixtures" / "multisource"
    articles = [Article(**json.loads(line)) for line in (here / "articles.jsonl").read_text().splitlines()]
    gold = json.loads((here / "gold.json").read_text())
    events, errors = [], 0
    for outcome in Extractor().run(articles):
        errors += bool(outcome.error)
        for event in outcome.events:
            event.source = event.source or outcome.article.source
            events.append(event)
    merged = merge_events(events)
    scores = pair_scores([[m.article_id for m in item.members] for item in merged], gold)
    print(f"end to end: {len(events)} events from {len(articles)} reports ({errors} extractor errors)")
    print(json.dumps(scores, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--db", help="store URL (default: a SQLite file in a temporary folder)")
    parser.add_argument("--stub", action="store_true", help="regex stand-in instead of the spaCy extractor")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--quality", action="store_true", help="merge precision/recall through the real extractor")
    args = parser.parse_args()
    quality() if args.quality else bench(args)


if __name__ == "__main__":
    main()
