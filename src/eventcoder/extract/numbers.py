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

Not counted: subsets ("including 2 children", "3 of whom were women"), the total in a partitive
("2 of the 5 attackers"), cumulative tolls ("bringing the death toll to 50"), years, ages, dates.

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
                 "months", "years", "minutes", "times", "th", "st", "nd", "rd", "kg", "tons"):
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
        if w in ("including", "whom", "which", "who", "after", "before", "when", "while", "as"):
            return None
        if t.pos_ in _ALLOWED_POS:
            if t.pos_ == "AUX" and w not in _AUX_WORDS:
                return None
        elif t.pos_ == "ADP" and w in ("of", "from", "with", "among", "belonging", "affiliated", "loyal"):
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
    if t.pos_ in ("VERB", "NOUN") and lemma in lex["verbs"] and w not in ("killed", "wounded", "injured") \
            or w in ("killing", "kill", "kills", "wounding", "injuring", "wound", "injure", "wounds",
                     "injures", "executing", "execute", "assassinating"):
        return lex["verbs"].get(lemma, "killed" if w.startswith(("kill", "exec", "assas")) else "injured")
    if w in ("killed", "wounded", "injured", "executed", "assassinated", "hurt") and t.tag_ == "VBD":
        # "IS killed 3 soldiers" (active past) — but not "were killed 3 days ago"
        if i - 1 >= lo and words[i - 1] in _AUX_WORDS:
            return None
        return lex["verbs"].get(lemma, "killed" if w in ("killed", "executed", "assassinated") else "injured")
    if w in ("killed", "wounded", "injured") and t.tag_ == "VBN" and (i - 1 < lo or words[i - 1] not in _AUX_WORDS):
        # "gunmen shot and killed 2 QSD fighters" (tagged VBN by mistake)
        return "killed" if w == "killed" else "injured"
    return None


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


def _fig(kind: str, q: _Qty, toks: list[Token], end_tok: int, doc_text: str) -> Figure:
    start = toks[q.s].idx
    last = toks[max(end_tok, q.e) - 1]
    end = last.idx + len(last.text)
    return Figure(kind=kind, best=q.best, low=q.low, high=q.high, start=start, end=end,
                  text=doc_text[start:end], exact=q.exact)


def _norm(t: Token) -> str:
    return t.text.lower()


def find_figures(span: Span) -> list[Figure]:
    """Casualty figures of the event(s) a sentence reports.

    Args:
        span: a sentence or clause of a Doc from `eventcoder.nlp.load_nlp()`.
    Returns:
        One Figure per counted group, in text order; killed 0 for an explicit "no casualties";
        an `unknown=True` figure for deaths without a number.
    """
    doc = span.doc
    toks = list(doc)
    words = [_norm(t) for t in toks]
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
    # coordination: "killing two soldiers and three civilians"
    for k, q in enumerate(qtys):
        if kinds[k] is None and k > 0 and kinds[k - 1] is not None:
            between = words[qtys[k - 1].e:q.s]
            if between and between[-1] in ("and", ",", "plus") and len(between) <= 5 and all(
                    toks[qtys[k - 1].e + m].pos_ in ("NOUN", "PROPN", "ADJ", "CCONJ", "PUNCT", "DET")
                    for m in range(len(between))):
                kinds[k] = kinds[k - 1]
    seen_kind: dict[str, int] = {}
    for k, q in enumerate(qtys):
        kind = kinds[k]
        if kind is None:
            continue
        before = words[q.s - 1] if q.s - 1 >= lo else ""
        before2 = words[q.s - 2] if q.s - 2 >= lo else ""
        # partitive total: "2 of the 5 attackers"
        if (before == "of" or (before in ("the", "their", "its", "these", "those") and before2 == "of")) \
                and k > 0 and qtys[k - 1].e >= q.s - 2:
            continue
        # subset: "including 2 children", "among them 3 women", "3 of whom"
        if before in _SUBSET_BEFORE or (before2 in _SUBSET_BEFORE and before in ("the", "a")) \
                or (before == "them" and before2 == "among"):
            continue
        after = words[q.e:q.e + 2]
        if after[:2] in (["of", "whom"], ["of", "which"]) and seen_kind.get(kind):
            continue
        # cumulative toll: "bringing the death toll to 50"
        left_text = doc.text[max(span.start_char, toks[q.s].idx - 60):toks[q.s].idx]
        if _TOLL.search(left_text):
            continue
        seen_kind[kind] = seen_kind.get(kind, 0) + 1
        figures.append(_fig(kind, q, toks, ends[k], doc.text))

    covered = {i for f in figures for i in range(f.start, f.end)}
    # singular / plural victims without a number: "an HTS commander was assassinated"
    for t in span:
        w = t.text.lower()
        lemma = t.lemma_.lower()
        kind = None
        if t.pos_ == "VERB" and (lemma in lex["verbs"] or lemma in lex["intrans"]):
            kind = lex["verbs"].get(lemma) or lex["intrans"].get(lemma)
        elif w in ("killing", "death", "assassination", "execution", "body", "murder") and t.pos_ == "NOUN":
            pobj = next((g for c in t.children if c.dep_ == "prep" and c.lower_ == "of"
                         for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.tag_ in ("NN", "NNP") and pobj.lower_ != "number" and not any(
                    c.pos_ == "NUM" for c in pobj.children) and pobj.idx not in covered:
                start, end = t.idx, pobj.idx + len(pobj.text)
                figures.append(Figure(kind="killed", best=1, low=1, high=1, start=start, end=end,
                                      text=doc.text[start:end]))
                covered.update(range(start, end))
            continue
        elif w == "dead" and t.head.lemma_ in ("leave", "find", "shoot", "declare", "pronounce"):
            kind = "killed"
        if kind is None or t.idx in covered:
            continue
        # intentions and negations are not deaths: "to eliminate ISIS elements", "did not kill"
        if t.tag_ == "VB" or any(c.dep_ == "neg" for c in t.children):
            continue
        victim = _victim(t)
        if victim is None:
            continue
        if any(c.dep_ == "nummod" or c.pos_ == "NUM" for c in victim.children):
            continue
        if victim.idx in covered or any(f.start <= victim.idx < f.end for f in figures):
            continue
        vw = victim.text.lower()
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
                              text=doc.text[start:end], exact=exact, unknown=unknown))
        covered.update(range(start, end))

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


