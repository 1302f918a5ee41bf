"""Casualty figures in a sentence, under ACLED's counting rules (STUB: numbers helper)."""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span


@dataclass
class Figure:
    kind: str          # "killed" | "injured"
    best: int          # ACLED's conservative figure ("at least 18" -> 18, "dozens" -> 12)
    low: int
    high: int | None   # None: open-ended ("over 27")
    start: int         # absolute char span in doc.text of the phrase supporting it
    end: int
    text: str
    exact: bool = True  # False for vague quantities and implied deaths


def find_figures(span: Span) -> list[Figure]:
    raise NotImplementedError
