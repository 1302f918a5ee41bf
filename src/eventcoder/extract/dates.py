"""Date expressions -> calendar days with ACLED's time_precision.

`find_dates(span, published)` returns one `DateRef` per date expression in a sentence:

- explicit dates: "14 October", "On 26 May 2019", "October 13", "on the morning of 13 October",
  "July 24-July 25, 2013", "from 3 to 5 May" (3 days), "a two-day operation, starting 14 October"
  (2 days) -> precision 1
- "yesterday", "last night", "today", weekdays ("on Tuesday": the latest such day on or before
  publication) -> precision 1
- "last week", "in recent days" -> precision 2 ("in recent days" and "since 13 April" are coded
  to the report's day, the day before publication); "this month", "early October", "over the past
  weeks", "October 2019" -> precision 3
- history: "in 2018" (a year before the publication year), "last year", "years ago", or any
  date more than `BACKGROUND_DAYS` before publication -> background=True

A date without a year takes the publication year, or the year before when it would otherwise
fall after publication. No day is ever after publication: days past it are dropped (a date that
only names days after publication is clamped to the publication day).
When `published` is None, only expressions with an explicit year resolve (relative ones and
dates without a year are skipped): there is nothing to anchor them to.

`default_date(published)` is the date of a report that names none: the day before publication,
precision 2: the day is inferred (next-day reports), not stated, and the event's notes say so.
dateparser is not needed for these shapes; the regex fast path is ~50x faster.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from spacy.tokens import Span

BACKGROUND_DAYS = 45  # a dated day further back than this is history, not the report's event


@dataclass
class DateRef:
    days: list[dt.date]       # one per day the event ran ("a two-day operation from 14 October": 2)
    precision: int            # 1 day, 2 week, 3 month
    start: int                # absolute char span in doc.text
    end: int
    text: str
    background: bool = False  # history ("in 2018"), not an event of this report


@lru_cache(maxsize=1)
def _lex() -> dict:
    text = resources.files("eventcoder").joinpath("data", "dates.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def _months() -> dict[str, int]:
    """Month names and abbreviations, plus the one-swap misspellings of the long names that
    hand-written reports carry ("Januray 6", "Ocotber 3"): two neighbouring letters after the
    first swapped, for names of at least `typo_min_length` letters (dates.yaml)."""
    lex = _lex()
    out = dict(lex["months"])
    min_len = int(lex.get("typo_min_length", 6))
    for name, num in lex["months"].items():
        if len(name) < min_len:
            continue
        for k in range(1, len(name) - 1):
            typo = name[:k] + name[k + 1] + name[k] + name[k + 2:]
            out.setdefault(typo, num)
    return out


def default_date(published: dt.date | None) -> DateRef | None:
    """The event date of a report that names none: publication - 1 day, inferred, not stated, so
    precision 2 (the week); the event's notes say so."""
    if published is None:
        return None
    return DateRef(days=[published - dt.timedelta(days=1)], precision=2, start=0, end=0, text="")


