"""Scoring extracted events against gold coding (the JSONL format of ../shared/data/dev).

Each gold document has ``id``, ``text``, ``published`` and ``gold`` (a list of events with ACLED's
column names; ``[]`` means the text reports no ACLED event). Predicted events are paired with gold
events of the same document (best agreement first, each used once); field scores are over gold
events, so a missed event counts as wrong in every field.
"""
from __future__ import annotations

import re
import time
from functools import lru_cache
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .geo.gazetteer import distance_km as haversine_km
from .geo.names import fold
from .jsonl import json_objects
from .schema import Article

NONE = "none"


class EvaluationError(Exception):
    """A user mistake in the evaluation inputs (missing file, bad JSON...)."""


@dataclass
class Tally:
    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.correct += int(ok)
        self.total += 1

    @property
    def rate(self) -> float | None:
        return self.correct / self.total if self.total else None


def load_jsonl(path: Path, what: str) -> list[dict]:
    if not path.is_file():
        raise EvaluationError(f"{what} {path}: no such file")
    return [row for _, row in json_objects(path, EvaluationError)]


def _num(value) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@lru_cache(maxsize=1)
def _admin1_units() -> dict[str, set[tuple[str, str]]]:
    """fold(name or variant) -> {(iso2, ACLED admin1 name)} over every country pack."""
    from .countries import all_packs

    units: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for code, pack in all_packs().items():
        for unit in pack.admin1:
            for name in (unit.name, *unit.variants):
                units[fold(name)].add((code, unit.name))
    return units


def same_admin1(gold: str | None, pred: str | None) -> bool:
    """Admin1 names compared through the transliteration fold and the country packs' variants
    (Idlib = Idleb, Deraa = Dara, Ninewa = Nineveh)."""
    if not gold or not pred:
        return False
    g, p = fold(gold), fold(pred)
    if g == p:
        return True
    units = _admin1_units()
    return bool(units.get(g, set()) & units.get(p, set()))


def country_code(name: str | None) -> str | None:
    """The ISO2 code of a country name in any of its packs' spellings, or None."""
    from .countries import fold_name, pack_by_name

    if not name:
        return None
    pack = pack_by_name(name)
    return pack.iso2 if pack else fold_name(name)


def same_country(gold: str | None, pred: str | None) -> bool:
    """Country names compared through the packs' names ("DR Congo" = "Democratic Republic of Congo")."""
    if not gold or not pred:
        return False
    return gold == pred or country_code(gold) == country_code(pred)


@lru_cache(maxsize=1)
def _actor_catalog():
    from .extract.actors import ActorCatalog

    return ActorCatalog()


_ERA = re.compile(r"\((\d{4})-(?:\d{4})?\)")


def _era_opened(name: str) -> str:
    """An actor name with its era written open-ended: ACLED closes an era when a new one begins
    ("Military Forces of Nigeria (2015-)" became "... (2015-2023)"), so exports of different
    years name the same actor both ways."""
    return _ERA.sub(lambda m: f"({m.group(1)}-)", name.strip())


def same_actor(gold: str | None, pred: str | None, country: str | None = None) -> bool:
    """Actor names compared as they are (an era by its first year), or through the actor catalog
    for gold coded in another dataset's names (GTD's "Islamic State of Iraq and the Levant (ISIL)"
    = "Islamic State (Iraq)", "Unknown" = "Unidentified Armed Group (Iraq)")."""
    if not gold or not pred:
        return (gold or "") == (pred or "")
    if gold == pred or _era_opened(gold) == _era_opened(pred):
        return True
    canonical = _actor_catalog().canonical(gold, country)
    return canonical is not None and _era_opened(canonical) == _era_opened(pred)


def distance_km(gold: dict, pred: dict) -> float | None:
    coords = [_num(gold.get("latitude")), _num(gold.get("longitude")), _num(pred.get("latitude")), _num(pred.get("longitude"))]
    if any(c is None for c in coords):
        return None
    return haversine_km(*coords)


def _agreement(gold: dict, pred: dict) -> float:
    score = 0.0
    if gold.get("event_date") and gold.get("event_date") == pred.get("event_date"):
        score += 3
    if gold.get("sub_event_type") and gold.get("sub_event_type") == pred.get("sub_event_type"):
        score += 2
    if gold.get("event_type") and gold.get("event_type") == pred.get("event_type"):
        score += 1
    km = distance_km(gold, pred)
    if km is not None and km <= 25:
        score += 2
    if same_admin1(gold.get("admin1"), pred.get("admin1")):
        score += 1
    if gold.get("actor1") and gold.get("actor1") == pred.get("actor1"):
        score += 1
    return score + float(pred.get("confidence") or 0) / 10


