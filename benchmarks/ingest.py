"""Ingest benchmark: N short template articles into a fresh store; prints figures, asserts nothing.

    python benchmarks/ingest.py [--n 10000] [--db PATH|postgresql://...] [--stub] [--batch-size 64]
    python benchmarks/ingest.py --quality      # merge precision/recall end to end on the multi-source set
    python benchmarks/ingest.py --quality --stub   # the same on the hand-built events (merge alone)

``--stub`` replaces the spaCy extractor by the regex stand-in of tests/fixtures/multisource, to
measure the store, deduplication and merge alone. Reported: articles/s, duplicates found, events,
incidents, database size, peak memory (ru_maxrss).

``--quality`` scores the merge pairwise on tests/fixtures/multisource: the main set
(articles/events/gold: 30 incidents, 67 reports) and the extra set (extra_*: 7 incidents, 12 reports
written to check single merge rules: a date slip against a town shelled on consecutive days, a
region-level report against a town-level one, a clash told as an attack on a civilian, a descriptive
actor label against a named one). Gold pairs missed and pairs merged wrongly are listed.
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


def quality(hand_built: bool = False) -> None:
    from eventcoder.schema import Article, Event
    from eventcoder.store.merge import merge_events, pair_scores

    here = ROOT / "tests" / "fixtures" / "multisource"
    extractor = None
    if not hand_built:
        from eventcoder.pipeline import Extractor

        extractor = Extractor()
    print(f"merge quality, {'hand-built events' if hand_built else 'end to end (spaCy extractor)'}")
    for name, prefix in (("main set", ""), ("extra set", "extra_")):
        gold = json.loads((here / f"{prefix}gold.json").read_text())
        articles = [Article(**json.loads(line)) for line in (here / f"{prefix}articles.jsonl").read_text().splitlines()]
        events, errors = [], 0
        if hand_built:
            lines = (here / f"{prefix}events.jsonl").read_text().splitlines()
            events = [Event.model_validate_json(line) for line in lines]
        else:
            for outcome in extractor.run(articles):
                errors += bool(outcome.error)
                for event in outcome.events:
                    event.source = event.source or outcome.article.source
                    events.append(event)
        merged = merge_events(events)
        groups = [[m.article_id for m in item.members] for item in merged]
        scores = pair_scores(groups, gold)
        print(f"{name}: {len(events)} events from {len(articles)} reports ({errors} extractor errors); "
              f"precision {scores['precision']:.3f}  recall {scores['recall']:.3f}  "
              f"({scores['true_pairs']} of {scores['pairs_gold']} gold pairs, {scores['pairs_predicted']} predicted)")
        together = {}
        for n, group in enumerate(groups):
            for report in group:
                together.setdefault(report, set()).add(n)
        ids = sorted(gold)
        coded = {e.article_id for e in events}
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                joined = bool(together.get(a, set()) & together.get(b, set()))
                if (gold[a] == gold[b]) != joined:
                    why = "" if a in coded and b in coded else "  (no event from " + ", ".join(
                        x for x in (a, b) if x not in coded) + ")"
                    print(f"  {'missed' if gold[a] == gold[b] else 'wrong '} {a} {b}{why}")
        print(json.dumps(scores))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--db", help="store URL (default: a SQLite file in a temporary folder)")
    parser.add_argument("--stub", action="store_true",
                        help="regex stand-in instead of the spaCy extractor (with --quality: the hand-built events)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--quality", action="store_true", help="merge precision/recall through the real extractor")
    args = parser.parse_args()
    quality(hand_built=args.stub) if args.quality else bench(args)


if __name__ == "__main__":
    main()
