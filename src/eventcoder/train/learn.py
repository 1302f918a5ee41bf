"""Fitting a model to coded data, and k-fold cross-validation of it.

Training runs the rules once over the coded texts: their type for each text is a feature of the
classifier (so it learns where the rules are right), and their actor names, paired with the
analysts' coding, give the spelling table. Cross-validation codes each fold with a model fitted
on the other folds and scores it with ``eventcoder evaluate``'s scorer.
"""
from __future__ import annotations

import hashlib
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ..version import __version__
from .coded import CodedData, CodedDoc, taxonomy
from .model import NONE, AliasTable, Model, TypeClassifier

_WORD = re.compile(r"[A-Za-z0-9][\w'/-]*")
_PAREN = re.compile(r"\([^)]*\)")
ACTOR_FIELDS = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")
MAX_NGRAM = 4


@dataclass
class RuleView:
    """What the rules alone made of one coded text: the main event's type and actors."""

    event_type: str | None
    sub_event_type: str | None
    country: str | None
    actor1: str = ""
    inter1: int | None = None
    actor2: str = ""
    inter2: int | None = None


def data_hash(docs: list[CodedDoc]) -> str:
    digest = hashlib.sha256()
    for doc in docs:
        digest.update(doc.text.encode("utf-8"))
        digest.update(repr([(e.get("event_type"), e.get("sub_event_type"), e.get("actor1"), e.get("actor2"))
                            for e in doc.events]).encode("utf-8"))
    return digest.hexdigest()[:16]


def run_rules(docs: list[CodedDoc], extractor, tick: Callable[[], None] | None = None) -> list[RuleView]:
    """The rules' main event for every coded text (the extractor must carry no model)."""
    from ..schema import Article

    articles = [Article(id=str(i), text=d.text, published=d.published, source="") for i, d in enumerate(docs)]
    views: list[RuleView] = [RuleView(None, None, None)] * len(docs)
    for outcome in extractor.run(articles):
        events = outcome.events
        if events:
            main = max(events, key=lambda e: e.confidence or 0)
            views[int(outcome.article.id)] = RuleView(main.event_type, main.sub_event_type, main.country or None,
                                                      main.actor1, main.inter1, main.actor2, main.inter2)
        if tick:
            tick()
    return views


def fit(docs: list[CodedDoc], views: list[RuleView], c: float = 0.5) -> tuple[TypeClassifier, AliasTable]:
    parents = taxonomy()
    texts = [d.text for d in docs]
    rules = [(v.event_type, v.sub_event_type) for v in views]
    types = [d.event_type for d in docs]
    subs = [d.sub_event_type for d in docs]
    classifier = TypeClassifier(parents, c=c).fit(texts, rules, types, subs)
    return classifier, learn_actors(docs, views)


# ------------------------------------------------------------------------------------- actors
def _name_words(name: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(_PAREN.sub(" ", name))}


def _compatible(rule_name: str, coded: str) -> bool:
    """The analysts' name is the rules' name spelt their way ("... of Afghanistan" -> "... of
    Afghanistan (2014-)", "of Philippines" -> "of the Philippines (2016-)")."""
    a = {w.lower() for w in _WORD.findall(rule_name)} - {"the"}
    b = {w.lower() for w in _WORD.findall(coded)}
    return bool(a) and a <= b and rule_name != coded


def learn_actors(docs: list[CodedDoc], views: list[RuleView], min_share: float = 0.5) -> AliasTable:
    """Aliases: capitalised word sequences of the notes made only of words of the name the
    analysts coded in that note ("Boko Haram", "Arakan Army", "NAF", "Protesters"), kept when
    most notes of that country holding them code that actor. Renames: the rules' actor names
    and the coded names they pair with, when the coded name is the same name spelt fuller."""
    inter_votes: dict[str, Counter] = defaultdict(Counter)
    spell: dict[str, Counter] = defaultdict(Counter)
    holds: dict[str, Counter] = defaultdict(Counter)                     # country -> n-gram -> docs
    codes: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for doc, view in zip(docs, views):
        country = doc.country or ""
        names: set[str] = set()
        for event in doc.events:
            for key in ACTOR_FIELDS:
                value = event.get(key)
                for name in (value if isinstance(value, list) else str(value or "").split(";")):
                    name = name.strip()
                    if name and name.lower() not in ("none", "nan", "unknown"):
                        names.add(name)
            for key, inter_key in (("actor1", "inter1"), ("actor2", "inter2")):
                if event.get(key) and str(event.get(inter_key) or "").isdigit():
                    inter_votes[event[key]][int(event[inter_key])] += 1
        if doc.events:
            gold = doc.events[0]
            for mine, inter, key in ((view.actor1, view.inter1, "actor1"), (view.actor2, view.inter2, "actor2")):
                coded = gold.get(key)
                if mine and coded and (coded == mine or _compatible(mine, coded)):
                    spell[mine][coded] += 1       # the rules' own name counts against renaming it
                    if inter:
                        inter_votes[coded][inter] += 1
        grams = _capitalised_ngrams(doc.text)
        for gram in grams:
            holds[country][gram] += 1
        for name in names:
            words = _name_words(name)
            for gram in grams:
                if set(gram.split()) <= words:
                    codes[country][gram][name] += 1
    aliases: dict[str, list[dict]] = {}
    for country, grams in sorted(codes.items()):
        rows = []
        for gram, names in sorted(grams.items()):
            name, hits = names.most_common(1)[0]
            single = " " not in gram and "/" not in gram
            if hits < (2 if single else 1) or hits / holds[country][gram] < min_share:
                continue
            inter = inter_votes[name].most_common(1)[0][0] if inter_votes[name] else None
            rows.append({"alias": gram, "actor": name, "inter": inter, "count": hits})
        if rows and country:
            aliases[country] = rows
    renames = {"*": {mine: coded.most_common(1)[0][0] for mine, coded in sorted(spell.items())
                     if coded.most_common(1)[0][1] >= 2 and coded.most_common(1)[0][0] != mine}}
    return AliasTable(aliases=aliases, renames=renames)