def pair_events(gold: list[dict], preds: list[dict]) -> list[tuple[dict, dict | None]]:
    """Pair each gold event with a distinct predicted event, best agreement first."""
    candidates = sorted(
        ((_agreement(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(preds)),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_g, used_p, pairs = set(), set(), {}
    for _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs[gi] = preds[pi]
    return [(g, pairs.get(i)) for i, g in enumerate(gold)]


def main_event(preds: list[dict]) -> dict | None:
    """The report's main event: the most confident one, the first of equals."""
    return max(preds, key=lambda p: float(p.get("confidence") or 0)) if preds else None


def weighted_f1(pairs: list[tuple[str, str]]) -> float | None:
    if not pairs:
        return None
    support = Counter(g for g, _ in pairs)
    predicted = Counter(p for _, p in pairs)
    hits = Counter(g for g, p in pairs if g == p)
    total = 0.0
    for label, count in support.items():
        precision = hits[label] / predicted[label] if predicted[label] else 0.0
        recall = hits[label] / count
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        total += f1 * count
    return total / len(pairs)


def fatalities_close(gold: int, pred: int) -> bool:
    return abs(gold - pred) <= max(1, 0.2 * gold)


def score(docs: list[dict], predictions: dict[str, list[dict]], seconds: float | None = None) -> dict:
    """Scores for gold documents against predicted events keyed by article id."""
    t: dict[str, Tally] = defaultdict(Tally)
    per_country: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    type_pairs: list[tuple[str, str]] = []
    sub_pairs: list[tuple[str, str]] = []
    confusion: dict[str, Counter] = defaultdict(Counter)
    n_gold = n_pred = matched = 0
    for doc in docs:
        gold = [g for g in doc.get("gold") or [] if isinstance(g, dict)]
        preds = predictions.get(str(doc["id"]), [])
        n_pred += len(preds)
        main = main_event(preds)
        scored_events = [g for g in gold if any(k in g for k in ("event_date", "latitude", "fatalities", "actor1", "event_type"))]
        hint = next((g for g in gold if "admin1_hint" in g), None)
        if hint is not None:
            wanted = hint["admin1_hint"]
            got = (main or {}).get("admin1", "")
            ok = same_admin1(wanted, got) or (fold(wanted) == fold("Damascus") and same_admin1("Rural Damascus", got))
            t["main event admin1 (hint)"].add(ok)
        # document-level type (CASE: [] is its own class "none")
        if not gold or all(g.get("event_type") for g in scored_events) and scored_events:
            gold_type = scored_events[0]["event_type"] if gold else NONE
            gold_sub = (scored_events[0].get("sub_event_type") or NONE) if gold else NONE
            pred_type = main["event_type"] if main else NONE
            pred_sub = main["sub_event_type"] if main else NONE
            t["event_type (main event)"].add(gold_type == pred_type)
            type_pairs.append((gold_type, pred_type))
            confusion[gold_type][pred_type] += 1
            if gold_sub != NONE or not gold:
                t["sub_event_type (main event)"].add(gold_sub == pred_sub)
                sub_pairs.append((gold_sub, pred_sub))
        if not gold:
            t["no-event docs left empty"].add(not preds)
        else:
            t["docs with an event detected"].add(bool(preds))
        n_gold += len(scored_events)
        doc_country = (doc.get("meta") or {}).get("country") if isinstance(doc.get("meta"), dict) else None
        for g, p in pair_events(scored_events, preds):
            matched += p is not None
            p = p or {}
            where = per_country[str(g.get("country") or doc_country or "?")]

            def add(name: str, ok: bool) -> None:
                t[name].add(ok)
                where[name].add(ok)

            where["events"].add(bool(p))
            if g.get("country"):
                add("country", same_country(g["country"], p.get("country")))
            if g.get("event_date"):
                add("event_date exact", g["event_date"] == p.get("event_date"))
            if g.get("event_type"):
                where["event_type"].add(g["event_type"] == p.get("event_type"))
            if g.get("admin1"):
                add("admin1", same_admin1(g["admin1"], p.get("admin1")))
            if _num(g.get("latitude")) is not None:
                km = distance_km(g, p)
                add("within 5 km", km is not None and km <= 5)
                add("within 25 km", km is not None and km <= 25)
            gf = _num(g.get("fatalities"))
            if gf is not None:
                pf = _num(p.get("fatalities")) if p else None
                add("fatalities exact", pf is not None and pf == gf)
                t["fatalities within 1"].add(pf is not None and abs(pf - gf) <= 1)
                t["fatalities within 1 or 20%"].add(pf is not None and fatalities_close(gf, pf))
            gi = _num(g.get("injured"))
            if gi is not None:
                pi = _num(p.get("injured")) if p else None
                t["injured exact"].add((pi or 0) == gi and bool(p))
            if g.get("actor1"):
                first = same_actor(g["actor1"], p.get("actor1"), g.get("country"))
                add("actor1", first)
                if g.get("actor2") is not None and "actor2" in g:
                    add("actor1 and actor2",
                        first and same_actor(g.get("actor2"), p.get("actor2"), g.get("country")))
    report: dict = {
        "documents": len(docs),
        "gold_events": n_gold,
        "predicted_events": n_pred,
        "events_per_doc": {"gold": round(n_gold / len(docs), 3) if docs else 0,
                           "predicted": round(n_pred / len(docs), 3) if docs else 0},
        "detection": {
            "recall": round(matched / n_gold, 4) if n_gold else None,
            "precision": round(matched / n_pred, 4) if n_pred and n_gold else None,
        },
        "fields": {name: {"correct": tally.correct, "total": tally.total, "rate": round(tally.rate, 4)}
                   for name, tally in t.items() if tally.total},
    }
    report["by_country"] = {
        name: {"events": fields["events"].total,
               **{field: {"correct": tally.correct, "total": tally.total, "rate": round(tally.rate, 4)}
                  for field, tally in fields.items() if field != "events" and tally.total}}
        for name, fields in sorted(per_country.items())
    }
    if sub_pairs:
        report["sub_event_type_weighted_f1"] = round(weighted_f1(sub_pairs), 4)
    if len({g for g, _ in type_pairs}) > 1:
        report["event_type_confusion"] = {g: dict(c) for g, c in sorted(confusion.items())}
    if seconds is not None:
        report["seconds"] = round(seconds, 2)
        report["ms_per_doc"] = round(1000 * seconds / len(docs), 2) if docs else None
    return report


def evaluate_file(gold_path: Path, pred_path: Path | None = None, limit: int | None = None,
                  since=None, progress: Callable | None = None) -> dict:
    """Score a gold file; without ``pred_path`` the extractor codes the gold texts itself."""
    docs = [d for d in load_jsonl(gold_path, "gold file") if "id" in d and isinstance(d.get("text"), str)]
    if not docs:
        raise EvaluationError(f"{gold_path}: no documents with 'id' and 'text'")
    if since is not None:
        docs = [d for d in docs if d.get("published") and str(d["published"])[:10] >= since.isoformat()]
    if limit is not None:
        docs = docs[:limit]
    predictions: dict[str, list[dict]] = defaultdict(list)
    seconds = None
    if pred_path is not None:
        for event in load_jsonl(pred_path, "predictions file"):
            predictions[str(event.get("article_id", ""))].append(event)
    else:
        from .pipeline import Extractor

        extractor = Extractor()
        articles = [Article(id=str(d["id"]), text=d["text"], published=(d.get("published") or None),
                            source=d.get("source") or "") for d in docs]
        started = time.perf_counter()
        bar = progress(len(articles), True) if progress else None
        if bar:
            bar.start()
            task = bar.add_task(f"coding {gold_path.name}", total=len(articles))
        for outcome in extractor.run(articles):
            predictions[outcome.article.id] = [e.record() for e in outcome.events]
            if bar:
                bar.advance(task)
        if bar:
            bar.stop()
        seconds = time.perf_counter() - started
    report = score(docs, predictions, seconds)
    report["gold"] = str(gold_path)
    return report


# (field, short column header) of the per-country table
BY_COUNTRY_COLUMNS = (("country", "country"), ("event_date exact", "date"), ("event_type", "type"),
                      ("admin1", "admin1"), ("within 25 km", "25 km"), ("fatalities exact", "fatal."),
                      ("actor1", "actor1"), ("actor1 and actor2", "actors"))


def render_by_country(report: dict, console) -> None:
    """One row per gold country: its events and the main figures."""
    from rich.table import Table

    rows = report.get("by_country") or {}
    columns = [(f, h) for f, h in BY_COUNTRY_COLUMNS if any(f in r for r in rows.values())]
    table = Table(title="by gold country (% of its gold events)")
    table.add_column("gold country", no_wrap=True)
    table.add_column("events", justify="right", no_wrap=True)
    for _, header in columns:
        table.add_column(header, justify="right", no_wrap=True)
    for name, row in rows.items():
        table.add_row(name, str(row["events"]),
                      *[f"{100 * row[f]['rate']:.0f}" if f in row else "" for f, _ in columns])
    console.print(table)


def render_table(report: dict, console) -> None:
    from rich.table import Table

    table = Table(title=f"{report['gold']}: {report['documents']} documents")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("of", justify="right")
    table.add_row("gold / predicted events", f"{report['gold_events']} / {report['predicted_events']}", "")
    per = report["events_per_doc"]
    table.add_row("events per doc (gold / predicted)", f"{per['gold']} / {per['predicted']}", "")
    for name, value in report["detection"].items():
        table.add_row(f"detection {name}", "-" if value is None else f"{100 * value:.1f}%", "")
    for name, f in report["fields"].items():
        table.add_row(name, f"{100 * f['rate']:.1f}%", f"{f['correct']}/{f['total']}")
    if "sub_event_type_weighted_f1" in report:
        table.add_row("sub_event_type weighted F1", f"{100 * report['sub_event_type_weighted_f1']:.1f}%", "")
    if report.get("ms_per_doc") is not None:
        table.add_row("time per document", f"{report['ms_per_doc']} ms", "")
    console.print(table)
    if "event_type_confusion" in report:
        confusion = report["event_type_confusion"]
        labels = sorted(set(confusion) | {p for row in confusion.values() for p in row})
        matrix = Table(title="event_type confusion (rows gold, columns predicted)")
        matrix.add_column("gold")
        for label in labels:
            matrix.add_column(label[:12], justify="right")
        for g in labels:
            matrix.add_row(g, *[str(confusion.get(g, {}).get(p, "")) for p in labels])
        console.print(matrix)