def _victim(t: Token) -> Token | None:
    """The people a casualty verb is about: passive subject, object, or subject of "died"."""
    lex = _lex()
    lemma = t.lemma_.lower()
    deps = {c.dep_: c for c in t.children}
    if lemma in lex["intrans"]:
        return deps.get("nsubj")
    if t.text.lower() == "dead":
        # "left X dead": X is the head's object, or the token "dead" modifies
        if t.dep_ == "amod" and t.head.pos_ in ("NOUN", "PROPN"):
            return t.head
        return next((c for c in t.head.children if c.dep_ in ("dobj", "nsubjpass")), None)
    if "nsubjpass" in deps:
        return deps["nsubjpass"]
    if t.dep_ in ("acl", "amod") and t.tag_ == "VBN" and t.head.pos_ in ("NOUN", "PROPN"):
        return t.head  # "a civilian killed by shelling"
    if "dobj" in deps:
        return deps["dobj"]
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
                   r"|\beach\s+(?:\w+\s+)?(?:was\s+)?(?:allocated|given|coded)?\s*(\d+)\b", re.I)
_OVER_N = re.compile(r"\b(?:between|among|across|over|into|on|to)\s+(?:the\s+|all\s+)?(" + _NUM_WORD +
                     r")\s+(?:\w+\s+)?(?:events?|locations?|areas?|villages?|towns?|sites?|fronts?|"
                     r"activities|places|points|positions|districts?)\b", re.I)
_ONE_EACH = re.compile(r"\bone (?:fatality|death|dead) (?:is |was )?(?:allocated|coded|assigned) to each\b", re.I)
_LISTED = re.compile(r"(?:\(|\b)(\d{1,3})(?:\)|\b)")


def split_share(text: str, total: int) -> int | None:
    """ACLED notes that spread one toll over several events ("29 fatalities split between the 5
    locations", "28 split, 14 each", "Maan (7), Khafsine (6)"): the share of one event, or None
    when the text does not split its toll. Shares are rounded down (conservative); a listed
    allocation gives its most common value.
    """
    global _SPLIT_WORDS
    if _SPLIT_WORDS is None:
        words = _load("casualty_words.yaml").get("split_words", [])
        _SPLIT_WORDS = re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I)
    m = _SPLIT_WORDS.search(text)
    if not m:
        return None
    # the sentence with the split word (and what follows it)
    start = max(text.rfind(".", 0, m.start()) + 1, 0)
    tail = text[start:]
    if _ONE_EACH.search(tail):
        return 1
    e = _EACH.search(tail)
    if e:
        return int(e.group(1) or e.group(2))
    after = tail[m.end() - start:]
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
        return max(total // len(parts), 1)
    return None


def is_significant(text: str, figures: list[Figure] | None = None) -> bool:
    """Heuristic: is the attack "significant" (ACLED codes its unknown deaths as 10, not 3)?

    Significant when the text carries a cue from casualty_words.yaml (heavy/fierce/violent/intense
    fighting, large-scale, dozens/hundreds, deaths "on both sides", "human losses"), or reports
    vague quantities of 10+ ("dozens of fighters").
    """
    low = text.lower()
    if any(c in low for c in _lex()["significant"]):
        return True
    return any(not f.exact and f.best >= 10 for f in (figures or []))