def _capitalised_ngrams(text: str) -> set[str]:
    """Lower-cased runs of 1..4 capitalised words (or acronyms) of a text."""
    words = _WORD.findall(text)
    out = set()
    for i, word in enumerate(words):
        if not word[0].isupper():
            continue
        for n in range(1, MAX_NGRAM + 1):
            run = words[i:i + n]
            if len(run) < n or not run[-1][0].isupper():
                break
            gram = " ".join(w.lower() for w in run)
            if len(gram) > 2:
                out.add(gram)
    return out


# ------------------------------------------------------------------------------------ training
def train(data: CodedData, extractor, c: float = 0.5, tick=None, views: list[RuleView] | None = None) -> Model:
    """Fit the classifier and the actor table to all of ``data`` (``views``: a rules pass already made)."""
    started, cpu = time.perf_counter(), time.process_time()
    views = views if views is not None else run_rules(data.docs, extractor, tick)
    classifier, actors = fit(data.docs, views, c=c)
    meta = {
        "eventcoder_version": __version__,
        "data_hash": data_hash(data.docs),
        "files": data.files,
        "documents": len(data.docs),
        "skipped_empty_notes": data.skipped_empty,
        "skipped_untyped": data.untyped,
        "labels": {"event_type": [str(x) for x in classifier.types.classes_],
                   "sub_event_type": [str(x) for x in classifier.subs.classes_] if classifier.subs is not None else []},
        "label_counts": data.label_counts(),
        "settings": {"c": c, "short_text": 1000, "drop_margin": 0.5, "add_margin": 0.0},
        "learned_aliases": sum(len(v) for v in actors.aliases.values()),
        "learned_renames": sum(len(v) for v in actors.renames.values()),
        "seconds": round(time.perf_counter() - started, 1),
        "cpu_seconds": round(time.process_time() - cpu, 1),
        "library": _library(),
    }
    return Model(classifier, actors, meta)


def _library() -> str:
    import sklearn

    return f"scikit-learn {sklearn.__version__} (LinearSVC over tf-idf word 1-2 and char 2-5 n-grams + the rules' type)"


def cross_validate(data: CodedData, extractor, k: int = 5, c: float = 0.5, seed: int = 0,
                   tick=None, report=None, views: list[RuleView] | None = None) -> dict:
    """k-fold figures: each fold coded by a model fitted on the others and scored per input file.

    Returns {"folds": [{file: scores}], "pooled": {file: scores}} with ``evaluate``'s scores.
    """
    import random

    from ..evaluate import score
    from ..extract.actors import ActorCoder
    from ..extract.classify import LearnedActors, ModelTyper
    from ..schema import Article

    views = views if views is not None else run_rules(data.docs, extractor, tick)
    order = list(range(len(data.docs)))
    random.Random(seed).shuffle(order)
    fold_of = {i: n % k for n, i in enumerate(order)}
    predictions: dict[str, list[dict]] = {}
    folds = []
    for fold in range(k):
        train_idx = [i for i in range(len(data.docs)) if fold_of[i] != fold]
        test_idx = [i for i in range(len(data.docs)) if fold_of[i] == fold]
        classifier, actors = fit([data.docs[i] for i in train_idx], [views[i] for i in train_idx], c=c)
        model = Model(classifier, actors, {"settings": {"short_text": 1000, "drop_margin": 0.5, "add_margin": 0.0}})
        extractor.model_typer = ModelTyper(model)
        extractor.actors = ActorCoder(learned=LearnedActors(model))
        articles = [Article(id=str(i), text=data.docs[i].text, published=data.docs[i].published, source="")
                    for i in test_idx]
        fold_preds: dict[str, list[dict]] = {}
        for outcome in extractor.run(articles):
            fold_preds[outcome.article.id] = [e.record() for e in outcome.events]
            if tick:
                tick()
        predictions.update(fold_preds)
        scores = _score_by_file(data, test_idx, fold_preds, score)
        folds.append(scores)
        if report:
            report(fold, scores)
    extractor.model_typer = None
    extractor.actors = ActorCoder()
    return {"folds": folds, "pooled": _score_by_file(data, range(len(data.docs)), predictions, score)}


def _score_by_file(data: CodedData, indices, predictions, score) -> dict:
    by_file: dict[str, list[dict]] = defaultdict(list)
    for i in indices:
        doc = data.docs[i]
        by_file[doc.source].append(
            {"id": str(i), "text": doc.text, "published": doc.published, "gold": doc.events})
    return {name: score(rows, predictions) for name, rows in sorted(by_file.items())}
