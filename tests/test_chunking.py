"""Long texts: cut into pieces that keep sentences whole; coded piece by piece in linear cost."""
from __future__ import annotations

from eventcoder import pipeline
from eventcoder.chunking import split_text
from eventcoder.schema import Article

SENTENCE = "The council met on Monday to discuss the new budget for schools and roads. "


def test_pieces_cover_the_text_and_keep_sentences_whole():
    text = SENTENCE * 50
    pieces = split_text(text, 500)
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= 500 for _, piece in pieces)
    assert all(piece.endswith(". ") for _, piece in pieces)
    assert [offset for offset, _ in pieces] == [sum(len(p) for _, p in pieces[:i]) for i in range(len(pieces))]


def test_a_long_article_is_coded_in_pieces_with_spans_into_the_whole_text(monkeypatch):
    event_text = "Gunmen killed three farmers in Jasim on Tuesday, local sources said. "
    text = SENTENCE * 12 + event_text + SENTENCE * 12
    monkeypatch.setattr(pipeline, "MAX_CHARS", 400)
    extractor = pipeline.Extractor()
    [outcome] = extractor.run([Article(id="long", text=text, published="2024-03-07")])
    assert outcome.error is None
    assert outcome.events, "the event in the middle of the text is found"
    for event in outcome.events:
        for spans in event.evidence.values():
            for span in spans:
                assert text[span.start:span.end] == span.text
