"""Long texts are split into pieces that keep sentences whole; a long article is coded piece by piece
with its evidence still pointing into the whole text."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from eventcoder import chunking
from eventcoder.chunking import split_text

SENTENCES = ["Shells hit the old market on Monday.", "Two people died!", "Was the road open?", "\n\n", " ",
             "A long word" + "x" * 40, "\u201cWe ran,\u201d she said."]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SENTENCES) | st.text(max_size=30), max_size=80), st.integers(1, 200))
def test_pieces_cover_the_text_in_order_within_the_limit(parts, limit):
    text = " ".join(parts)
    pieces = split_text(text, limit)
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= limit for _, p in pieces)
    assert all(text[o:o + len(p)] == p for o, p in pieces)


def test_cuts_fall_after_sentences_when_there_are_any():
    text = " ".join(f"Sentence number {i} ends here." for i in range(200))
    for _, piece in split_text(text, 300)[:-1]:
        assert piece.rstrip().endswith("."), piece[-30:]


def test_a_long_article_is_coded_in_pieces_with_true_spans(monkeypatch):
    from eventcoder import pipeline
    from eventcoder.schema import Article

    text = " ".join(f"On Monday, gunmen killed {n} civilians in the town of Jasim in Daraa province, "
                    f"a local monitor said. Residents fled the area." for n in range(2, 12))
    monkeypatch.setattr(pipeline, "MAX_CHARS", 300)
    article = Article(id="long", text=text, published="2022-10-20")
    outcome = list(pipeline.Extractor().run([article]))[0]
    assert outcome.error is None and outcome.events
    for event in outcome.events:
        assert event.article_id == "long"
        for spans in event.evidence.values():
            for span in spans:
                assert text[span.start:span.end] == span.text
    assert chunking.MAX_CHARS >= 10_000  # ordinary reports are never split
