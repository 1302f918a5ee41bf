"""Long texts -> pieces that keep sentences whole, so that no Doc outgrows spaCy's limits.

``split_text(text, max_chars)`` cuts ``text`` into consecutive pieces of at most ``max_chars``
characters whose concatenation is ``text``: each cut falls after a paragraph break if the window
has one in its second half, else after a sentence end (``.``, ``!`` or ``?``, closing quotes or
brackets, then white space), else at white space, and only as a last resort inside a word.
Each piece comes with its offset in ``text``, so character spans found in a piece map back by
adding it (``shift_event``).
"""
from __future__ import annotations

import re

from .schema import Event

MAX_CHARS = 20_000  # longer than nearly every news report; the coding stages cost more than linearly per Doc
PIECES_IN_FLIGHT = 4  # pieces of a long article parsed together (memory: about 50 MB each)
BATCH_CHARS = PIECES_IN_FLIGHT * MAX_CHARS  # at most this many characters parsed in one nlp.pipe call
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")


def split_text(text: str, max_chars: int = MAX_CHARS) -> list[tuple[int, str]]:
    """``[(offset, piece), ...]`` covering ``text`` in order, each piece at most ``max_chars`` long."""
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > max_chars:
        window = text[start:start + max_chars]
        cut = _cut(window)
        pieces.append((start, text[start:start + cut]))
        start += cut
    if start < len(text) or not pieces:
        pieces.append((start, text[start:]))
    return pieces


def _cut(window: str) -> int:
    """Where to end a piece of ``window`` (which is full): a length in 1..len(window)."""
    half = len(window) // 2
    paragraph = window.rfind("\n\n", half)
    if paragraph != -1:
        return paragraph + 2
    last = None
    for last in _SENTENCE_END.finditer(window, half):
        pass
    if last is not None and last.end() < len(window):
        return last.end()
    if last is not None:  # the sentence end's white space runs to the window's end
        return last.start() + 1
    space = max(window.rfind(" ", half), window.rfind("\n", half))
    return space + 1 if space != -1 else len(window)


def shift_event(event: Event, offset: int) -> Event:
    """``event`` with its evidence and claim spans moved by ``offset`` characters."""
    if not offset:
        return event
    event = event.model_copy(deep=True)
    for spans in event.evidence.values():
        for span in spans:
            span.start += offset
            span.end += offset
    for claim in event.claims:
        if claim.start is not None:
            claim.start += offset
        if claim.end is not None:
            claim.end += offset
    return event
