"""Article structure: headline, dateline, lead, quotes, background (texts written for these tests)."""
from eventcoder.extract.article import read_structure

REPORT = (
    "Market attack leaves seven dead in river town\n\n"
    "HARBOURVILLE, Northland (Coast Wire) — Gunmen opened fire on a busy market on Tuesday, police said.\n\n"
    "\"We heard the shooting and everybody ran for the doors,\" a fruit seller told reporters.\n\n"
    "Separately on Tuesday, a roadside bomb wounded two soldiers on the northern highway.\n\n"
    "Since 2019, raids on the province's markets have become a grim routine for traders.\n"
)


def test_headline_lead_and_body():
    s = read_structure(REPORT, "Market attack leaves seven dead in river town")
    assert s.news
    assert [p.role for p in s.paragraphs] == ["title", "lead", "body", "body", "body"]
    assert s.in_title(REPORT.index("seven"))
    assert not s.in_title(REPORT.index("Gunmen"))


def test_dateline_place_agency_and_separator():
    s = read_structure(REPORT)
    assert s.dateline is not None
    start, end = s.dateline.place
    assert REPORT[start:end] == "HARBOURVILLE"
    assert s.dateline.agency == "Coast Wire"
    assert s.in_dateline(REPORT.index("Northland"))
    assert not s.in_dateline(REPORT.index("Gunmen"))


def test_dateline_with_a_day_and_a_colon():
    text = "Title line here\n\nPORT ELLEN, March 3 — Troops moved in.\n\nMore text follows."
    s = read_structure(text)
    assert s.dateline is not None and s.dateline.date_text == "March 3"
    text = "Title line here\n\nRIVERTON: Workers blocked the road.\n\nMore text follows."
    assert read_structure(text).dateline.text == "RIVERTON:"


def test_a_sentence_opening_is_no_dateline():
    text = "Title line here\n\nThe army said on Monday - after a long silence - that it had left.\n\nMore."
    assert read_structure(text).dateline is None


def test_quotes_background_and_separate_incidents():
    s = read_structure(REPORT)
    assert s.in_quote(REPORT.index("everybody"))
    paragraphs = {p.start: p for p in s.paragraphs}
    separate = s.paragraph_at(REPORT.index("roadside"))
    history = s.paragraph_at(REPORT.index("grim"))
    assert separate.separate_cue and not separate.background_cue
    assert history.background_cue
    assert len(paragraphs) == 5


def test_an_analyst_note_is_not_a_news_report():
    note = "On 3 May 2020, gunmen attacked a village near the river, killing two farmers."
    assert not read_structure(note).news
