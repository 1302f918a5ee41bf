"""Casualty figures in a sentence, under ACLED's counting rules.

`find_figures(span)` reads one sentence (or clause) and returns a `Figure` per group of dead or
injured people it counts:

- "at least 18 service members were killed" -> killed 18 (low 18, high None)
- "two soldiers and three civilians were killed" -> killed 2 and killed 3 (the caller sums groups)
- "between 5 and 7 were wounded" -> injured best 5, low 5, high 7
- "over 27 wounded" -> injured best 27, low 27, high None (ACLED keeps the conservative figure,
  it does not add one for "over"/"more than")
- "dozens" 12, "tens" 10, "hundreds" 100, "several"/"some"/"a few"/"a number of" 3 (exact=False)
- "an HTS commander was assassinated" -> killed 1; "killing both" -> killed 2
- deaths without a number ("fatalities were reported", "killing civilians") -> killed, exact=False,
  unknown=True, best = fatalities_without_number(False) (3); the caller decides 3 or 10 with
  `is_significant`
- "no casualties", "neither injuries nor fatalities" -> killed best 0 (an explicit zero)

- numbered victims the linear reading misses are found through the parse ("IS killed nine
  soldiers", "7 fighters of the brigade including a commander were killed"); groups coordinated
  over a long noun phrase add up ("12 fighters from one brigade and 9 from another were killed")
- a single victim named again ("The body of a fighter was found. He had been shot") counts once

Not counted: subsets ("including 2 children", "3 of whom were women"), the total in a partitive
("2 of the 5 attackers"), cumulative tolls ("bringing the death toll to 50"), years, ages, dates,
intentions ("attempted to assassinate 2 rebels"; but "managed to kill 5" counts), earlier deaths
told as the cause ("in response to the killing of a sheikh").

Tolls a note spreads over several places or incidents: `split_share`, `allocated_share`,
`incident_share`, `place_lists` / `place_share` and `stated_total`, used by the assembler.

Combining (see `event_fatalities`): distinct groups in a note add up; alternative reports of the
same toll (different claimants) are reduced with `conservative`, which keeps the lowest.
Knowledge lives in data/number_words.yaml and data/casualty_words.yaml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from spacy.tokens import Span, Token

from ..nlp import per_doc, text_of


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
    unknown: bool = False  # deaths reported with no quantity at all: apply 3 / 10 (ACLED)
    anaphoric: bool = False  # one victim named again ("he was beheaded", "the general was killed")
    victim: str = ""        # the lemma of a single victim's noun ("general"), for anaphoric figures


SIGNIFICANT_UNKNOWN = 10
LIMITED_UNKNOWN = 3


def fatalities_without_number(significant: bool) -> int:
    """ACLED's figure for deaths reported without a number: 10 significant, 3 limited."""
    return SIGNIFICANT_UNKNOWN if significant else LIMITED_UNKNOWN


# --------------------------------------------------------------------------- lexicons

@lru_cache(maxsize=None)
def _load(name: str) -> dict:
    text = resources.files("eventcoder").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def _lex() -> dict:
    nw = _load("number_words.yaml")
    cw = _load("casualty_words.yaml")
    lex = {
        "units": {k: int(v) for k, v in nw["units"].items()},
        "tens": {k: int(v) for k, v in nw["tens"].items()},
        "mult": {k: int(v) for k, v in nw["multipliers"].items()},
        "vague": sorted(((k.split(), int(v)) for k, v in nw["vague"].items()),
                        key=lambda kv: -len(kv[0])),
        "mods": sorted(((k.split(), v) for k, v in nw["modifiers"].items()),
                       key=lambda kv: -len(kv[0])),
        "verbs": {},
        "nouns": {},
        "intrans": {},
        "phrases": [],
        "ambiguous": set(cw.get("ambiguous_nouns", [])),
        "zero": [re.compile(p, re.I) for p in cw["zero_patterns"]],
        "unknown": [re.compile(p, re.I) for p in cw["unknown_patterns"]],
        "significant": [c.lower() for c in cw["significant_cues"]],
    }
    for kind in ("killed", "injured"):
        for v in cw[kind]["verbs"]:
            lex["verbs"][v] = kind
        for n in cw[kind]["nouns"]:
            lex["nouns"].setdefault(n, kind)
        for v in cw[kind]["intransitive"]:
            lex["intrans"][v] = kind
        for p in cw[kind]["phrases"]:
            lex["phrases"].append((p.split(), kind))
    lex["phrases"].sort(key=lambda pk: -len(pk[0]))
    return lex


MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
}
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})*$|^\d+$")
_AUX_WORDS = {"were", "was", "been", "be", "being", "have", "has", "had", "are", "is", "got", "get"}
_SUBSET_BEFORE = {"including", "includes", "include", "among", "incl"}
_TOLL = re.compile(r"\b(?:toll|tally|number of (?:dead|deaths|fatalities|victims|casualties)"
                   r"|total number)\b[^.;]{0,30}?\b(?:to|of|at|reached|rose to|rises to|stands at)\s*$",
                   re.I)


# a death told as the cause or background of the event: "following the killing of ..."
_PRIOR_KILLING = re.compile(r"\b(?:after|following|in response to|in retaliation for|revenge for|since|over|"
                            r"avenge|protest(?:ing)? against)\s+(?:the\s+|a\s+|an\s+)?$", re.I)


_IN_ADDITION = re.compile(
    r"\b(?:in addition to|besides|apart from|as well as|along with)\s+"
    r"(?:the\s+)?(?P<num>\d+|one|two|three|four|five|six|seven|eight|nine|ten)?\s*"
    r"(?P<who>(?:suicide\s+)?(?:assailants?|attackers?|bombers?|perpetrators?|gunmen|gunman|militants?))\b",
    re.I)


# --------------------------------------------------------------------------- quantities

@dataclass
class _Qty:
    s: int       # first token index (within the span's doc)
    e: int       # one past the last token
    best: int
    low: int
    high: int | None
    exact: bool


def _match_words(words: list[str], i: int, phrase: list[str]) -> bool:
    return words[i:i + len(phrase)] == phrase


def _parse_number(words: list[str], i: int) -> tuple[int, int] | None:
    """Parse a number (digits or words) at words[i]; return (value, next index)."""
    lex = _lex()
    n = len(words)
    if i >= n:
        return None
    w = words[i]
    if _DIGITS.match(w):
        val = int(w.replace(",", ""))
        j = i + 1
        if j < n and words[j] in lex["mult"]:
            val *= lex["mult"][words[j]]
            j += 1
        return val, j
    total, cur, j, seen = 0, 0, i, False
    while j < n:
        w = words[j]
        if w in lex["tens"]:
            cur += lex["tens"][w]
            seen = True
            j += 1
            if j + 1 < n and words[j] == "-" and words[j + 1] in lex["units"]:
                cur += lex["units"][words[j + 1]]
                j += 2
            continue
        if w in lex["units"] and w not in ("a", "an", "both", "none", "couple", "pair", "single"):
            if seen and cur % 10 != 0 and cur < 100:
                break
            cur += lex["units"][w]
            seen = True
            j += 1
            continue
        if seen and w in lex["mult"]:
            cur = max(cur, 1) * lex["mult"][w]
            if lex["mult"][w] >= 1000:
                total += cur
                cur = 0
            j += 1
            continue
        if seen and w == "and" and j + 1 < n and (words[j + 1] in lex["units"] or words[j + 1] in lex["tens"]) \
                and cur >= 100:
            j += 1
            continue
        break
    if not seen:
        return None
    return total + cur, j


