"""Article structure: headline, dateline, lead, body, quotes and background of a news report.

A news report is laid out in a known way, and the layout says how to read it:

- the **headline** (first line) and the **lead** (first body paragraph) summarise the incident the
  body tells: their figures and places are the same event, never added to the body's;
- the **dateline** ("GOMA, DR Congo (Agency) —") is where the reporter files from: a place of the
  event only when nothing else in the report places it;
- **quotes** of some length are what someone said, not the report's own account of events;
- **background** paragraphs tell older events ("since 2019", "last year", a date weeks before the
  incident): they are not coded.

Analysts' one-paragraph notes have no headline and no paragraphs: :func:`read_structure` returns a
structure with ``news=False`` and every stage reads them as before.

All offsets are character offsets into the article text. The words live in ``data/article.yaml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml


@dataclass
class Paragraph:
    start: int
    end: int
    role: str  # "title", "lead", "body"
    background_cue: bool = False  # words of history ("since 2019", "last year")
    separate_cue: bool = False    # opens with words of another incident ("Separately, ...")


@dataclass
class Dateline:
    start: int
    end: int              # end of the dateline, separator included
    place: tuple[int, int]  # the place words ("GOMA")
    text: str
    agency: str = ""
    date_text: str = ""   # "April 30" in "TRIPOLI, April 30 —"


@dataclass
class Structure:
    """Where the parts of one article are (character offsets into its text)."""

    news: bool = False
    paragraphs: list[Paragraph] = field(default_factory=list)
    dateline: Dateline | None = None
    quotes: list[tuple[int, int]] = field(default_factory=list)

    @property
    def title(self) -> Paragraph | None:
        return next((p for p in self.paragraphs if p.role == "title"), None)

    @property
    def lead(self) -> Paragraph | None:
        return next((p for p in self.paragraphs if p.role == "lead"), None)

    def paragraph_at(self, offset: int) -> Paragraph | None:
        for paragraph in self.paragraphs:
            if paragraph.start <= offset < paragraph.end:
                return paragraph
        return None

    def in_title(self, offset: int) -> bool:
        title = self.title
        return title is not None and title.start <= offset < title.end

    def in_quote(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.quotes)

    def in_dateline(self, offset: int) -> bool:
        return self.dateline is not None and self.dateline.start <= offset < self.dateline.end


@lru_cache(maxsize=1)
def lexicon() -> dict:
    text = resources.files("eventcoder").joinpath("data", "article.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def _cue_pattern() -> re.Pattern:
    cues = sorted(lexicon()["background_cues"], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")", re.IGNORECASE)


@lru_cache(maxsize=1)
def _separate_pattern() -> re.Pattern:
    cues = sorted(lexicon()["separate_cues"], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _dateline_pattern() -> re.Pattern:
    lex = lexicon()["dateline"]
    seps = "|".join(re.escape(s) for s in sorted(lex["separators"], key=len, reverse=True))
    n = int(lex["max_place_chars"])
    return re.compile(
        rf"(?P<place>[^\W\d_][^\W\d_'’.\- ]*(?:[ '’.\-]{{1,2}}[^\W\d_]+){{0,5}}\.?)"
        rf"(?:,[ \t]*(?P<extra>[^,()\n—–:]{{1,{n}}}?))?"
        rf"(?:,[ \t]*(?P<extra2>[^,()\n—–:]{{1,{n}}}?))?"
        rf"[ \t]*(?:\((?P<agency>[^()\n]{{1,40}})\))?[ \t]*(?:{seps})[ \t]+")


_MONTH_DAY = re.compile(r"^[A-Z][a-z]{2,8}\.? \d{1,2}$")
_QUOTE = re.compile(r"\"[^\"\n]+\"|“[^”\n]+”")


def _find_dateline(text: str, start: int, end: int) -> Dateline | None:
    found = _dateline_pattern().match(text, start, end)
    if found is None:
        return None
    place = found.group("place")
    agency = found.group("agency") or ""
    letters = [c for c in place if c.isalpha()]
    if not letters or not (all(c.isupper() for c in letters) and len(letters) >= 3 or agency):
        return None
    date_text = ""
    for name in ("extra", "extra2"):
        extra = (found.group(name) or "").strip()
        if extra and _MONTH_DAY.match(extra):
            date_text = extra
    return Dateline(start=found.start(), end=found.end(), place=found.span("place"), text=found.group().strip(),
                    agency=agency, date_text=date_text)


def read_structure(text: str, title: str | None = None) -> Structure:
    """The layout of one article: its paragraphs with their roles, dateline and quotes."""
    lex = lexicon()["news"]
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    if len(spans) < 1 + int(lex["min_paragraphs"]):
        return Structure()
    first = text[spans[0][0]:spans[0][1]].strip()
    titled = bool(title) and first == title.strip()
    if not titled and (len(first) > int(lex["max_title_chars"]) or first.endswith((".", "!", "?", ":"))):
        return Structure()
    paragraphs = [Paragraph(spans[0][0], spans[0][1], "title")]
    cues = _cue_pattern()
    separate = _separate_pattern()
    for index, (start, end) in enumerate(spans[1:]):
        opening = min(end, start + int(lex["opening_chars"]))
        paragraphs.append(Paragraph(start, end, "lead" if index == 0 else "body",
                                    background_cue=index > 0 and cues.search(text, start, end) is not None,
                                    separate_cue=index > 0 and separate.search(text, start, opening) is not None))
    structure = Structure(news=True, paragraphs=paragraphs)
    lead = structure.lead
    if lead is not None:
        structure.dateline = _find_dateline(text, lead.start, lead.end)
    min_words = int(lexicon()["min_quote_words"])
    structure.quotes = [m.span() for m in _QUOTE.finditer(text) if len(m.group().split()) >= min_words]
    return structure
