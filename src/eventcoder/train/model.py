"""The learned model: an event type / sub-event type classifier and an actor alias table.

A model is a folder (MODEL_DIR) with
  ``model.json``      labels, settings, label counts, cross-validated figures, data hash, version;
  ``classifier.joblib`` the fitted tf-idf vectorisers and linear classifiers (scikit-learn);
  ``actors.json``     the alias table learned from the coding: per country, which words of the
                      notes the analysts coded as which actor, and how the rules' actor names are
                      spelt in the analysts' coding ("Military Forces of X" -> "... (2014-)").

Loading never needs the training data. Only load models you trust: ``classifier.joblib`` is a
pickle.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

NONE = "none"          # the class of texts that report no ACLED event
FORMAT = 1


class ModelError(Exception):
    """A model folder that is missing, incomplete or of another format."""


@dataclass
class Prediction:
    event_type: str
    sub_event_type: str | None
    margin: float          # the classifier's decision value for the chosen event type


@dataclass
class AliasTable:
    """Actor names learned from the coding.

    ``aliases``: country -> list of {"alias", "actor", "inter"}; ``renames``: country -> {rule name:
    analyst name}."""

    aliases: dict[str, list[dict]] = field(default_factory=dict)
    renames: dict[str, dict[str, str]] = field(default_factory=dict)

    def for_country(self, country: str | None) -> list[tuple[str, str, int, bool]]:
        """(alias, actor, inter, local) for a report on ``country``: its own aliases first, then
        the other countries' (a name coded elsewhere is still that actor)."""
        out = [(a["alias"], a["actor"], int(a.get("inter") or 2), True) for a in self.aliases.get(country or "", [])]
        for other, rows in sorted(self.aliases.items()):
            if other != country:
                out += [(a["alias"], a["actor"], int(a.get("inter") or 2), False) for a in rows]
        return out

    def rename(self, name: str, country: str | None) -> str:
        if not name:
            return name
        own = self.renames.get(country or "", {})
        return own.get(name) or self.renames.get("*", {}).get(name, name)

    def to_json(self) -> dict:
        return {"aliases": self.aliases, "renames": self.renames}

    @classmethod
    def from_json(cls, data: dict) -> "AliasTable":
        return cls(aliases=data.get("aliases") or {}, renames=data.get("renames") or {})


class TypeClassifier:
    """tf-idf word and character n-grams of the text, plus the rules' own type as a feature,
    into two linear SVMs: one for the event type (with ``none``), one for the sub-event type."""

    def __init__(self, parents: dict[str, str], c: float = 0.5):
        self.parents = parents          # sub-event type -> event type (the taxonomy)
        self.c = c
        self.words = self.chars = self.rules = None
        self.types = self.subs = None

    # -- features
    @staticmethod
    def _rule_features(rule_type: str | None, rule_sub: str | None) -> dict:
        return {f"type={rule_type or NONE}": 1, f"sub={rule_sub or NONE}": 1}

    def _matrix(self, texts: list[str], rules: list[tuple[str | None, str | None]], fit: bool = False):
        from scipy.sparse import hstack

        if fit:
            from sklearn.feature_extraction import DictVectorizer
            from sklearn.feature_extraction.text import TfidfVectorizer

            self.words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
            self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                         sublinear_tf=True, max_features=200_000)
            self.rules = DictVectorizer()
            parts = [self.words.fit_transform(texts), self.chars.fit_transform(texts),
                     self.rules.fit_transform([self._rule_features(*r) for r in rules])]
        else:
            parts = [self.words.transform(texts), self.chars.transform(texts),
                     self.rules.transform([self._rule_features(*r) for r in rules])]
        return hstack(parts).tocsr()

    def fit(self, texts: list[str], rules: list[tuple], types: list[str], subs: list[str | None]) -> "TypeClassifier":
        from sklearn.svm import LinearSVC

        x = self._matrix(texts, rules, fit=True)
        self.types = LinearSVC(C=self.c, class_weight="balanced").fit(x, types)
        keep = [i for i, s in enumerate(subs) if s]
        if len({subs[i] for i in keep}) >= 2:
            self.subs = LinearSVC(C=self.c, class_weight="balanced").fit(x[keep], [subs[i] for i in keep])
        return self

    def predict(self, texts: list[str], rules: list[tuple]) -> list[Prediction]:
        """The event type and a sub-event type of that type for each text."""
        if not texts:
            return []
        import sklearn

        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            x = self._matrix(texts, rules)
            type_scores = _scores(self.types, x)
            sub_scores = _scores(self.subs, x) if self.subs is not None else None
        out = []
        for i in range(len(texts)):
            t_labels, t_row = self.types.classes_, type_scores[i]
            best = max(range(len(t_labels)), key=lambda j: t_row[j])
            event_type = str(t_labels[best])
            sub = NONE if event_type == NONE else None
            if sub_scores is not None and event_type != NONE:
                s_labels, s_row = self.subs.classes_, sub_scores[i]
                fits = [j for j in range(len(s_labels)) if self.parents.get(str(s_labels[j])) == event_type]
                if fits:
                    sub = str(s_labels[max(fits, key=lambda j: s_row[j])])
            out.append(Prediction(event_type, sub, float(t_row[best])))
        return out


def _scores(clf, x):
    import numpy as np

    scores = clf.decision_function(x)
    if scores.ndim == 1:                     # two classes: one column, positive = classes_[1]
        scores = np.stack([-scores, scores], axis=1)
    return scores


@dataclass
class Model:
    """What ``eventcoder train`` learned; see the module docstring for the folder's files."""

    classifier: TypeClassifier
    actors: AliasTable
    meta: dict

    def save(self, folder: Path) -> None:
        import joblib

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        joblib.dump(self.classifier, folder / "classifier.joblib", compress=3)
        (folder / "actors.json").write_text(json.dumps(self.actors.to_json(), indent=1, ensure_ascii=False), encoding="utf-8")
        (folder / "model.json").write_text(json.dumps({"format": FORMAT, **self.meta}, indent=2, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path | str) -> "Model":
        folder = Path(folder)
        if not folder.is_dir():
            raise ModelError(f"model {folder}: no such folder")
        paths = {name: folder / name for name in ("model.json", "classifier.joblib", "actors.json")}
        missing = [name for name, path in paths.items() if not path.is_file()]
        if missing:
            raise ModelError(f"model {folder}: missing {', '.join(missing)} (not a folder written by eventcoder train)")
        try:
            meta = json.loads(paths["model.json"].read_text(encoding="utf-8"))
            actors = AliasTable.from_json(json.loads(paths["actors.json"].read_text(encoding="utf-8")))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ModelError(f"model {folder}: unreadable JSON ({exc})") from None
        if meta.get("format") != FORMAT:
            raise ModelError(f"model {folder}: format {meta.get('format')!r}, this eventcoder reads format {FORMAT}")
        try:
            import joblib

            classifier = joblib.load(paths["classifier.joblib"])
        except Exception as exc:  # a corrupt or foreign pickle: report, never a traceback
            raise ModelError(f"model {folder}: cannot load classifier.joblib ({type(exc).__name__}: {exc})") from None
        if not isinstance(classifier, TypeClassifier):
            raise ModelError(f"model {folder}: classifier.joblib is not an eventcoder classifier")
        return cls(classifier, actors, meta)