def _alt(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> dict:
    lex = _lex()
    mon = _alt(_months())
    day = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
    year = r"(?:1[89]\d\d|20\d\d)"
    wd = _alt(lex["weekdays"])
    p = {
        # 3 to 5 May 2019 / from 3-5 May / between 3 and 5 May
        "dmy_range": rf"\b(?P<d1>{day})\s*(?:-|–|to|and|until|till)\s*(?P<d2>{day})\s+(?:of\s+)?(?P<m>{mon})\.?(?:,?\s+(?P<y>{year}))?\b",
        # 30 April to 2 May 2019
        "dm_dm_range": rf"\b(?P<d1>{day})\s+(?P<m1>{mon})\.?\s*(?:-|–|to|and|until|till)\s*(?P<d2>{day})\s+(?P<m2>{mon})\.?(?:,?\s+(?P<y>{year}))?\b",
        # July 24-July 25, 2013 / May 3-5, 2019
        "md_range": rf"\b(?P<m1>{mon})\.?\s+(?P<d1>{day})\s*(?:-|–|to|and|until|till)\s*(?:(?P<m2>{mon})\.?\s+)?(?P<d2>{day})(?:,?\s+(?P<y>{year}))?\b",
        # 3 May 2019, 3rd of May, 03-May-2019
        "dmy": rf"\b(?P<d>{day})(?:\s+|-(?={mon}))(?:of\s+)?(?P<m>{mon})\.?(?:,?\s+(?P<y>{year})|-(?P<y2>{year}))?\b",
        "mdy": rf"\b(?P<m>{mon})\.?\s+(?P<d>{day})(?!\s*(?:-|–)?\s*\d)(?:,?\s+(?P<y>{year}))?\b",
        "part_month": rf"\b(?:(?P<part>early|mid|late|the\s+beginning\s+of|the\s+end\s+of|the\s+middle\s+of|beginning\s+of|end\s+of|middle\s+of)[\s-]+)?(?P<m>{mon})(?:,?\s+(?:of\s+)?(?P<y>{year}))?\b",
        "weekday": rf"\b(?:(?P<last>last|this|on|early|late)\s+)?(?P<w>{wd})\b",
        "rel_day": rf"\b(?P<r>{_alt(lex['relative_days'])})\b",
        "rel_period": rf"\b(?:(?:over|during|in|within|for)\s+)?(?:the\s+)?(?P<r>{_alt(lex['relative_periods'])})\b",
        "ago": r"\b(?P<n>\d+|a|one|two|three|four|five|six|several|few)\s+(?P<u>years?|months?|weeks?|days?)\s+ago\b",
        "last_year": r"\b(?:last|past|previous)\s+years?\b",
        "year": rf"\b(?P<y>{year})\b",
        # 2020-09-01 (ISO dates in datelines and feeds)
        "iso": r"\b(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b",
    }
    return {k: re.compile(v, re.I) for k, v in p.items()}


@lru_cache(maxsize=1)
def _name_after() -> re.Pattern:
    """A capitalised organisation / place word right after a date: "18th March Division"."""
    return re.compile(rf"\s+(?:{_alt(_lex()['name_heads'])})\b")

_SINCE = re.compile(r"\bsince\s+(?:about\s+|around\s+|the\s+|early\s+|late\s+|mid-?\s*|last\s+|on\s+)?$", re.I)

_DURATION = re.compile(r"\b(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten)[\s-]days?\b"
                       r"(?:[^.;]{0,60}?\b(?:starting|beginning|from|since|began|launched|started)\b)?",
                       re.I)


def _int_day(s: str) -> int:
    return int(re.match(r"\d+", s).group(0))


def _month(s: str) -> int:
    return _months()[s.lower().rstrip(".")]


def _month_ok(text: str) -> bool:
    """Month words must be capitalised ("may" is usually the verb)."""
    return text[:1].isupper()


def _resolve(y: int | None, m: int, d: int, published: dt.date | None) -> dt.date | None:
    if y is None:
        if published is None:
            return None
        y = published.year
        try:
            cand = dt.date(y, m, d)
        except ValueError:
            return None
        if cand > published:
            try:
                cand = dt.date(y - 1, m, d)
            except ValueError:
                return None
        return cand
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _span_days(first: dt.date, last: dt.date) -> list[dt.date]:
    if last < first:
        first, last = last, first
    n = min((last - first).days, 60)
    return [first + dt.timedelta(days=k) for k in range(n + 1)]


def _finish(days: list[dt.date], precision: int, published: dt.date | None) -> tuple[list[dt.date], bool]:
    if published is not None:
        kept = [d for d in days if d <= published]
        if not kept and days:
            kept = [published]
        days = kept
        background = bool(days) and (published - days[-1]).days > BACKGROUND_DAYS
        return days, background
    return days, False


def find_dates(span: Span, published: dt.date | None) -> list[DateRef]:
    """Date expressions of a sentence resolved to calendar days.

    Args:
        span: a sentence or clause of a Doc from `eventcoder.nlp.load_nlp()`.
        published: the article's publication date (None: only dates with a year resolve).
    Returns:
        DateRefs in text order, with absolute char offsets into doc.text.
    """
    text = span.text
    base = span.start_char
    pats = _patterns()
    lex = _lex()
    taken: list[tuple[int, int]] = []
    out: list[DateRef] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(a: int, b: int, days: list[dt.date], precision: int, background: bool = False) -> None:
        taken.append((a, b))
        if not days:
            return
        days, bg = _finish(days, precision, published)
        if not days:
            return
        if not bg and not background and published is not None and _SINCE.search(text[max(0, a - 24):a]):
            # "killed since 13 April", "controlled since Wednesday": still going on when reported,
            # so coded to the report's day (the day before publication), week precision
            days, precision = default_date(published).days, 2
        out.append(DateRef(days=days, precision=precision, start=base + a, end=base + b,
                           text=text[a:b], background=background or bg))

    # explicit day ranges
    for key in ("dm_dm_range", "md_range", "dmy_range"):
        for m in pats[key].finditer(text):
            if not free(m.start(), m.end()):
                continue
            gd = m.groupdict()
            mon1 = gd.get("m1") or gd.get("m")
            mon2 = gd.get("m2") or mon1
            if not _month_ok(mon1) or not _month_ok(mon2):
                continue
            y = int(gd["y"]) if gd.get("y") else None
            d1 = _resolve(y, _month(mon1), _int_day(gd["d1"]), published)
            d2 = _resolve(y if y else (d1.year if d1 else None), _month(mon2), _int_day(gd["d2"]), published)
            if d1 is None or d2 is None:
                taken.append((m.start(), m.end()))
                continue
            if d2 < d1 and y is None:
                d1 = _resolve(d2.year - (1 if _month(mon1) > _month(mon2) else 0), _month(mon1),
                              _int_day(gd["d1"]), None)
            add(m.start(), m.end(), _span_days(d1, d2), 1)
    for m in pats["iso"].finditer(text):
        try:
            day = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ValueError:
            continue
        add(m.start(), m.end(), [day], 1)
    # single explicit days
    for key in ("dmy", "mdy"):
        for m in pats[key].finditer(text):
            if not free(m.start(), m.end()) or not _month_ok(m.group("m")):
                continue
            if _name_after().match(text, m.end()):
                taken.append((m.start(), m.end()))  # "the 18th March Division": a name, not a date
                continue
            year_text = m.group("y") or m.groupdict().get("y2")
            y = int(year_text) if year_text else None
            d = _resolve(y, _month(m.group("m")), _int_day(m.group("d")), published)
            if d is None:
                taken.append((m.start(), m.end()))
                continue
            days = [d]
            dur = _duration_near(text, m.start())
            if dur > 1:
                days = [d + dt.timedelta(days=k) for k in range(dur)]
            add(m.start(), m.end(), days, 1)
    # month-level: "early October", "October 2019", "in October"
    for m in pats["part_month"].finditer(text):
        if not free(m.start(), m.end()) or not _month_ok(m.group("m")):
            continue
        if not m.group("part") and not m.group("y"):
            # a bare month needs a preposition: "in October", "during May"
            pre = text[max(0, m.start() - 12):m.start()].lower()
            if not re.search(r"\b(?:in|during|since|throughout|of|early|late|mid|until|by)\s+$", pre):
                continue
        y = int(m.group("y")) if m.group("y") else None
        mon = _month(m.group("m"))
        part = (m.group("part") or "").lower()
        first = _resolve(y, mon, 1, published)
        if first is None:
            taken.append((m.start(), m.end()))
            continue
        last_day = calendar.monthrange(first.year, mon)[1]
        if "early" in part or "beginning" in part:
            d = first
        elif "mid" in part or "middle" in part:
            d = first.replace(day=15)
        elif "late" in part or "end" in part:
            d = first.replace(day=min(21, last_day))
        else:
            d = first
        add(m.start(), m.end(), [d], 3)
    # weekdays: the latest such day on or before publication
    for m in pats["weekday"].finditer(text):
        if not free(m.start(), m.end()) or published is None:
            continue
        wd = lex["weekdays"][m.group("w").lower()]
        back = (published.weekday() - wd) % 7
        if (m.group("last") or "").lower() == "last" and back == 0:
            back = 7
        add(m.start(), m.end(), [published - dt.timedelta(days=back)], 1)
    for m in pats["rel_day"].finditer(text):
        if not free(m.start(), m.end()) or published is None:
            continue
        back = int(lex["relative_days"][m.group("r").lower()])
        add(m.start(), m.end(), [published - dt.timedelta(days=back)], 1)
    for m in pats["rel_period"].finditer(text):
        if not free(m.start(), m.end()) or published is None:
            continue
        back, precision = lex["relative_periods"][m.group("r").lower()]
        add(m.start(), m.end(), [published - dt.timedelta(days=int(back))], int(precision))
    # history
    for key in ("ago", "last_year"):
        for m in pats[key].finditer(text):
            if not free(m.start(), m.end()) or published is None:
                continue
            unit = (m.groupdict().get("u") or "year").lower()
            if key == "ago" and unit.startswith("day"):
                n = m.group("n")
                k = int(n) if n.isdigit() else lex["durations"].get(n.lower(), 1)
                add(m.start(), m.end(), [published - dt.timedelta(days=k)], 1)
                continue
            if key == "ago" and unit.startswith("week"):
                add(m.start(), m.end(), [published - dt.timedelta(days=7)], 2)
                continue
            approx = published - dt.timedelta(days=365 if unit.startswith("year") else 30)
            add(m.start(), m.end(), [approx], 3, background=unit.startswith("year"))
    for m in pats["year"].finditer(text):
        if not free(m.start(), m.end()):
            continue
        y = int(m.group("y"))
        if published is not None and y > published.year:
            taken.append((m.start(), m.end()))
            continue
        # a bare year: history unless it is the publication year (or there is no publication date)
        if published is None or y == published.year:
            add(m.start(), m.end(), [dt.date(y, 1, 1)], 3, background=False)
        else:
            out.append(DateRef(days=[dt.date(y, 1, 1)], precision=3, start=base + m.start(),
                               end=base + m.end(), text=m.group(0), background=True))
            taken.append((m.start(), m.end()))
    out.sort(key=lambda r: r.start)
    return out


def _duration_near(text: str, date_start: int) -> int:
    """'a two-day operation, starting 14 October' -> 2 (only when the duration is stated near)."""
    window = text[max(0, date_start - 90):date_start]
    best = 1
    for m in _DURATION.finditer(window):
        n = m.group("n").lower()
        k = int(n) if n.isdigit() else int(_lex()["durations"].get(n, 1))
        if 1 < k <= 31:
            best = k
    if best == 1:
        return 1
    # the date must be where the period starts ("starting/from/beginning 14 October")
    between = window[-40:].lower()
    if re.search(r"\b(?:starting|beginning|from|since|began|begun|started|launched)\b(?:\s+on)?\s*(?:the\s+)?$",
                 between):
        return best
    return 1


def event_date(refs: list[DateRef], published: dt.date | None) -> DateRef | None:
    """The date of an event from the DateRefs of its sentences: the first non-background,
    most precise one; else `default_date(published)`."""
    cands = [r for r in refs if not r.background]
    if cands:
        return min(cands, key=lambda r: (r.precision, r.start))
    return default_date(published)