def _parse_qty(words: list[str], i: int) -> _Qty | None:
    """A quantity phrase starting at words[i]: [modifier] number [range] | vague phrase."""
    lex = _lex()
    n = len(words)
    # "between 5 and 7"
    if words[i] == "between":
        a = _parse_number(words, i + 1)
        if a and a[1] < n and words[a[1]] in ("and", "to", "-"):
            b = _parse_number(words, a[1] + 1)
            if b:
                lo, hi = sorted((a[0], b[0]))
                return _Qty(i, b[1], lo, lo, hi, True)
        return None
    mod, j = None, i
    for phrase, how in lex["mods"]:
        if _match_words(words, i, phrase):
            mod, j = how, i + len(phrase)
            break
    num = _parse_number(words, j) if j < n else None
    if num is None:
        if mod is not None and mod != "approx":
            # "more than a dozen", "at least several"
            for phrase, val in lex["vague"]:
                if _match_words(words, j, phrase):
                    return _Qty(i, j + len(phrase), val, val, None, False)
            return None
        for phrase, val in lex["vague"]:
            if _match_words(words, i, phrase):
                high = None if val >= 10 else None
                return _Qty(i, i + len(phrase), val, val if val >= 10 else 1, high, False)
        return None
    val, k = num
    # "5-7", "5 to 7", "5 or 6"
    if k + 1 < n and words[k] in ("-", "to", "or", "–"):
        b = _parse_number(words, k + 1)
        if b and b[0] > val and not (k + 1 < n and words[k + 1] in MONTHS):
            return _Qty(i, b[1], val, val, b[0], True)
    if mod == "lower":
        return _Qty(i, k, val, val, None, True)
    if mod == "upper":
        return _Qty(i, k, val, 0, val, True)
    if mod == "approx":
        return _Qty(i, k, val, val, None, True)
    return _Qty(i, k, val, val, val, True)


def _is_noise_number(toks: list[Token], q: _Qty, words: list[str]) -> bool:
    """Years, dates, ages, times, percentages, ordinals, unit measures."""
    first = toks[q.s]
    before = words[q.s - 1] if q.s > 0 else ""
    after = words[q.e] if q.e < len(words) else ""
    after2 = words[q.e + 1] if q.e + 1 < len(words) else ""
    if after in MONTHS or before in MONTHS:
        return True
    if re.fullmatch(r"(1[89]|20)\d\d", first.text) and q.best == q.high:
        return True
    if after in ("%", "percent", "per", "km", "kilometers", "kilometres", "km.", "meters", "metres",
                 "miles", "mm", "am", "pm", "a.m.", "p.m.", "o'clock", "hours", "days", "weeks",
                 "months", "years", "minutes", "times", "th", "st", "nd", "rd", "kg", "tons",
                 "locations", "events", "places", "sites"):
        return True
    if after == "-" and after2 in ("year", "years", "day", "month", "week", "km", "hour", "meter", "metre"):
        return True
    if before in ("aged", "age", "no", "no.", "number", "#", "route", "highway", "brigade", "division",
                  "regiment", "battalion", "hill", "point", "corps", "checkpoint", "road", "sector"):
        return True
    if after in ("year", "years") or (after == "-" and after2.endswith("old")):
        return True
    if before == "," and q.s >= 2 and words[q.s - 2] in ("aged",):
        return True
    return False


# --------------------------------------------------------------------------- classification

def _casualty_at(toks: list[Token], words: list[str], j: int) -> tuple[str, int] | None:
    """Is there a casualty cue starting at token j? Return (kind, end index)."""
    lex = _lex()
    for phrase, kind in lex["phrases"]:
        if _match_words(words, j, phrase):
            return kind, j + len(phrase)
    t = toks[j]
    w = words[j]
    if t.lemma_.lower() in lex["intrans"] and t.pos_ in ("VERB", "AUX"):
        return lex["intrans"][t.lemma_.lower()], j + 1
    if w in ("killed", "wounded", "injured", "hurt", "dead", "slain") or (
            t.pos_ == "VERB" and t.lemma_.lower() in lex["verbs"] and t.tag_ in ("VBN", "VBD")):
        kind = lex["verbs"].get(t.lemma_.lower()) or lex["nouns"].get(w)
        if w == "dead":
            kind = "killed"
        if kind is None:
            kind = "killed" if w in ("killed", "slain") else "injured"
        # active voice with its own object: "5 gunmen killed 3 soldiers" -> not ours
        if t.tag_ == "VBD" and (any(c.dep_ == "dobj" for c in t.children)
                                or (j + 1 < len(words) and _parse_qty(words, j + 1))):
            return None
        return kind, j + 1
    if w in lex["nouns"] and t.pos_ in ("NOUN", "ADJ", "PROPN", "VERB"):
        return lex["nouns"][w], j + 1
    return None


_ALLOWED_POS = {"NOUN", "PROPN", "ADJ", "DET", "NUM", "CCONJ", "PART", "AUX", "ADV"}


def _scan_right(toks: list[Token], words: list[str], j: int, limit: int) -> tuple[str, int] | None:
    """From the end of a quantity, walk over its noun phrase to a casualty cue."""
    steps = 0
    while j < limit and steps < 14:
        hit = _casualty_at(toks, words, j)
        if hit:
            return hit
        t = toks[j]
        w = words[j]
        if w == "," and j + 1 < limit and words[j + 1] in ("including", "among", "mostly", "mainly"):
            # skip a parenthetical subset: "79 soldiers, including at least 7 Russians, were killed"
            k = j + 2
            while k < limit and words[k] not in (",", ";", "."):
                k += 1
            if k < limit and words[k] == "," and k - j <= 12:
                j = k + 1
                steps += 1
                continue
            return None
        if w in ("who", "which") and j > 0 and words[j - 1] != ",":
            # "1 civilian who was displaced from the village was killed": over the relative clause
            k = next((k for k in range(j + 1, min(j + 12, limit - 1)) if words[k] in ("was", "were")
                      and toks[k].dep_ in ("auxpass", "aux") and toks[k].head.i < limit
                      and toks[k].head.i > j and toks[k].head.dep_ in ("ROOT", "conj")), None)
            if k is None:
                return None
            j = k
            steps += 1
            continue
        if w == "," and j + 1 < limit and toks[j + 1].pos_ == "ADP" and words[j + 1] not in ("including", "among"):
            # "24 fighters, from both sides, were killed": over a short aside between commas
            k = next((k for k in range(j + 2, min(j + 8, limit)) if words[k] == ","), None)
            if k is not None and all(toks[m].pos_ in ("ADP", "DET", "NOUN", "PROPN", "ADJ", "NUM")
                                     for m in range(j + 1, k)):
                j = k + 1
                steps += 1
                continue
        if w in ("including", "whom", "which", "who", "after", "before", "when", "while", "as"):
            return None
        if t.pos_ in _ALLOWED_POS:
            if t.pos_ == "AUX" and w not in _AUX_WORDS:
                return None
        elif t.pos_ == "ADP" and w in ("of", "from", "with", "among", "belonging", "affiliated", "loyal"):
            if w == "with" and j + 1 < limit and toks[j + 1].pos_ == "NUM":
                return None  # "3 locations with 5 fatalities in each": the 5 are the dead
            pass
        elif t.pos_ == "PRON" and (j > 0 and words[j - 1] == "of" or t.dep_ == "poss"):
            pass
        elif t.pos_ == "VERB" and t.tag_ == "VBN" and w in ("affiliated", "backed", "supported", "loyal"):
            pass
        elif t.pos_ == "VERB" and w in ("belonging",):
            pass
        elif t.pos_ == "VERB" and t.tag_ in ("VBN", "VBD") and any(
                _casualty_at(toks, words, k) for k in range(j + 1, min(j + 3, limit))):
            pass  # "was shot and killed", "were found dead"
        elif t.pos_ in ("PUNCT", "SYM") and w in ("-", "'", "’", "(", ")", '"', "“", "”"):
            pass
        elif w == "," and j + 1 < limit and _parse_qty(words, j + 1):
            pass
        else:
            return None
        j += 1
        steps += 1
    return None


