"""Event mentions and their ACLED event type / sub-event type (STUB: owned by the typing helper)."""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span


@dataclass
class Trigger:
    """One event mention: the words that say something happened, typed under ACLED's taxonomy.

    Character offsets are absolute offsets into ``doc.text``.
    """

    event_type: str
    sub_event_type: str
    start: int            # trigger words, e.g. "clashed", "car bomb", "protested"
    end: int
    text: str
    sent: Span            # the sentence holding the trigger
    clause_start: int     # the clause the mention covers (defaults to the sentence)
    clause_end: int
    score: float = 1.0    # 0..1, how sure the typer is
    evidence: list[tuple[int, int]] = field(default_factory=list)  # spans supporting the type


class EventTyper:
    """Finds event mentions in a Doc and types them. Non-events (disasters, crime without a
    political actor, diplomacy, sport...) produce no Trigger."""

    def __init__(self, taxonomy_path=None):
        self.taxonomy_path = taxonomy_path

    def find(self, doc: Doc) -> list[Trigger]:
        raise NotImplementedError

    def disorder_type(self, event_type: str) -> str:
        raise NotImplementedError
