"""Who makes a claim: "according to SOHR", "the center claimed that", "state media said".

`find_claimant(span)` returns the source a sentence attributes its report to, named as written
(leading articles stripped, trailing place modifiers such as "in Syria" dropped):
"the Russian Reconciliation Center in Syria claimed that ..." -> "Russian Reconciliation Center".
Cue words live in data/claimants.yaml. Responsibility claims ("ISIL claimed responsibility")
are perpetrator claims, not sources of a report: they are ignored here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from spacy.tokens import Span, Token

from ..nlp import text_of


@dataclass
class Claimant:
    name: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _lex() -> dict:
    text = resources.files("eventcoder").joinpath("data", "claimants.yaml").read_text(encoding="utf-8")
    lex = yaml.safe_load(text)
    lex["reporting_verbs"] = set(lex["reporting_verbs"])
    lex["statement_nouns"] = set(lex["statement_nouns"])
    lex["strip_leading"] = set(lex["strip_leading"])
    lex["not_claimants"] = set(lex["not_claimants"])
    lex["prep_re"] = re.compile(
        r"\b(?:" + "|".join(re.escape(p) for p in sorted(lex["prepositions"], key=len, reverse=True))
        + r")\s+", re.I)
    return lex


_NAME_DEPS = {"compound", "amod", "det", "poss", "nmod", "case", "punct", "nummod", "npadvmod"}


def _name_tokens(head: Token) -> list[Token]:
    """The name phrase around a head noun: its left modifiers, the head, and "of/for X" parts
    of a proper name ("Syrian Observatory for Human Rights"); not "in Syria" or clauses."""
    left = [t for t in head.subtree if t.i < head.i]
    # keep only the contiguous left part built of name-like modifiers
    keep: list[Token] = []
    for t in reversed(left):
        if t.i != (keep[0].i if keep else head.i) - 1:
            break
        if t.dep_ in _NAME_DEPS or t.head.dep_ in _NAME_DEPS | {"poss"}:
            if t.text in (",", "“", "”", '"'):
                break
            keep.insert(0, t)
        else:
            break
    toks = keep + [head]
    # "of"/"for" + capitalised words inside a proper name
    if head.text[:1].isupper():
        for prep in (c for c in head.children if c.dep_ == "prep" and c.i > head.i):
            if prep.text.lower() in ("of", "for") and prep.i == toks[-1].i + 1:
                pobj = [t for t in prep.subtree]
                if pobj and all(t.text[:1].isupper() or t.dep_ in ("prep", "cc") or t.text.lower() in ("of", "for", "and")
                                for t in pobj[1:]):
                    toks.extend(pobj)
    # strip leading articles/pronouns
    lex = _lex()
    while toks and toks[0].text.lower() in lex["strip_leading"]:
        toks = toks[1:]
    return toks


def _make(toks: list[Token]) -> Claimant | None:
    if not toks:
        return None
    doc = toks[0].doc
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    name = text_of(doc)[start:end].strip(" ,")
    if not name or name.lower() in _lex()["not_claimants"]:
        return None
    return Claimant(name=name, start=start, end=end)


def _by_preposition(span: Span) -> Claimant | None:
    lex = _lex()
    doc = span.doc
    for m in lex["prep_re"].finditer(span.text):
        at = span.start_char + m.end()
        tok = next((t for t in span if t.idx >= at), None)
        if tok is None:
            continue
        # climb to the head noun of the phrase that starts here
        head = tok
        while head.head is not head and head.head.i > head.i and head.dep_ in _NAME_DEPS:
            head = head.head
        if head.pos_ not in ("NOUN", "PROPN"):
            # parser missed the phrase: take the run of capitalised words / nouns
            run = []
            for t in doc[tok.i:span.end]:
                if t.pos_ in ("PROPN", "NOUN", "ADJ", "DET") or (t.text.lower() in ("of", "for") and run):
                    run.append(t)
                else:
                    break
            while run and run[-1].text.lower() in ("of", "for"):
                run.pop()
            c = _make([t for t in run if t.text.lower() not in lex["strip_leading"] or t is not run[0]])
            if c:
                return c
            continue
        c = _make(_name_tokens(head))
        if c:
            return c
    return None


def _by_verb(span: Span) -> Claimant | None:
    lex = _lex()
    for t in span:
        if t.pos_ not in ("VERB", "AUX") or t.lemma_.lower() not in lex["reporting_verbs"]:
            continue
        kids = list(t.children)
        if any(c.dep_ == "dobj" and c.lemma_.lower() in ("responsibility", "control") for c in kids):
            continue
        has_content = any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in kids) or t.dep_ in ("ROOT", "parataxis") \
            or any(c.lower_ == "that" for c in kids)
        if not has_content:
            continue
        subj = next((c for c in kids if c.dep_ == "nsubj"), None)
        if subj is None:
            # "..., the center's deputy director said" parsed with the subject as agent
            subj = next((c for c in kids if c.dep_ == "agent"), None)
            if subj is not None:
                subj = next((c for c in subj.children if c.dep_ == "pobj"), None)
        if subj is None or subj.pos_ == "PRON" or subj.lower_ in lex["not_claimants"]:
            continue
        c = _make(_name_tokens(subj))
        if c:
            return c
    # "a statement by X", "X's statement"
    for t in span:
        if t.lower_ in lex["statement_nouns"]:
            by = next((c for c in t.children if c.dep_ == "prep" and c.lower_ in ("by", "from", "of")), None)
            if by is not None:
                pobj = next((c for c in by.children if c.dep_ == "pobj"), None)
                if pobj is not None and pobj.pos_ == "PROPN":
                    c = _make(_name_tokens(pobj))
                    if c:
                        return c
    return None


def find_claimant(span: Span) -> Claimant | None:
    """Who the sentence attributes its report to, or None.

    Args:
        span: a sentence or clause of a Doc from `eventcoder.nlp.load_nlp()`.
    Returns:
        Claimant(name as written, absolute char start/end in doc.text), or None.
    """
    return _by_preposition(span) or _by_verb(span)