def _left_cue(toks: list[Token], words: list[str], s: int, lo: int) -> str | None:
    """An active casualty verb or noun right before the quantity: "killing 3", "deaths of 3"."""
    lex = _lex()
    i = s - 1
    # "a total of", "the", "some" before the number
    while i >= lo and words[i] in ("the", "a", "total", "of", "all", "only", "also", "another",
                                  "additional", "further", "at", "least"):
        if words[i] == "of" and i - 1 >= lo and words[i - 1] in set(lex["nouns"]) | {"killing", "wounding",
                                                                                 "deaths", "bodies", "lives"}:
            break
        i -= 1
    if i < lo:
        return None
    if words[i] == "," and i - 1 >= lo:
        # "targeted and killed, likely with gunfire, 3 members": back over a short aside
        k = next((k for k in range(i - 1, max(lo - 1, i - 7), -1) if words[k] == ","), None)
        if k is not None and k - 1 >= lo and words[k - 1] in ("killed", "killing", "executed", "assassinated"):
            i = k - 1
    t = toks[i]
    w = words[i]
    if w == "dead" and i - 1 >= lo and words[i - 1] in ("shot", "shoots", "shooting", "left", "leaving"):
        return "killed"
    if w == "of" and i - 1 >= lo:
        prev = words[i - 1]
        if prev in ("killing", "deaths", "death", "bodies", "lives", "corpses", "execution", "murder",
                    "assassination", "killings", "remains"):
            return "killed"
        if prev in ("wounding", "injuring", "injury"):
            return "injured"
        return None
    lemma = t.lemma_.lower()
    if t.tag_ == "VB" and words[i - 1:i] == ["to"] and not _achieved(t):
        return None  # "attempted to assassinate 2 rebels": an intention, not a death
    if t.pos_ in ("VERB", "NOUN") and lemma in lex["verbs"] and w not in ("killed", "wounded", "injured") \
            or w in ("killing", "kill", "kills", "wounding", "injuring", "wound", "injure", "wounds",
                     "injures", "executing", "execute", "assassinating"):
        return lex["verbs"].get(lemma, "killed" if w.startswith(("kill", "exec", "assas")) else "injured")
    if w in ("killed", "wounded", "injured", "executed", "assassinated", "hurt") and t.tag_ == "VBD":
        # "IS killed 3 soldiers" (active past) — but not "were killed 3 days ago"
        if i - 1 >= lo and _passive_aux(toks[i - 1]):
            return None
        return lex["verbs"].get(lemma, "killed" if w in ("killed", "executed", "assassinated") else "injured")
    if w in ("killed", "wounded", "injured", "executed", "assassinated") and t.tag_ == "VBN" \
            and (i - 1 < lo or not _passive_aux(toks[i - 1])):
        # "gunmen shot and killed 2 QSD fighters" (tagged VBN by mistake), "claimed to have killed 32"
        return "killed" if w in ("killed", "executed", "assassinated") else "injured"
    return None


_PASSIVE_AUX = {"were", "was", "been", "be", "being", "are", "is", "got", "get", "gets"}


def _passive_aux(t: Token) -> bool:
    """A form of "be"/"get" before a participle makes it passive ("were killed 3 days ago");
    "have killed 32" is active, and "IS" (Islamic State) written in capitals is no auxiliary."""
    return t.text.lower() in _PASSIVE_AUX and not t.text.isupper()


def _all_quantities(toks: list[Token], words: list[str], lo: int, hi: int) -> list[_Qty]:
    out: list[_Qty] = []
    i = lo
    while i < hi:
        q = _parse_qty(words[:hi], i)
        if q and q.e > q.s:
            if not _is_noise_number(toks, q, words):
                out.append(q)
            i = q.e
        else:
            i += 1
    return out


def _coordinated(toks: list[Token], words: list[str], a: _Qty, b: _Qty) -> bool:
    """Are two quantities coordinated groups of one noun phrase: "2 soldiers and 3 civilians",
    "6 HTS, Turkistani Party, and opposition fighters and 13 regime militiamen"?"""
    between = words[a.e:b.s]
    if not between or between[-1] not in ("and", ",", "plus") or len(between) > 14:
        return False
    if len(between) <= 5 and all(toks[a.e + m].pos_ in ("NOUN", "PROPN", "ADJ", "CCONJ", "PUNCT", "DET")
                                 for m in range(len(between))):
        return True
    # a longer noun phrase: names, "of"/"from" parts, a parenthetical subset between commas
    if between[-1] != "and":
        return False
    depth = 0
    for m, w in enumerate(between):
        t = toks[a.e + m]
        if w == "including":
            depth = 1
            continue
        if depth and w == ",":
            depth = 0
            continue
        if depth:
            continue
        if t.pos_ in ("NOUN", "PROPN", "ADJ", "CCONJ", "DET", "NUM") or w in ("of", "from", "-", ",", "'s", "’s"):
            continue
        return False
    return True


def _fig(kind: str, q: _Qty, toks: list[Token], end_tok: int, doc_text: str) -> Figure:
    start = toks[q.s].idx
    last = toks[max(end_tok, q.e) - 1]
    end = last.idx + len(last.text)
    return Figure(kind=kind, best=q.best, low=q.low, high=q.high, start=start, end=end,
                  text=doc_text[start:end], exact=q.exact)


def _norm(t: Token) -> str:
    return t.text.lower()


def _tokens_and_words(doc) -> tuple[list[Token], list[str]]:
    """The tokens of a Doc and their normalised words, once per Doc (every sentence of an article asks)."""
    def make(d):
        toks = list(d)
        return toks, [_norm(t) for t in toks]
    return per_doc(doc, "words", make)


