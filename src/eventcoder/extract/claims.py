"""Who makes a claim: "according to SOHR", "the center claimed" (STUB: numbers helper)."""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span


@dataclass
class Claimant:
    name: str
    start: int
    end: int


def find_claimant(span: Span) -> Claimant | None:
    raise NotImplementedError
