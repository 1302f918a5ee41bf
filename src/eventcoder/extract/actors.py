"""Actors of an event mention in ACLED's naming style (STUB: owned by the actors helper)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .typing import Trigger


@dataclass
class ActorCoding:
    actor1: str = ""
    assoc_actor_1: list[str] = field(default_factory=list)
    inter1: int | None = None
    actor2: str = ""
    assoc_actor_2: list[str] = field(default_factory=list)
    inter2: int | None = None
    interaction: int | None = None
    civilian_targeting: bool = False
    # field name ("actor1", "actor2", "assoc_actor_1", ...) -> absolute char spans in doc.text
    evidence: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


class ActorCoder:
    def __init__(self, actors_dir=None):
        self.actors_dir = actors_dir

    def code(self, trigger: Trigger, country: str | None) -> ActorCoding:
        raise NotImplementedError