def find_figures(span: Span) -> list[Figure]:
    """Casualty figures of the event(s) a sentence reports.

    Args:
        span: a sentence or clause of a Doc from `eventcoder.nlp.load_nlp()`.
    Returns:
        One Figure per counted group, in text order; killed 0 for an explicit "no casualties";
        an `unknown=True` figure for deaths without a number.
    """
    doc = span.doc
    toks, words = _tokens_and_words(doc)
    lo, hi = span.start, span.end
    lex = _lex()
    figures: list[Figure] = []
    qtys = _all_quantities(toks, words, lo, hi)
    kinds: list[str | None] = []
    ends: list[int] = []
    for q in qtys:
        kind = _left_cue(toks, words, q.s, lo)
        end = q.e
        if kind is None:
            hit = _scan_right(toks, words, q.e, hi)
            if hit:
                kind, end = hit
        kinds.append(kind)
        ends.append(end)
    # coordination: "killing two soldiers and three civilians" (forward), "12 fighters from one
    # militia and 12 fighters from another were killed" (backward)
    for k, q in enumerate(qtys):
        if kinds[k] is None and k > 0 and kinds[k - 1] is not None and _coordinated(toks, words, qtys[k - 1], q):
            kinds[k] = kinds[k - 1]
    # quantities inside "including ...", up to the next comma: subsets of a counted group
    inside: set[int] = set()
    for i in range(lo, hi):
        if words[i] in _SUBSET_BEFORE or (words[i] == "among" and i + 1 < hi and words[i + 1] == "them"):
            j = i + 1
            while j < hi and words[j] not in (",", ";", ")", "."):
                inside.add(j)
                j += 1
    # "in addition to the four assailants": counted once, below, as the attackers who died
    extra = _IN_ADDITION.search(span.text)
    if extra:
        a, b = span.start_char + extra.start(), span.start_char + extra.end()
        inside.update(i for i in range(lo, hi) if a <= toks[i].idx < b)
    subset = [k for k, q in enumerate(qtys) if q.s in inside]
    for k in range(len(qtys) - 2, -1, -1):
        j = next((j for j in range(k + 1, len(qtys)) if j not in subset), None)
        if kinds[k] is None and j is not None and kinds[j] is not None \
                and _left_cue(toks, words, qtys[j].s, lo) is None and _coordinated(toks, words, qtys[k], qtys[j]):
            kinds[k] = kinds[j]
            ends[k] = ends[j]
    seen_kind: dict[str, int] = {}
    excluded: set[int] = set()  # quantities that are subsets, partitive totals or cumulative tolls
    for k, q in enumerate(qtys):
        kind = kinds[k]
        before = words[q.s - 1] if q.s - 1 >= lo else ""
        before2 = words[q.s - 2] if q.s - 2 >= lo else ""
        after = words[q.e:q.e + 2]
        left_text = text_of(doc)[max(span.start_char, toks[q.s].idx - 60):toks[q.s].idx]
        if (
            # partitive total: "2 of the 5 attackers"
            (before == "of" or (before in ("the", "their", "its", "these", "those") and before2 == "of"))
            and k > 0 and qtys[k - 1].e >= q.s - 2
            # subset: "including 2 children", "among them 3 women"
            or k in subset
            or (before == "them" and before2 == "among")
            # cumulative toll: "bringing the death toll to 50"
            or _TOLL.search(left_text)
        ):
            excluded.add(k)
            continue
        if kind is None:
            continue
        # "3 of whom"
        if after[:2] in (["of", "whom"], ["of", "which"]) and seen_kind.get(kind):
            excluded.add(k)
            continue
        seen_kind[kind] = seen_kind.get(kind, 0) + 1
        figures.append(_fig(kind, q, toks, ends[k], text_of(doc)))

    covered = {i for f in figures for i in range(f.start, f.end)}
    covered_kind = {kind: {i for f in figures if f.kind == kind for i in range(f.start, f.end)}
                    for kind in ("killed", "injured")}
    # singular / plural victims without a number: "an HTS commander was assassinated"
    for t in span:
        w = t.text.lower()
        lemma = t.lemma_.lower()
        kind = None
        if t.pos_ == "VERB" and (lemma in lex["verbs"] or lemma in lex["intrans"]):
            kind = lex["verbs"].get(lemma) or lex["intrans"].get(lemma)
        elif w in ("killing", "death", "assassination", "execution", "body", "murder") and t.pos_ == "NOUN":
            if _PRIOR_KILLING.search(text_of(doc)[max(span.start_char, t.idx - 40):t.idx]):
                continue  # "in response to the killing of a sheikh": an earlier death, the cause
            pobj = next((g for c in t.children if c.dep_ == "prep" and c.lower_ == "of"
                         for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.tag_ in ("NN", "NNP") and pobj.lower_ != "number" and not any(
                    c.pos_ == "NUM" for c in pobj.children) and pobj.idx not in covered:
                start, end = t.idx, pobj.idx + len(pobj.text)
                figures.append(Figure(kind="killed", best=1, low=1, high=1, start=start, end=end,
                                      text=text_of(doc)[start:end]))
                covered.update(range(start, end))
                covered_kind["killed"].update(range(start, end))
            elif pobj is None and w in ("death", "body") and t.idx not in covered:
                # "which led to his immediate death", "a rebel fighter's body was found"
                owner = next((c for c in t.children if c.dep_ == "poss"), None)
                found = w == "death" or t.head.lemma_ in ("find", "recover", "discover", "dump", "retrieve",
                                                          "throw", "bury", "leave", "hand")
                if owner is not None and (owner.lower_ in ("his", "her") and found or owner.tag_ in ("NN", "NNP")) \
                        and not any(c.pos_ == "NUM" for c in owner.children):
                    start, end = min(owner.left_edge.idx, t.idx), t.idx + len(t.text)
                    figures.append(Figure(kind="killed", best=1, low=1, high=1, start=start, end=end,
                                          text=text_of(doc)[start:end], anaphoric=owner.lower_ in ("his", "her"),
                                          victim=owner.lower_ if owner.lower_ in ("his", "her") else ""))
                    covered.update(range(start, end))
                    covered_kind["killed"].update(range(start, end))
            continue
        elif w == "dead" and t.head.lemma_ in ("leave", "find", "shoot", "declare", "pronounce"):
            kind = "killed"
        elif t.pos_ == "VERB" and any(c.dep_ == "prep" and c.lower_ == "to" and any(
                g.lower_ == "death" for g in c.children) for c in t.children):
            kind = "killed"  # "stabbed a fighter to death", "was beaten to death"
        if kind is None or t.idx in covered_kind[kind]:
            continue
        # intentions and negations are not deaths: "to eliminate ISIS elements", "did not kill"
        if t.tag_ == "VB" and not _achieved(t) or any(c.dep_ == "neg" for c in t.children):
            continue
        victim = _victim(t)
        if victim is None or victim.lower_ in ("body", "bodies", "corpse", "corpses", "remains"):
            continue  # "the decapitated body of a fighter": counted once, by the body
        nums = [c for c in victim.children if c.dep_ == "nummod" or c.pos_ == "NUM"]
        if nums:
            # a numbered victim the linear reading missed: "IS killed nine Syrian regime soldiers",
            # "7 fighters of the factions, including a commander, were killed"
            k = next((k for k, q in enumerate(qtys) if q.s <= nums[0].i < q.e), None)
            if k is None or k in excluded:
                continue
            q = qtys[k]
            start = toks[q.s].idx
            if start in covered_kind[kind] or (start in covered and lemma not in lex["intrans"]):
                continue  # counted already; "one person was injured and later died" is both
            last = victim if victim.i >= q.e else toks[q.e - 1]
            end = last.idx + len(last.text)
            figures.append(Figure(kind=kind, best=q.best, low=q.low, high=q.high, start=start, end=end,
                                  text=text_of(doc)[start:end], exact=q.exact))
            covered.update(range(start, end))
            covered_kind[kind].update(range(start, end))
            continue
        if victim.idx in covered_kind[kind] or any(f.start <= victim.idx < f.end and f.kind == kind
                                                   for f in figures):
            continue
        vw = victim.text.lower()
        anaphoric, victim_word = False, ""
        if vw in ("both",) or any(c.text.lower() == "both" for c in victim.children):
            count, exact, unknown = 2, True, False
        elif vw in ("he", "him", "she", "her", "himself", "herself", "one", "it") or (
                victim.tag_ in ("NN", "NNP") and vw not in ("number", "group", "unit", "cell", "force",
                                                             "army", "regime", "dozens", "side",
                                                             "party", "people", "personnel")):
            if any(c.text.lower() in ("no", "neither", "none") for c in victim.children):
                continue
            # "killed a rebel commander and another fighter" -> 2
            count = 1 + sum(1 for c in victim.conjuncts if c.i > victim.i and c.tag_ in ("NN", "NNP")
                            and not any(g.pos_ == "NUM" for g in c.children))
            exact, unknown = True, False
            # "He was tortured and beheaded", "The general was killed": maybe a victim named in an
            # earlier sentence (one named in this sentence, or killed "also", is someone else)
            anaphoric = count == 1 and not any(f.kind == "killed" for f in figures) \
                and not any(c.lower_ in ("also", "too") for c in t.children) and (
                    vw in ("he", "him", "she", "her", "himself", "herself") or any(
                        c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in victim.children))
            victim_word = victim.lemma_.lower()
        elif victim.tag_ in ("NNS", "NNPS") or vw in ("them", "they", "people", "personnel", "number",
                                                     "dozens", "others", "members"):
            if any(c.text.lower() in ("no", "neither", "none") for c in victim.children):
                continue
            count, exact, unknown = fatalities_without_number(False), False, True
        else:
            continue
        lo_i = min(t.i, victim.left_edge.i)
        hi_i = max(t.i, victim.i) + 1
        start, end = toks[lo_i].idx, toks[hi_i - 1].idx + len(toks[hi_i - 1].text)
        figures.append(Figure(kind=kind, best=count, low=count if exact else 1,
                              high=count if exact else None, start=start, end=end,
                              text=text_of(doc)[start:end], exact=exact, unknown=unknown,
                              anaphoric=anaphoric, victim=victim_word))
        covered.update(range(start, end))
        covered_kind[kind].update(range(start, end))

    text = span.text
    base = span.start_char
    # GTD style: "In addition to the assailants, three people were killed" — the attackers died too
    m = _IN_ADDITION.search(text)
    if m and any(f.kind == "killed" for f in figures):
        num = m.group("num")
        parsed = _parse_qty(num.lower().split(), 0) if num else None
        if parsed:
            n, exact = parsed.best, parsed.exact
        elif m.group("who").lower().endswith("s") and not m.group("who").lower().endswith("ss"):
            n, exact = 2, False  # plural without number: at least two
        else:
            n, exact = 1, True
        figures.append(Figure(kind="killed", best=n, low=n, high=n if exact else None,
                              start=base + m.start(), end=base + m.end(), text=m.group(0), exact=exact))
    has_killed = any(f.kind == "killed" for f in figures)
    if not has_killed:
        for pat in lex["zero"]:
            m = pat.search(text)
            if m:
                figures.append(Figure(kind="killed", best=0, low=0, high=0, start=base + m.start(),
                                      end=base + m.end(), text=m.group(0), exact=True))
                has_killed = True
                break
    if not has_killed:
        for pat in lex["unknown"]:
            m = pat.search(text)
            if m:
                n = fatalities_without_number(False)
                figures.append(Figure(kind="killed", best=n, low=1, high=None, start=base + m.start(),
                                      end=base + m.end(), text=m.group(0), exact=False, unknown=True))
                break
    figures.sort(key=lambda f: f.start)
    return figures


_ACHIEVED = {"able", "manage", "succeed", "claim"}


def _achieved(t: Token) -> bool:
    """An infinitive that reports a done deed: "were able to kill", "managed to kill and injure"."""
    while t.dep_ == "conj" and t.head is not t:
        t = t.head
    return t.dep_ == "xcomp" and t.head.lemma_.lower() in _ACHIEVED


def _victim(t: Token) -> Token | None:
    """The people a casualty verb is about: passive subject, object, or subject of "died"."""
    lex = _lex()
    lemma = t.lemma_.lower()
    deps = {c.dep_: c for c in t.children}
    if lemma in lex["intrans"]:
        if "nsubj" in deps:
            return deps["nsubj"]
        if t.dep_ == "conj" and t.head.pos_ in ("VERB", "AUX"):
            # "a child was shot and died", "one person was injured and later died"
            return next((c for c in t.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        return None
    if t.text.lower() == "dead":
        # "left X dead": X is the head's object, or the token "dead" modifies; "X was found shot
        # dead": the subject of the verb "shot" depends on
        if t.dep_ == "amod" and t.head.pos_ in ("NOUN", "PROPN"):
            return t.head
        own = next((c for c in t.children if c.dep_ == "dobj"), None)
        if own is not None:
            return own  # "shot dead a fighter", parsed with the fighter as object of "dead"
        head = t.head
        for _ in range(3):
            found = next((c for c in head.children if c.dep_ in ("dobj", "nsubjpass")), None)
            if found is not None or head.dep_ not in ("xcomp", "oprd", "conj", "ccomp") or head.head is head:
                return found
            head = head.head
        return None
    if "nsubjpass" in deps:
        return deps["nsubjpass"]
    if "csubjpass" in deps:  # "46 people gathering truffles were killed", parsed as a clausal subject
        subj = next((c for c in deps["csubjpass"].children if c.dep_ == "nsubj"), None)
        if subj is not None:
            return subj
    if t.dep_ in ("acl", "amod") and t.tag_ == "VBN" and t.head.pos_ in ("NOUN", "PROPN") \
            and "dobj" not in deps:
        return t.head  # "a civilian killed by shelling" (not "a blast killed people", mis-tagged)
    if "dobj" not in deps:
        # "assassinated using small arms fire a commander": the last object of "using"
        using = next((c for c in t.children if c.dep_ in ("xcomp", "advcl") and c.lemma_ == "use"), None)
        objects = [c for c in using.children if c.dep_ == "dobj"] if using is not None else []
        if len(objects) >= 2:
            return objects[-1]
    if "dobj" in deps:
        obj = deps["dobj"]
        # "killed a regime 4th Division soldier": the parser makes "regime" the object, "soldier" its appos
        appos = next((c for c in obj.children if c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN")), None)
        if appos is not None and obj.lower_ in ("regime", "army", "group", "force", "forces"):
            return appos
        return obj
    conj = next((c for c in t.children if c.dep_ == "conj" and c.pos_ == "VERB" and c.i > t.i), None)
    if conj is not None and "nsubjpass" not in deps:
        # "managed to kill and injure a number of soldiers": the object of the second verb
        obj = next((c for c in conj.children if c.dep_ == "dobj"), None)
        if obj is not None:
            return obj
    if t.dep_ == "conj" and t.head.pos_ == "VERB" and "nsubjpass" not in deps:
        # "shot and killed a fighter": shares the first verb's object
        obj = next((c for c in t.head.children if c.dep_ in ("dobj", "nsubjpass")), None)
        if obj is not None and obj.i > t.i or (obj is not None and t.head.tag_ == "VBN"):
            return obj
    if t.dep_ in ("xcomp", "oprd", "acomp", "conj") and t.head.pos_ == "VERB":
        # "was found killed", "was shot and killed"
        return next((c for c in t.head.children if c.dep_ in ("nsubjpass", "dobj")), None)
    return None


# --------------------------------------------------------------------------- combining

def conservative(figures: list[Figure]) -> tuple[int, int, int | None]:
    """The most conservative of several reports of the SAME toll: (best, low, high).

    best/low are the lowest reported; high the largest known upper bound (None if any report is
    open-ended and no report gives a bound). Unknown-number figures count only when nothing
    better is reported. An empty list gives (0, 0, 0).
    """
    if not figures:
        return 0, 0, 0
    known = [f for f in figures if not f.unknown] or list(figures)
    best = min(f.best for f in known)
    low = min(f.low for f in known)
    highs = [f.high for f in known if f.high is not None]
    high = max(highs) if highs and all(f.high is not None for f in known) else None
    if high is not None and high < best:
        high = best
    return best, low, high


def event_fatalities(figures: list[Figure], significant: bool = False,
                     kind: str = "killed") -> tuple[int, int, int | None]:
    """Total (best, low, high) of one event from the figures of all its sentences.

    Distinct groups add up ("2 soldiers ... 3 civilians" -> 5). Figures with `unknown=True` count
    as `fatalities_without_number(significant)` only when no numbered figure of the kind exists;
    in a significant event, small vague quantities alone ("several were killed") count the same.
    An explicit zero contributes 0; no figure at all -> (0, 0, 0).
    """
    figs = [f for f in figures if f.kind == kind]
    def named_before(f: Figure) -> bool:
        # "the body of a fighter was found ... He had been shot", "A general was killed ... The
        # general was killed in a larger clash": the same victim, counted once
        earlier = [g for g in figs if g is not f and g.start < f.start and g.best and not g.anaphoric]
        if f.victim in ("he", "him", "his", "she", "her", "himself", "herself", "-pron-"):
            return bool(earlier)
        return any(g.best == 1 and (g.victim == f.victim or f.victim in g.text.lower()) for g in earlier)

    figs = [f for f in figs if not (f.anaphoric and named_before(f))]
    numbered = [f for f in figs if not f.unknown]
    if significant and numbered and all(not f.exact and f.best <= LIMITED_UNKNOWN for f in numbered):
        # "several"/"some"/"a number of" dead in a significant battle: ACLED codes the
        # unknown-number figure (10), not 3
        numbered = []
        figs = [Figure(kind, 0, 0, None, 0, 0, "", exact=False, unknown=True)]
    if not numbered:
        if any(f.unknown for f in figs):
            n = fatalities_without_number(significant) if kind == "killed" else 0
            return n, 1, None
        return 0, 0, 0
    best = sum(f.best for f in numbered)
    low = sum(f.low for f in numbered)
    high = None if any(f.high is None for f in numbered) else sum(f.high for f in numbered)
    return best, low, high


_SPLIT_WORDS = None
_NUM_WORD = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_EACH = re.compile(r"\b(\d+)\s+(?:each|for each|to each|per (?:event|location|area))\b"
                   r"|\beach\s+(?:\w+\s+)?(?:was\s+)?(?:allocated|given|coded)?\s*(\d+)\b"
                   r"|\b(\d+)\s+(?:fatalit(?:y|ies)\s+|deaths?\s+)?(?:are\s+|were\s+|is\s+|was\s+)?(?:allocated|assigned|coded|given)"
                   r"\s+(?:to|for|in)\s+each\b"
                   r"|\b(\d+)\s+(?:fatalit(?:y|ies)\s+|deaths?\s+)?in\s+each\s+(?:location|event|area|place)\b", re.I)
_OVER_N = re.compile(r"\b(?:between|among|across|over|into|on|to)\s+(?:the\s+|all\s+)?(" + _NUM_WORD +
                     r")\s+(?:\w+\s+)?(?:events?|locations?|areas?|villages?|towns?|sites?|fronts?|"
                     r"activities|places|points|positions|districts?)\b", re.I)
_ONE_EACH = re.compile(r"\bone (?:fatality|death|dead) (?:is |was )?(?:allocated|coded|assigned) to each\b", re.I)
_LISTED = re.compile(r"(?:\(|\b)(\d{1,3})(?:\)|\b)")


_ABOUT_TOLL = re.compile(r"fatalit|casualt|death|dead|kill|allocat|\beach\b|\bevents?\b|\blocations?\b", re.I)
_ALLOC_NUM = re.compile(r"(?<![\w.])(?<!the )(\d{1,3})(?![\w.]|\s+(?:locations?|events?|areas?|places?|sites?|"
                        r"fronts?|villages?|towns?|days?|hours?|brigades?|divisions?|regiments?|battalions?|corps)\b)",
                        re.I)


def fold_place_name(name: str) -> str:
    """A place name folded for matching: lower case, no hyphens or apostrophes, no "al-"/"the"."""
    name = re.sub(r"[-'’`]", " ", name.lower())
    return " ".join(w for w in name.split() if w not in ("al", "el", "ad", "as", "ash", "ar", "an", "the"))


def _allocated_to(after: str, names: tuple[str, ...]) -> int | None:
    """The figure an allocation table gives to one of `names`: "Amra 4, Birka 4, and Dalia 3",
    "2 Amra, 2 Birka, 1 Dalia", "6 allocated to Amra and 5 allocated to Birka",
    "Amra and Birka each allocated 4 and Dalia allocated 3", "Amra (5), Birka (4)"."""
    seg = re.split(r"(?<!\w\.\w)\.(?:\s|$)|;", after)[0]
    nums = [(m.start(), int(m.group(1))) for m in _ALLOC_NUM.finditer(seg)]
    if not nums:
        return None
    at = None
    for name in {fold_place_name(x) for x in names}:
        if not name:
            continue
        sep = r"[\s\-'’`]+(?:(?:al|el|ad|as|ash|ar|an|the)[\s\-]+)?"
        pattern = r"(?<![\w])(?:(?:al|el|ad|as|ash|ar|an|the)[\s\-]+)?" + sep.join(
            re.escape(w) for w in name.split()) + r"(?![\w])"
        m = re.search(pattern, seg, re.I)
        if m:
            at = m.start()
            break
    if at is None:
        return None
    first_cap = re.search(r"\b[A-Z]", seg)
    name_first = first_cap is not None and first_cap.start() < nums[0][0]
    if name_first:
        after_nums = [v for p, v in nums if p > at]
        return after_nums[0] if after_nums else None
    before_nums = [v for p, v in nums if p < at]
    return before_nums[-1] if before_nums else None


def _split_sentence(text: str) -> re.Match | None:
    """The split word of the sentence that spreads a toll ("Fatalities split between ...")."""
    global _SPLIT_WORDS
    if _SPLIT_WORDS is None:
        words = _load("casualty_words.yaml").get("split_words", [])
        _SPLIT_WORDS = re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I)
    for m in _SPLIT_WORDS.finditer(text):
        start = max(text.rfind(".", 0, m.start()) + 1, 0)
        end = text.find(". ", m.end())
        if not text[start:m.start()].strip() or _ABOUT_TOLL.search(text[start:end if end >= 0 else len(text)]):
            return m  # "Divided between A and B." or a sentence about the dead
    return None


_STATED_TOTAL = re.compile(
    r"\btotal (?:number of )?(?:fatalities|deaths|fatality count)(?:\s+(?:is|are|was|were|of|stands at|reached))?"
    r"\s*[:=]?\s*(?P<a>\d+)\b(?!\s*(?:%|percent))"
    r"|\bfor a total (?:fatality count )?of (?P<b>\d+)(?= fatalities| deaths| dead|[,.])"
    r"|\b(?P<c>\d+) total (?:fatalities|deaths)\b", re.I)


def stated_total(text: str) -> int | None:
    """The total a note states for its event's dead ("Total number of fatalities N", "Total
    fatalities are 3", "for a total of 28 fatalities", "9 total fatalities split ..."), or None."""
    m = _STATED_TOTAL.search(text)
    if m is None:
        return None
    return int(m.group("a") or m.group("b") or m.group("c"))


def split_sentence_span(text: str) -> tuple[int, int, int] | None:
    """(start, end, split-word start) in `text` of the sentence that spreads a toll over several
    events ("Total fatalities of 12 are split as follows: ..."), or None."""
    m = _split_sentence(text)
    if m is None:
        return None
    start = max(text.rfind(".", 0, m.start()) + 1, 0)
    end = text.find(". ", m.end())
    return start, end if end >= 0 else len(text), m.start()


_THIS_EVENT = re.compile(
    r"\b(?P<n>\d+|" + "|".join(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]) +
    r")\s+(?:fatalit(?:y|ies)\s+|deaths?\s+)?(?:were|was|are|is|have been|has been)?\s*"
    r"(?:noted|documented|recorded|allocated|added|assigned|coded|counted)\s+(?:in|to|for|at)\s+this\s+"
    r"(?:location|event|place)\b", re.I)


def allocated_share(text: str, names: tuple[str, ...], own: bool = True) -> int | None:
    """The figure a note gives to its own event: "Five were noted in this location", "(6 added to
    this event)", or the figure its allocation table gives to a place named in `names` ("11
    fatalities are split as follows: Amra 4, Birka 4, and Dalia 3" -> Dalia 3); else None."""
    this = _THIS_EVENT.search(text) if own else None
    if this:
        n = this.group("n").lower()
        return int(n) if n.isdigit() else _lex()["units"][n]
    m = _split_sentence(text)
    if m is None or not names:
        return None
    return _allocated_to(text[m.end():], names)


def split_share(text: str, total: int, names: tuple[str, ...] = ()) -> int | None:
    """ACLED notes that spread one toll over several events ("12 fatalities split between the 4
    locations", "10 split, 5 each", "Amra (5), Birka (4)"): the share of one event, or None
    when the text does not split its toll. `names` are the event's own place (as written, and as
    resolved): an allocation table gives that place's figure. Otherwise shares are even, the first
    place named taking the remainder; a table whose place is not found gives its most common value.
    """
    m = _split_sentence(text)
    if m is None:
        return None
    # the sentence with the split word (and what follows it)
    start = max(text.rfind(".", 0, m.start()) + 1, 0)
    tail = text[start:]
    after = tail[m.end() - start:]
    if _ONE_EACH.search(tail):
        return 1
    e = _EACH.search(tail)
    if e:
        return int(next(g for g in e.groups() if g))
    o = _OVER_N.search(after) or _OVER_N.search(tail)
    if o:
        w = o.group(1).lower()
        n = int(w) if w.isdigit() else _lex()["units"].get(w, 1)
        return total // n if n > 0 and total else (0 if n > 0 else None)
    nums = [int(x) for x in _LISTED.findall(after) if 0 < int(x) < 1000]
    if len(nums) >= 2:
        counts = {}
        for x in nums:
            counts[x] = counts.get(x, 0) + 1
        return max(counts, key=lambda x: (counts[x], -nums.index(x)))
    # "divided on A, B, C and D": count the places named
    seg = re.split(r"[.;]", after)[0]
    parts = [p for p in re.split(r",|\band\b", seg) if p.strip()]
    if len(parts) >= 2 and total:
        folded = {fold_place_name(x) for x in names}
        first = bool(folded & {fold_place_name(re.sub(r"^\s*(?:on|in|over|between|among)\s+(?:the\s+)?", "", parts[0]))})
        return max(place_share(total, len(parts), first), 1)
    return None


def is_significant(text: str, figures: list[Figure] | None = None) -> bool:
    """Heuristic: is the attack "significant" (ACLED codes its unknown deaths as 10, not 3)?

    Significant when the text carries a cue from casualty_words.yaml (heavy/fierce/violent/intense
    fighting, large-scale, dozens/hundreds, deaths "on both sides", "human losses", battles and
    bombardment, a repelled attack or an ambush, dead "and wounded" told together), or reports
    vague quantities of 10+ ("dozens of fighters").
    """
    low = text.lower()
    if any(c in low for c in _lex()["significant"]):
        return True
    return any(not f.exact and f.best >= 10 for f in (figures or []))


# --------------------------------------------------------------------------- tolls over several places

_CAP = r"(?:[A-Z][\w'’`\-]*)"
_PARTICLE = (r"(?:al|el|ad|as|ash|an|ar|at|az|ez|es|ed|abu|bin|ibn|um|umm|bani|beit|bait|tal|tall|wadi|jabal|"
             r"deir|kafr|kfar|of|de|la|du)(?:-[\w'’`]+)?(?![\w'’`\-])")
_PLACE_NAME = rf"(?:{_CAP}|(?:al|el|ad|as|ash|ar|at|az)-[\w'’`]+)(?:\s+(?:{_CAP}|{_PARTICLE}))*"
_PLACE_NOUN = (r"(?:towns?|villages?|city|cities|camps?|areas?|neighbou?rhoods?|districts?|sub-districts?|"
               r"countryside|fronts?|axis|axes|hills?|bases?|airbases?|airports?|farms?|plains?|mountains?|"
               r"desert|suburbs?|valley|checkpoints?|crossings?|stations?|oil ?fields?|dams?|bridges?|quarters?)"
               r"(?![\w\-])")
_PLACE_ITEM = rf"{_PLACE_NAME}(?:\s+{_PLACE_NOUN})?"
# a list of places after a preposition of place: "clashes in A, B and C", "the towns of A, B and C"
_PLACE_LIST = re.compile(
    r"\b(?:(?:in|at|near|around|on|across)\s+(?:the\s+|both\s+)?"
    r"(?:(?:areas?|towns?|villages?|cities|localities|neighbou?rhoods?|vicinity|outskirts|countryside|regions?|"
    r"fronts?|axes|districts?|points?|positions?|sites?|hills?|fields?)\s+(?:and\s+\w+\s+)?of\s+(?:the\s+)?)?"
    r"|(?:of|over)\s+the\s+(?:towns|villages|areas|cities|neighbou?rhoods)\s+(?:and\s+\w+\s+)?of\s+)"
    rf"(?P<list>{_PLACE_ITEM}(?:\s*,\s*(?:and\s+)?(?:in\s+)?{_PLACE_ITEM})*"
    rf"(?:\s*,?\s+(?:and|&)\s+(?:in\s+)?{_PLACE_ITEM})?)")
_LIST_SEP = re.compile(r"\s*,\s*(?:and\s+)?(?:in\s+)?|\s+(?:and|&)\s+(?:in\s+)?")
_DIRECTION = re.compile(r"(?:north|south|east|west|central|upper|lower)(?:ern)?|(?:north|south)-?(?:east|west)(?:ern)?",
                        re.I)
# a place written with its district, province and country is one place, not a list
_UNIT_WORDS = r"governorate|province|district|sub-?district|county|municipality"
_UNIT_TAIL_WORDS = r"governorates?|provinces?|districts?|sub-?districts?|county"


@lru_cache(maxsize=4)
def _address_patterns(dirs: tuple) -> tuple[re.Pattern, re.Pattern]:
    """The address regexes: admin unit words and every country's names (from the country packs)."""
    from ..countries import country_codes, get_pack

    names = {n for code in country_codes() for n in get_pack(code).all_names() if len(n) > 3}
    countries = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    address = re.compile(rf"\b(?:{_UNIT_WORDS}|{countries})\b|^\s*,\s*(?:{countries})\b")
    tail = re.compile(rf"\s*,?\s*(?:{_UNIT_TAIL_WORDS}|{countries})\b")
    return address, tail


def _address() -> tuple[re.Pattern, re.Pattern]:
    from ..countries import data_dirs

    return _address_patterns(tuple(data_dirs()))


# names of armed groups are not places: "near Iraqi Armed Forces and Iraqi Volunteer Forces soldiers"
_ACTOR_WORD = re.compile(r"\b(?:Forces?|Army|Police|Brigades?|Militias?|Division|Corps|Movement|Party|Group|"
                         r"Units?|Council|Guards?|Committees?|Battalions?|Regiment|Islamic|State|Front)\b")
_NOT_PLACES = MONTHS | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "the"}


def place_lists(text: str, offset: int = 0) -> list[list[tuple[str, int, int]]]:
    """Lists of two or more places named together after a preposition of place ("clashes in A, B
    and C", "in the towns of A, B, C and D"), each item as (text, start, end) with `offset` added.

    A list needs "and" before its last item, or four items or more: "in Mosul, Nineveh, Iraq" is an
    address, not three places.
    """
    out = []
    for m in _PLACE_LIST.finditer(text):
        seg, base = m.group("list"), m.start("list")
        items, pos = [], 0
        for part in _LIST_SEP.split(seg):
            if not part:
                continue
            at = seg.find(part, pos)
            pos = at + len(part)
            if part.split()[0].lower() not in _NOT_PLACES and not _DIRECTION.fullmatch(part):
                items.append((part, offset + base + at, offset + base + at + len(part)))
        address, address_tail = _address()
        if len(items) < 2 or address.search(seg) or address_tail.match(text, m.end()) \
                or any(_ACTOR_WORD.search(item) for item, _, _ in items):
            continue  # an address: "in <area>, <quarter> neighborhood, <city> city, <province> governorate, <country>"
        if re.search(r"\s(?:and|&)\s", seg) or len(items) >= 4 or (
                len(items) >= 3 and re.search(r"\s(?:towns|villages|areas|neighbou?rhoods)$", seg)):
            out.append(items)  # "in Amra, Birka, Dalia villages" names three places too
    return out


_COUNT = r"\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_INCIDENTS = r"(?:incidents|attacks|assaults|clashes|events|blasts|bombings|explosions|strikes|raids)"
# "across both blasts", "across all three attacks", "in the three assaults", "across three of the four
# attacks", "across all of the attacks", "repelled both assaults, killing ..."
_ACROSS_INCIDENTS = re.compile(
    r"\b(?P<prep>in|across|during|over|from|between|repelled)\s+(?:(?P<both>both)\s+|(?P<all>all)\s+(?:of\s+)?(?:the\s+)?(?:(?P<n1>"
    + _COUNT + r")\s+)?(?:of\s+the\s+)?|the\s+(?P<n2>" + _COUNT + r")\s+|(?P<n3>" + _COUNT + r")\s+of\s+the\s+(?:(?:"
    + _COUNT + r")\s+)?|(?P<the>the\s+))?(?:\w+\s+){0,2}?" + _INCIDENTS + r"\b", re.I)
# "it was one of four coordinated attacks that day"
_ONE_OF = re.compile(r"\bone of (?:at least )?(?P<n>" + _COUNT + r")\s+(?:[\w-]+\s+){0,3}?" + _INCIDENTS + r"\b", re.I)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _lex()["units"][word.lower()]


def incident_share(text: str, total: int, context: str = "") -> int | None:
    """One incident's share of a toll a report gives for several ("13 people were killed across
    both blasts", "across all three attacks"; "across all attacks" when `context` says "this was
    one of four attacks"): the total divided evenly, rounded half up; None when the text gives no
    such toll."""
    for m in _ACROSS_INCIDENTS.finditer(text):
        n = m.group("n1") or m.group("n2") or m.group("n3")
        if m.group("both"):
            count = 2
        elif n:
            count = _count(n)
        else:
            # "across (all) the attacks" needs the count from "one of N attacks"; "in the blasts"
            # is this incident's own blasts
            one_of = _ONE_OF.search(context or text)
            if one_of is None or not (m.group("all") or m.group("prep").lower() == "across"):
                continue
            count = _count(one_of.group("n"))
        if count >= 2:
            return max(int(total / count + 0.5), 1 if total > 0 else 0)
    return None


def place_share(total: int, places: int, first: bool) -> int:
    """One place's share of a toll reported over several places (ACLED divides it evenly; the first
    place named takes the remainder)."""
    if places < 2:
        return total
    share = total // places
    return share + total % places if first else share
