"""Event mentions and their ACLED event type / sub-event type.

The knowledge (taxonomy, definitions, trigger lexicons, context cues) lives in
``eventcoder/data/taxonomy.yaml``; this module compiles it once into spaCy ``PhraseMatcher`` objects
(triggers, cues, case-sensitive acronyms) and applies ACLED's coding rules to each match:

* who attacked whom (civilian targets -> Violence against civilians, armed targets -> Battles,
  protesters -> Excessive force; attackers who are demonstrators -> Riots);
* who captured what (state -> Government regains territory, non-state -> Non-state actor overtakes
  territory, people -> Arrests / Abduction, weapons -> Disrupted weapons use; a change lasting a
  day or less -> Armed clash);
* what kind of explosion (aircraft, suicide, grenade, shells, chemical, IED);
* protests vs riots by the participants' violence and the force used against them;
* explosions inside an ongoing battle are flagged ``in_battle`` and scored below the battle;
* secondary mentions (an advance, a body found, a death from wounds, civilians killed with no
  perpetrator named in a conflict report) make an event only in a report that names no other
  violence;
* pronoun subjects stand for their noun ("the army said it killed ...", "militants who killed ...");
* threatened / planned / conditional / negated / historical / claimed-only mentions are flagged
  and scored low (below :data:`MIN_SCORE`); crime, accidents and disasters give nothing.

Usage::

    typer = EventTyper()
    for t in typer.find(doc):
        if t.score >= MIN_SCORE: ...
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

DEFAULT_TAXONOMY = Path(__file__).resolve().parents[1] / "data" / "taxonomy.yaml"

#: Mentions scored below this are kept (with their flags) but should not become events.
MIN_SCORE = 0.5

# multipliers for the context rules
_HYPOTHETICAL = 0.3
_NEGATED = 0.2
_HISTORICAL = 0.3
_RECENT_PAST = 0.7
_CLAIM_ONLY = 0.45

_MEANS = (("suicide", "Suicide bomb"), ("chemical", "Chemical weapon"),
          ("ied", "Remote explosive/landmine/IED"), ("grenade", "Grenade"),
          ("air", "Air/drone strike"), ("shell", "Shelling/artillery/missile attack"))
_RIOT_GEAR = {"police", "policemen", "gear", "squad", "squads", "unit", "units", "officers", "control", "shields", "troops"}
_NOT_BATTLE_NEXT = {"vehicle", "vehicles", "season", "chance", "spirit", "words", "units", "group", "groups",
                    "force", "positions", "capability", "capabilities", "ground"}
_FIGHT_WORDS = {"clash", "clashes", "clashed", "fighting", "battle", "battles", "offensive", "advance"}
_WEAK_BATTLE = ("advanc", "besieg", "encircl", "hold", "held", "secur", "progress", "made", "make")
_FOIL = ("foil", "thwart", "avert", "prevent", "frustrat", "repel", "repuls")
_BOMB_WORDS = {"bomb", "bombs", "bombing", "bomber", "bombers", "plot", "plots", "explosive", "explosives",
               "device", "devices"}
_ARREST_WORDS = {"arrest", "arrested", "arrests", "detain", "detained", "apprehended", "captured", "caught"}
_BLAST_VERBS = ("explod", "blow", "blew", "blown", "went off", "go off", "goes off", "gone off", "going off", "detonat")
_BODY_WORDS = {"body", "bodies", "corpse", "corpses", "remains"}
_BODY_NOT = {"swap", "handover", "handed", "repatriated", "repatriation", "funeral", "buried", "burial", "mass"}
_NAME_ENTS = {"ORG", "PERSON", "WORK_OF_ART", "LAW", "PRODUCT"}
_CLAUSE_DEPS = {"ROOT", "ccomp", "advcl", "conj", "relcl", "parataxis", "xcomp", "acl", "pcomp"}
_MODAL_AUX = {"would", "could", "might", "may", "will", "shall", "should", "must", "'ll", "wo"}
_YEAR_ONLY = re.compile(
    r"^(?:in |since |back in |during |by |early |late |mid-?)?(?:the )?(?:19|20)\d\d(?:s)?$", re.I
)
_RECENT = re.compile(r"\blast (?:week|month)\b|\bweeks? ago\b|\bmonths? ago\b", re.I)
_OLD = re.compile(r"\byears? ago\b|\bdecades? ago\b|\blast year\b", re.I)


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
    # extras (optional): the lexicon class that fired ("attack", "capture", ... or "fixed") and
    # context flags: "hypothetical", "negated", "historical", "recent_past", "claim_only",
    # "in_battle" (an explosion/attack inside a battle reported in the same sentence: fold it
    # into the battle), "brief_control" (territory change reverted: coded as Armed clash),
    # "protest_context" (an arrest inside a protest report), "secondary" (see _demote_secondary).
    cls: str = "fixed"
    flags: list[str] = field(default_factory=list)

    @property
    def disorder_type(self) -> str:
        return _disorder(self.event_type, self.sub_event_type)


# --------------------------------------------------------------------------------------------
# pattern compilation

_FUNCTION_WORDS = frozenset(
    "the a an of to in on at by for from into with without up down out over off and or it them "
    "his her their its under back as is was were be been being this that these those who which "
    "himself herself themselves itself no not".split()
)


def _inflections(word: str) -> set[str]:
    """Regular inflections of an English word (over-generation is harmless for matching)."""
    w = word.lower()
    if w in _FUNCTION_WORDS:
        return {w}
    out = {w, w + "s", w + "es", w + "ed", w + "d", w + "ing"}
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        out |= {w[:-1] + "ies", w[:-1] + "ied"}
    if w.endswith("e"):
        out.add(w[:-1] + "ing")
    if len(w) >= 3 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou" and w[-3] not in "aeiou":
        out |= {w + w[-1] + "ed", w + w[-1] + "ing"}
    return out


def _slot_alternatives(word: str) -> list[tuple[str, ...]]:
    """Exact lower-case token sequences one pattern word can match."""
    out: set[tuple[str, ...]] = set()
    for alt in word.split("|"):
        exact = alt.startswith("=")
        alt = alt.lstrip("=").lower()
        if not alt:
            continue
        if "-" in alt.strip("-"):
            parts = [p for p in re.split(r"(-)", alt) if p]
            out.add(tuple(parts))
            if not exact:  # "air-strikes"
                out |= {tuple(parts[:-1]) + (f,) for f in _inflections(parts[-1])}
        out |= {(alt,)} if exact else {(f,) for f in _inflections(alt)}
    return sorted(out)


@dataclass
class _Pattern:
    name: str
    segments: list[list[tuple[str, ...]]]   # each: alternative exact token sequences
    gaps: list[int]                         # optional tokens allowed before segment k+1
    pos: list[str] | None


def _compile(name: str, pattern: str, pos: list[str] | None = None) -> _Pattern:
    """Parse one lexicon pattern string (see taxonomy.yaml) into segments of exact phrases
    separated by optional-token gaps."""
    segments: list[list[tuple[str, ...]]] = []
    gaps: list[int] = []
    cur: list[tuple[str, ...]] | None = None
    gap = 0
    for word in pattern.split():
        if word == "*":
            if cur is None:
                raise ValueError(f"pattern may not start with '*': {pattern!r}")
            gap += 1
            continue
        alts = _slot_alternatives(word)
        if cur is not None and gap == 0:
            cur = [a + b for a in cur for b in alts]
            if len(cur) > 20000:
                raise ValueError(f"pattern too ambiguous: {pattern!r}")
            segments[-1] = cur
        else:
            if cur is not None:
                gaps.append(gap)
            cur = alts
            segments.append(cur)
            gap = 0
    return _Pattern(name, segments, gaps, list(pos) if pos else None)


class _LexiconMatcher:
    """Many lexicon patterns in one spaCy PhraseMatcher (attr LOWER): every wildcard-free segment
    of every pattern is a phrase; segments are chained over their gaps only where they matched,
    so the cost per document is one PhraseMatcher pass plus work proportional to the hits."""

    def __init__(self, patterns: list[_Pattern], vocab):
        self.patterns = patterns
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        # Phrases go in as sequences of LOWER ids rather than as Docs (what the matcher stores
        # and compares either way; spaCy's own unpickling adds them so): building ~50k pattern
        # Docs cost about a CPU-second on every start, this a tenth of it. Pattern words are
        # already lower case, so a word's id is the id of its LOWER attribute.
        add = vocab.strings.add
        ids: dict[str, int] = {}
        for pid, pat in enumerate(patterns):
            for k, seg in enumerate(pat.segments):
                phrases = []
                for t in seg:
                    phrase = []
                    for w in t:
                        h = ids.get(w)
                        if h is None:
                            h = ids[w] = add(w.lower())
                        phrase.append(h)
                    phrases.append(phrase)
                self.matcher.add(f"{pid}:{k}", phrases)

    def __call__(self, doc: Doc) -> list[tuple[str, int, int, int]]:
        """(pattern name, pattern index, start, end) token spans."""
        strings = doc.vocab.strings
        hits: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for mid, s, e in self.matcher(doc):
            pid, k = strings[mid].split(":")
            hits.setdefault((int(pid), int(k)), []).append((s, e))
        out = []
        for (pid, k), spans in hits.items():
            if k:
                continue
            pat = self.patterns[pid]
            for s, e in spans:
                if pat.pos and doc[s].pos_ not in pat.pos:
                    continue
                end = e
                for k2, gap in enumerate(pat.gaps, start=1):
                    nxt = [e2 for s2, e2 in hits.get((pid, k2), ()) if end <= s2 <= end + gap]
                    if not nxt:
                        end = None
                        break
                    end = min(nxt)
                if end is not None:
                    out.append((pat.name, pid, s, end))
        return out


def _disorder(event_type: str, sub_event_type: str | None, tax: dict | None = None) -> str:
    tax = tax or _load_taxonomy(str(DEFAULT_TAXONOMY))
    if sub_event_type and sub_event_type in tax.get("disorder_overrides", {}):
        return tax["disorder_overrides"][sub_event_type]
    for dis, types in tax["disorder_types"].items():
        if event_type in types:
            return dis
    raise KeyError(f"unknown event type: {event_type!r}")


@lru_cache(maxsize=8)
def _load_taxonomy(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        # libyaml's loader when PyYAML has it: the same data in a seventh of the time
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _descriptive(root: Token, words: dict) -> bool:
    """A trigger that describes an actor or a standing situation, not an incident: a participle
    modifying a noun ("the coalition fighting in Yemen", "a rebel-controlled village"), a stative
    verb in the present tense ("the group controls the valley") or a habit ("rival groups have
    frequently clashed"). ``words``: the taxonomy's ``descriptive`` lists."""
    if root.dep_ == "acl" and root.tag_ == "VBG":
        return True
    if root.dep_ == "amod" and root.tag_ == "VBN" and root.i > 0 and root.doc[root.i - 1].text == "-":
        return True  # "separatist-controlled", "government-held"
    if root.pos_ == "VERB" and any(c.dep_ == "advmod" and c.lower_ in words.get("habitual_adverbs", ())
                                   for c in root.children):
        return True
    return root.lemma_ in words.get("stative_verbs", ()) and root.tag_ in ("VBZ", "VBP") and not any(
        child.dep_ in ("aux", "auxpass") for child in root.children)


_GROUND_FIRE = ("Shelling/artillery/missile attack", "Grenade")


def _equipment(span: Span, verbs) -> bool:
    """A weapon word that is only the object of carrying, finding or moving ("a ship carrying
    heavy weapons", "police recovered two rockets")."""
    token = span.root
    while token.dep_ == "conj" and token.head is not token:
        token = token.head  # "tanks, armoured vehicles and heavy weapons"
    head = token.head
    if token.dep_ == "dobj" and head.pos_ == "VERB" and head.lemma_ in verbs:
        return not any(c.dep_ == "prt" for c in head.children)  # "carried out attacks" is an attack
    # a garbled parse: a carrying verb shortly before the weapon word, in a list of objects
    if span.root.pos_ != "NOUN":
        return False
    forms = {form for verb in verbs for form in _inflections(verb)}
    for i in range(span.start - 1, max(span.sent.start, span.start - 8) - 1, -1):
        word = span.doc[i]
        if word.lower_ in forms:
            return word.i + 1 >= len(word.doc) or word.doc[word.i + 1].lower_ != "out"  # not "carried out"
        if word.pos_ not in _LIST_POS:
            return False
    return False


_LIST_POS = {"NOUN", "PROPN", "ADJ", "NUM", "DET", "CCONJ", "PUNCT", "PART"}


# --------------------------------------------------------------------------------------------

@dataclass
class _Entry:
    event_type: str
    sub_event_type: str
    cls: str
    score: float
    secondary: bool = False  # an event only when the report names no other violence


class _Sent:
    """Cue positions for one sentence (token index -> categories)."""

    def __init__(self, sent: Span, cue_hits: dict[str, list[tuple[int, int]]]):
        self.sent = sent
        self.hits = cue_hits  # category -> [(start, end)] token spans inside the sentence

    def has(self, cat: str, lo: int | None = None, hi: int | None = None) -> bool:
        lo = self.sent.start if lo is None else lo
        hi = self.sent.end if hi is None else hi
        return any(lo <= s < hi for s, _ in self.hits.get(cat, ()))

    def spans(self, cat: str, lo: int, hi: int) -> list[tuple[int, int]]:
        return [(s, e) for s, e in self.hits.get(cat, ()) if lo <= s < hi]

    def armed(self, lo: int | None = None, hi: int | None = None) -> bool:
        return self.has("state", lo, hi) or self.has("nonstate", lo, hi) or self.has("forces", lo, hi)

    def texts(self, cat: str) -> set[str]:
        doc = self.sent.doc
        return {doc[s:e].text.lower() for s, e in self.hits.get(cat, ())}

    def at(self, cat: str, i: int) -> bool:
        return any(s <= i < e for s, e in self.hits.get(cat, ()))


class EventTyper:
    """Finds event mentions in a Doc and types them. Non-events (disasters, crime without a
    political actor, diplomacy, sport...) produce no Trigger.

    Args:
        taxonomy_path: YAML file with the taxonomy and lexicons (default: the packaged one).
        vocab: spaCy Vocab to compile the matchers against (default: taken from the first Doc).
    """

    def __init__(self, taxonomy_path=None, vocab=None):
        self.taxonomy_path = Path(taxonomy_path) if taxonomy_path else DEFAULT_TAXONOMY
        self.taxonomy = _load_taxonomy(str(self.taxonomy_path))
        self.entries: list[_Entry] = []
        self._trigger_specs: list[_Pattern] = []
        self._build_specs()
        self._vocab = None
        self._tmatcher: _LexiconMatcher | None = None
        self._cmatcher: _LexiconMatcher | None = None
        self._cur_score = 0.0
        self._conflict_report = False  # set per document by find()
        if vocab is not None:
            self._ensure(vocab)

    # ---------------------------------------------------------------- taxonomy accessors
    @property
    def event_types(self) -> list[str]:
        return list(self.taxonomy["event_types"])

    def sub_event_types(self, event_type: str | None = None) -> list[str]:
        ets = [event_type] if event_type else self.event_types
        return [s for et in ets for s in self.taxonomy["event_types"][et]["sub_event_types"]]

    def definition(self, event_type: str, sub_event_type: str | None = None) -> str:
        et = self.taxonomy["event_types"][event_type]
        if sub_event_type is None:
            return et["definition"]
        return et["sub_event_types"][sub_event_type]["definition"]

    def disorder_type(self, event_type: str, sub_event_type: str | None = None) -> str:
        """ACLED disorder type of an event type; with ``sub_event_type`` the ACLED special case
        "Excessive force against protesters" gives "Political violence; Demonstrations"."""
        return _disorder(event_type, sub_event_type, self.taxonomy)

    # ---------------------------------------------------------------- compilation
    def _add_entry(self, triggers, default_score, event_type, sub, cls):
        for trig in triggers or []:
            if isinstance(trig, str):
                trig = {"p": trig}
            idx = len(self.entries)
            self.entries.append(_Entry(event_type, sub, cls, float(trig.get("score", default_score)),
                                       bool(trig.get("secondary", False))))
            self._trigger_specs.append(_compile(f"T{idx}", trig["p"], trig.get("pos")))

    def _build_specs(self):
        for et, etd in self.taxonomy["event_types"].items():
            for sub, sd in etd["sub_event_types"].items():
                self._add_entry(sd.get("triggers"), sd.get("score", 0.8), et, sub, "fixed")
        for cls, cd in self.taxonomy.get("classes", {}).items():
            self._add_entry(cd.get("triggers"), cd.get("score", 0.6), "", "", cls)
        self._cue_specs = []
        for cat, pats in self.taxonomy.get("cues", {}).items():
            for p in pats:
                if isinstance(p, dict):
                    self._cue_specs.append(_compile(cat, p["p"], p.get("pos")))
                else:
                    self._cue_specs.append(_compile(cat, p))

    def _ensure(self, vocab):
        if self._vocab is vocab:
            return
        self._cased = PhraseMatcher(vocab, attr="ORTH")
        for cat, words in self.taxonomy.get("cues_cased", {}).items():
            self._cased.add(cat, [Doc(vocab, words=w.split()) for w in words])
        self._tmatcher = _LexiconMatcher(self._trigger_specs, vocab)
        self._cmatcher = _LexiconMatcher(self._cue_specs, vocab)
        self._vocab = vocab

    # ---------------------------------------------------------------- main entry
    def find(self, doc: Doc, armed: list[tuple[int, int]] | None = None) -> list[Trigger]:
        """Every event mention of ``doc``, ordered by position (low-score ones included).

        ``armed``: token spans of armed actors found by another stage (named groups the lexicon
        does not know, e.g. "JWS", "Sultan Murad Division"); they count as armed-forces cues.
        """
        self._ensure(doc.vocab)
        cues: dict[str, list[tuple[int, int]]] = {}
        for cat, _, s, e in self._cmatcher(doc):
            cues.setdefault(cat, []).append((s, e))
        for mid, s, e in self._cased(doc):
            cues.setdefault(doc.vocab.strings[mid], []).append((s, e))
        if armed:
            cues.setdefault("forces", []).extend(armed)
        # a conflict report: armed actors or a conflict monitor named somewhere in the document
        self._conflict_report = any(c in cues for c in ("state", "nonstate", "forces", "monitor"))
        if "hypothetical" in cues:  # the month "May" is not the modal "may"
            cues["hypothetical"] = [(s, e) for s, e in cues["hypothetical"]
                                    if not (doc[s].lower_ == "may" and doc[s].tag_ != "MD")]
        raw = [(s, e, self.entries[int(name[1:])]) for name, _, s, e in self._tmatcher(doc)]
        if not raw:
            return []
        # longest match wins where one match contains another
        raw.sort(key=lambda x: (-(x[1] - x[0]), -x[2].score, x[0]))
        kept: list[tuple[int, int, _Entry]] = []
        for s, e, ent in raw:
            if any(ks <= s and e <= ke and (ks, ke) != (s, e) for ks, ke, _ in kept):
                continue
            if any((ks, ke) == (s, e) for ks, ke, _ in kept):
                continue  # same span, lower score
            kept.append((s, e, ent))
        kept.sort(key=lambda x: x[0])

        out: list[Trigger] = []
        sent_cache: dict[int, _Sent] = {}
        for s, e, ent in kept:
            sent = doc[s].sent
            ctx = sent_cache.get(sent.start)
            if ctx is None:
                ctx = _Sent(sent, {c: [(a, b) for a, b in v if sent.start <= a < sent.end]
                                   for c, v in cues.items()})
                sent_cache[sent.start] = ctx
            trig = self._type_one(doc, doc[s:e], ent, ctx)
            if trig is not None:
                out.append(trig)
        self._fold_battles(out)
        self._demote_secondary(out)
        out.sort(key=lambda t: (t.start, -t.score))
        return out

    # ---------------------------------------------------------------- per-mention typing
    def _type_one(self, doc: Doc, span: Span, ent: _Entry, ctx: _Sent) -> Trigger | None:
        root = span.root
        if root.ent_type_ in _NAME_ENTS and root.ent_iob_ != "O" and ent.cls != "fixed" \
                or root.ent_type_ in ("ORG", "WORK_OF_ART", "LAW") and root.is_title:
            return None  # "Levant Liberation Board", "Battle of ..." as a name
        verb = _governing_verb(root)
        clause_tok = _clause_head(root)
        c_lo, c_hi = clause_tok.left_edge.i, clause_tok.right_edge.i + 1
        evidence = [(span.start_char, span.end_char)]
        flags: list[str] = []
        score = ent.score
        et, sub = ent.event_type, ent.sub_event_type

        resolver = getattr(self, f"_resolve_{ent.cls}", None)
        self._cur_score = ent.score
        if resolver is not None:
            res = resolver(doc, span, root, verb, ctx, flags, evidence)
            if res is None:
                return None
            et, sub, mult = res
            score *= mult
        else:
            res = self._type_fixed(doc, span, ent, ctx, flags)
            if res is None:
                return None
            et, sub, mult = res
            score *= mult
        if (et, sub) == ("Battles", "Armed clash") and ctx.has("suspect") and ctx.has("state") \
                and not ctx.has("nonstate"):
            et, sub = "Violence against civilians", "Attack"  # police killing a suspect in a raid
        if et == "Explosions/Remote violence" and self._disrupted(root, ctx, sub):
            et, sub = "Strategic developments", "Disrupted weapons use"
        if et == "Explosions/Remote violence" and sub in _GROUND_FIRE and ctx.has("small_arms"):
            et, sub = "Battles", "Armed clash"  # "fired mortars, grenade launchers and small arms at ..."
        if et == "Strategic developments" and ctx.has("disaster") and sub != "Arrests":
            return None
        if ctx.has("diplomacy") and et != "Protests":
            flags.append("diplomacy")
            score *= 0.5
        if ctx.has("exercise"):
            flags.append("exercise")
            score *= 0.4

        # context modifiers
        if _negated(root, verb, ctx):
            flags.append("negated")
            score *= _NEGATED
        if _hypothetical(root, ctx):
            flags.append("hypothetical")
            score *= _HYPOTHETICAL
        if _reference(verb or root):
            flags.append("reference")  # "elements involved in bombing a bus": an event told elsewhere
            score *= _CLAIM_ONLY
        if et in _VIOLENT and "intent" not in flags and _purpose(verb or root):
            flags.append("intent")  # "an operation to eliminate ISIS elements": the aim, not an event
            score *= _HYPOTHETICAL
        if _descriptive(root, self.taxonomy.get("descriptive", {})):
            flags.append("descriptive")  # "the coalition fighting in Yemen", "the militants control the valley"
            score *= _HISTORICAL
        hist = _historical(doc, clause_tok, verb, ctx)
        if hist == "historical":
            flags.append("historical")
            score *= _HISTORICAL
        elif hist == "recent_past":
            flags.append("recent_past")
            score *= _RECENT_PAST
        claims = ctx.hits.get("claim", ())
        if claims and any(cs < span.start for cs, _ in claims) and et != "Strategic developments":
            flags.append("claim_only")
            score *= _CLAIM_ONLY

        if ent.secondary:
            flags.append("secondary")
        sent = ctx.sent
        return Trigger(
            event_type=et, sub_event_type=sub,
            start=span.start_char, end=span.end_char, text=span.text, sent=sent,
            clause_start=doc[c_lo].idx, clause_end=doc[c_hi - 1].idx + len(doc[c_hi - 1].text),
            score=round(max(0.0, min(1.0, score)), 3), evidence=evidence, cls=ent.cls, flags=flags,
        )

    # ---------------------------------------------------------------- resolvers
    # each returns (event_type, sub_event_type, score multiplier) or None for "not an event"

    @staticmethod
    def _armed(ctx: _Sent) -> bool:
        return ctx.armed() or ctx.has("weapon")

    @staticmethod
    def _disrupted(tok: Token, ctx: _Sent, sub: str = "") -> bool:
        """An explosive/weapon mention governed by "found, defused, seized, intercepted...":
        Disrupted weapons use (an air strike only when the aircraft/missile was intercepted)."""
        if not ctx.has("disrupt"):
            return False
        t, below = tok, None
        for _ in range(6):
            if ctx.at("disrupt", t.i) and t.i != tok.i:
                if below is not None and below.dep_ == "nsubj":
                    return False  # "the missile destroyed the warship"
                word = t.lower_
                if sub == "Air/drone strike" and word not in ("intercepted", "shot", "downed"):
                    return False
                if word == "destroyed" and (ctx.has("air") or ctx.has("lethal")):
                    return False
                return True
            if t.head.i == t.i:
                break
            below, t = t, t.head
        return False

    def _type_fixed(self, doc, span, ent: _Entry, ctx: _Sent, flags):
        et, sub = ent.event_type, ent.sub_event_type
        if sub == "Sexual violence":
            return et, sub, 1.0
        if et == "Strategic developments" and span.root.dep_ == "amod":
            return None  # "displaced families", "looted goods": a state, not an event
        armed = self._armed(ctx)
        if et == "Explosions/Remote violence":
            if ctx.has("disaster") and not ctx.has("nonstate"):
                return None
            if _equipment(span, set(self.taxonomy.get("equipment_verbs", ()))):
                return None  # equipment carried, found or moved: no explosion
            before = {t.lower_ for t in doc[max(0, span.start - 2):span.start]}
            if before & set(self.taxonomy.get("crowd_control_before", ())):
                return None  # "water cannon", "tear gas shells": crowd control, not an explosion
            if ctx.has("crime") and not ctx.has("political") and not ctx.has("disrupt"):
                return None
        if et == "Battles":
            nxt = doc[span.end].lower_ if span.end < len(doc) else ""
            if nxt in _NOT_BATTLE_NEXT:
                return None  # "infantry fighting vehicles", "fighting season"
            if span.text.lower().startswith(_WEAK_BATTLE) and (ctx.has("protester") or not ctx.armed()):
                return None  # "protesters advanced towards parliament", "the storm encircled the town"
            if ctx.has("protester") and not ctx.has("nonstate"):
                return "Riots", "Violent demonstration", 1.05
            if ctx.has("mob") and not ctx.armed():
                return "Riots", "Mob violence", 1.0
            if ctx.has("unarmed_party") and not ctx.has("nonstate") and not ctx.has("weapon"):
                # unarmed people clashing: with the police or troops a violent demonstration,
                # among themselves mob violence (ACLED: battles are between organised armed groups)
                if ctx.has("state") or ctx.has("forces"):
                    return "Riots", "Violent demonstration", 1.0
                return "Riots", "Mob violence", 1.0
            if not armed and not any(ctx.has(c) for c in ("lethal", "death", "exchange")):
                return et, sub, 0.55  # deaths or both sides firing make the fighting real
        if ent.score < 0.65 and not (armed or ctx.has("lethal") or ctx.has("political")):
            return None
        if sub == "Disrupted weapons use" and span.text.lower().startswith(_FOIL) and ctx.armed() \
                and not any(ctx.has(c) for c in ("ied", "suicide", "grenade", "chemical")) \
                and not _has_word(ctx, _BOMB_WORDS):
            return "Battles", "Armed clash", 1.0  # an armed attack beaten back is a clash (no bomb to defuse)
        if sub == "Shelling/artillery/missile attack" and ctx.has("exchange"):
            return "Battles", "Armed clash", 0.95  # both sides fire: an armed clash (ACLED)
        if sub == "Attack":
            root = span.root
            _, target_rng = _roles(root, _governing_verb(root), span)
            if target_rng and (ctx.has("nonstate", *target_rng) or ctx.has("state", *target_rng)
                               or ctx.has("forces", *target_rng)) and not ctx.has("civilian", *target_rng):
                return "Battles", "Armed clash", 0.95  # assassinating a fighter or officer
        return et, sub, 1.0

    def _resolve_attack(self, doc, span, root, verb, ctx, flags, evidence):
        if ctx.has("sexual") and not ctx.has("nonstate"):
            return None  # "sexual assault" is typed by its own trigger
        if span[0].lower_.startswith("raid") and _has_word(ctx, _ARREST_WORDS) and not ctx.has("lethal"):
            return None  # "arrested three men in a raid": the arrest is the event
        lo, hi = ctx.sent.start, ctx.sent.end
        agent_rng, target_rng = _roles(root, verb, span)
        if agent_rng is not None and target_rng is not None and target_rng[0] == agent_rng[0]:
            target_rng = None  # "an attack by unidentified assailants": the attackers are not its target
        tgt = lambda c: target_rng is not None and ctx.has(c, *target_rng)  # noqa: E731
        agt = lambda c: agent_rng is not None and ctx.has(c, *agent_rng)  # noqa: E731
        if target_rng:
            evidence.append((doc[target_rng[0]].idx, doc[target_rng[1] - 1].idx + len(doc[target_rng[1] - 1])))
        if agt("protester") or (ctx.has("protester") and agt("protester_violence")):
            return "Riots", "Violent demonstration", 1.0
        if ctx.has("crime") and not ctx.has("political") and not ctx.armed():
            return None
        for cat, sub in _MEANS:
            if ctx.has(cat) and not (cat == "air" and ctx.texts("air") <= {"air"}):
                return "Explosions/Remote violence", sub, 1.1
        if root.dep_ == "pobj" and root.head.lower_ in ("of", "to") and root.head.head.lower_ in ("because", "due"):
            flags.append("cause")
            return "Battles", "Armed clash", 0.8
        if tgt("protester") and not tgt("mil_target"):
            return "Protests", "Excessive force against protesters", 1.1
        if tgt("mil_target") or tgt("state") or tgt("nonstate") or (tgt("forces") and not tgt("civilian")):
            # an armed actor among the targets makes it a battle (civilians hit in it count there)
            return "Battles", "Armed clash", 1.0
        if agt("mob") and not ctx.armed(*agent_rng):
            return "Riots", "Mob violence", 1.0  # "a mob attacked the chief's home"
        if tgt("civilian"):
            return "Violence against civilians", "Attack", 1.05
        if ctx.has("mob") and not self._armed(ctx):
            return "Riots", "Mob violence", 0.9
        if not self._armed(ctx) and not ctx.has("lethal"):
            return "Battles", "Armed clash", 0.5  # "attacked the plan": probably not violence
        if ctx.has("disaster") and not ctx.has("nonstate"):
            return None
        n_state, n_non = ctx.has("state", lo, hi), ctx.has("nonstate", lo, hi)
        if ctx.has("civilian") and not (n_state and n_non):
            return "Violence against civilians", "Attack", 0.95
        if ctx.has("protester"):
            return "Protests", "Excessive force against protesters", 0.9
        # armed actors and a lethal outcome ("shot dead a regime fighter"): clearly violence
        return "Battles", "Armed clash", 1.0 if ctx.has("lethal") else 0.9

    def _resolve_kill(self, doc, span, root, verb, ctx, flags, evidence):
        if ctx.has("disaster"):
            return None
        if not ctx.armed():
            return self._unattributed_kill(doc, span, root, verb, ctx, flags)
        if span[0].lower_ in _BODY_WORDS:
            # "the body of a fighter was found": a killing only when found/dumped/wounded, not
            # when bodies are exchanged or handed over (an agreement) or just mourned
            if not ctx.has("body_found") or ctx.has("exchange") or _has_word(ctx, _BODY_NOT):
                return None
        if ctx.has("crime") and not ctx.has("political"):
            return None
        agent_rng, target_rng = _roles(root, verb, span)
        if span[0].lower_.startswith(("succumb", "die", "died")):
            agent_rng, target_rng = None, agent_rng  # "a fighter succumbed to his wounds": the subject died
        tgt = lambda c: target_rng is not None and ctx.has(c, *target_rng)  # noqa: E731
        agt = lambda c: agent_rng is not None and ctx.has(c, *agent_rng)  # noqa: E731
        armed_agent = agent_rng is not None and ctx.armed(*agent_rng)
        if any(ctx.has(cat) for cat, _ in _MEANS):
            return None  # "killed in an air raid": the explosion mention types the event
        if span[0].lower_ in _BODY_WORDS and not any(tgt(c) for c in ("state", "nonstate", "forces", "civilian")):
            return None  # whose body is not said
        if tgt("protester") or (ctx.has("protester") and not tgt("state")):
            return "Protests", "Excessive force against protesters", 1.6
        if tgt("civilian") and not (tgt("state") or tgt("nonstate") or tgt("mil_target")):
            return "Violence against civilians", "Attack", 1.5 if armed_agent else 1.1
        if tgt("state") or tgt("nonstate") or tgt("forces"):
            return "Battles", "Armed clash", 1.6 if armed_agent else 1.0
        if ctx.has("state") and ctx.has("nonstate"):
            return "Battles", "Armed clash", 1.2  # a death where both sides are armed: a battle
        after = (span.end, min(ctx.sent.end, span.end + 6))
        if armed_agent and agent_rng[1] <= span.start and ctx.armed(*after) and not ctx.has("civilian", *after):
            return "Battles", "Armed clash", 1.2  # "X killed 32 IS fighters" with a garbled parse
        if ctx.has("civilian"):
            return "Violence against civilians", "Attack", 1.0
        return "Battles", "Armed clash", 0.9

    def _unattributed_kill(self, doc, span, root, verb, ctx, flags):
        """"53 people were killed near Palmyra, according to SOHR": civilians killed with no
        perpetrator named, in a conflict report (armed actors or a conflict monitor named in the
        document). ACLED codes the unknown perpetrator as an unidentified armed group: Violence
        against civilians / Attack, as a secondary mention (only when the report names no other
        violence, which would hold the deaths)."""
        if not self._conflict_report or span[0].lower_ in _BODY_WORDS:
            return None
        if ctx.has("crime") and not ctx.has("political"):
            return None
        if any(ctx.has(cat) for cat, _ in _MEANS) or ctx.has("protester"):
            return None  # the explosion or the protest mention types the event
        _, target_rng = _roles(root, verb, span)
        if target_rng is None or not ctx.has("civilian", *target_rng):
            return None
        flags.append("secondary")
        flags.append("unattributed")
        return "Violence against civilians", "Attack", max(1.0, 0.55 / self._cur_score)

    def _resolve_capture(self, doc, span, root, verb, ctx, flags, evidence):
        agent_rng, target_rng = _roles(root, verb, span)
        word = span.text.lower()
        retake = bool(re.match(r"re(captur|tak|took|gain|claim)", word))
        tgt = lambda c: target_rng is not None and ctx.has(c, *target_rng)  # noqa: E731
        agt = lambda c: agent_rng is not None and ctx.has(c, *agent_rng)  # noqa: E731
        if target_rng is not None:
            tl, th = target_rng
            head = _head_noun(doc[tl:th])
            if ctx.at("loot", head.i) and not retake:
                return "Strategic developments", "Looting/property destruction", 1.0  # "seized a truck"
            named_person = (head.ent_type_ in ("PERSON", "NORP") and not retake and "control" not in word)
            if named_person and head.pos_ == "PROPN" and (
                    tgt("territory") or _has_word(ctx, _FIGHT_WORDS)
                    or any(t.ent_type_ in ("GPE", "LOC", "FAC") for t in doc[tl:th])):
                named_person = False  # "captured Tal X ... after clashes": a village tagged as a person
            tgt_person = ctx.at("person", head.i) or named_person
            tgt_place = ctx.at("territory", head.i) or head.ent_type_ in ("GPE", "LOC", "FAC") or (
                not tgt_person and (tgt("territory") or any(t.ent_type_ in ("GPE", "LOC", "FAC") for t in doc[tl:th])))
            if not tgt_person and not tgt_place and head.pos_ == "PROPN" and (
                    _has_word(ctx, _FIGHT_WORDS) or agent_rng is not None and ctx.armed(*agent_rng)):
                tgt_place = True  # a named place taken by an armed group or in fighting
            if self._cur_score <= 0.5 and word in ("take", "took", "taken", "taking", "takes") and not (
                    ctx.at("territory", head.i) or head.ent_type_ in ("GPE", "LOC", "FAC")
                    or head.pos_ == "PROPN" and tgt_place
                    or head.lower_ in ("part", "parts", "most", "half", "rest", "areas") and tgt_place):
                return None  # a bare "took": only "took the town / took Kafr X" is a takeover
            if word.startswith(("expel", "oust", "drove", "drive")):
                # "expelled IS from the village": a place taken; "expelled the diplomats": nothing
                if not (tgt("nonstate") or tgt("state") or tgt("forces") or tgt_place):
                    return None
                tgt_person, tgt_place = False, True
            tgt_weapon = ctx.at("weapon", head.i) or (tgt("weapon") and not tgt_place)
        else:
            tgt_person = tgt_place = tgt_weapon = False
        if tgt_weapon and not tgt_place:
            return "Strategic developments", "Disrupted weapons use", 1.0
        armed_tgt = tgt("nonstate") or tgt("forces")
        if tgt("crime") and not armed_tgt or (ctx.has("crime") and not ctx.has("political") and not tgt_place
                                               and not armed_tgt):
            return None
        state_agent = agt("state") and not agt("nonstate")
        non_agent = agt("nonstate")  # rebels with foreign state backing still overtake as non-state
        if agt("state") and agt("nonstate"):
            # both kinds in the subject ("regime forces, backed by allied militias"): its head
            # decides; "pro-government militias" count with the state
            ahead = doc[agent_rng[0]:agent_rng[1]].root
            if ctx.at("state", ahead.i) or any(c.dep_ in ("amod", "compound", "nmod") and ctx.at("state", c.i)
                                                for c in ahead.children):
                state_agent, non_agent = True, False
        if tgt_person and not tgt_place:
            if state_agent:
                return "Strategic developments", "Arrests", 0.95
            if non_agent:
                return "Violence against civilians", "Abduction/forced disappearance", 1.0
            return "Strategic developments", "Arrests", 0.7
        if not tgt_place and not ctx.armed():
            return None  # "seized the opportunity", "took control of the economy"
        if ctx.has("disaster") and not ctx.armed():
            return None
        if ctx.has("brief"):
            flags.append("brief_control")
            return "Battles", "Armed clash", 0.95
        if ctx.has("transfer"):
            return "Strategic developments", "Non-violent transfer of territory", 1.8
        # a territory change beats the clash that produced it (ACLED): score at least 0.86
        if tgt_place or (self._cur_score >= 0.8 and not tgt_person):
            mult = max(1.0, 0.86 / self._cur_score)
        else:
            mult = 0.8
        if any(c.dep_ == "aux" and c.tag_ == "TO" for c in root.children) and root.head.lemma_ not in (
                "manage", "succeed", "continue", "begin", "start", "able"):
            if root.head.lemma_ in ("try", "attempt", "fail", "seek", "bid", "attack", "push", "effort"):
                flags.append("attempt")  # a failed/attempted takeover is a clash
                strong = ctx.armed() and self._cur_score >= 0.55  # "tried to seize the town", not "to enter"
                return "Battles", "Armed clash", max(0.9, 0.6 / self._cur_score) if strong else 0.9
            flags.append("intent")  # "plans to capture"
            mult *= 0.6
        if state_agent:
            return "Battles", "Government regains territory", mult
        if non_agent:
            return "Battles", "Non-state actor overtakes territory", mult
        # unknown agent: look at "from X" and at the sentence
        from_state = from_non = False
        for t in (verb or root).subtree:
            if t.lower_ == "from" and t.dep_ == "prep":
                lo2, hi2 = t.left_edge.i, t.right_edge.i + 1
                from_state, from_non = ctx.has("state", lo2, hi2), ctx.has("nonstate", lo2, hi2)
        if from_non and not from_state:
            return "Battles", "Government regains territory", mult
        if from_state and not from_non:
            return "Battles", "Non-state actor overtakes territory", mult
        if retake or "liberat" in word:
            return "Battles", "Government regains territory", mult * 0.9
        if ctx.has("nonstate") and not ctx.has("state"):
            return "Battles", "Non-state actor overtakes territory", mult * 0.9
        return "Battles", "Government regains territory", mult * 0.85

    def _resolve_bombing(self, doc, span, root, verb, ctx, flags, evidence):
        word = span.text.lower()
        bomb_word = "bomb" in word
        if not bomb_word and ctx.has("disaster") and not ctx.has("nonstate"):
            return None
        if not bomb_word and not (self._armed(ctx) or ctx.has("ied") or ctx.has("suicide")
                                  or ctx.has("claim") or ctx.has("lethal")):
            return None
        if ctx.has("crime") and not ctx.has("political") and not ctx.has("disrupt"):
            return None
        boost = 1.0
        if word.startswith(_BLAST_VERBS):
            subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and ctx.at("carrier", subj.i):
                boost = max(1.0, 0.8 / self._cur_score)  # "the vehicle blew up": a car bomb
            elif word.startswith(("blow", "blew")) and any(c.dep_ == "dobj" for c in root.children) \
                    and not ctx.has("lethal"):
                boost = 0.9  # "blew up the bridge": destruction, an event only with victims
        for cat, sub in _MEANS:
            if ctx.has(cat):
                return "Explosions/Remote violence", sub, boost
        mult = 1.0 if bomb_word or boost > 1.0 or self._armed(ctx) else 0.8
        return "Explosions/Remote violence", "Remote explosive/landmine/IED", mult * boost

    def _resolve_grenade(self, doc, span, root, verb, ctx, flags, evidence):
        if ctx.has("crime") and not ctx.has("political") and not ctx.has("disrupt"):
            return None
        if ctx.has("disaster") and not ctx.armed():
            return None
        if ctx.has("protester") or ctx.has("protester_violence") and ctx.has("intervention"):
            if "grenade" not in span.text.lower():
                return "Riots", "Violent demonstration", 1.0
        nxt = doc[span.end].lower_ if span.end < len(doc) else ""
        if nxt in set(self.taxonomy.get("grenade_launched_next", ())):
            return "Explosions/Remote violence", "Shelling/artillery/missile attack", 1.0
        return "Explosions/Remote violence", "Grenade", 1.0

    def _resolve_protest(self, doc, span, root, verb, ctx, flags, evidence):
        word = span.text.lower()
        weak_word = word.startswith(("march", "strike", "rall", "block", "chant", "picket", "boycott", "walk"))
        if weak_word and not ctx.has("protester") and (self._armed(ctx) or not ctx.has("crowd")):
            return None  # "troops marched into", "rallied fighters", "Russia strikes back"
        if weak_word and word.startswith("strike") and (ctx.has("air") or ctx.has("shell")):
            return None
        et, sub, mult = _protest_kind(ctx)
        sroot = ctx.sent.root
        if sroot.lemma_ in ("arrest", "detain", "apprehend", "jail") and _clause_head(root).i != sroot.i:
            flags.append("arrest_context")
            mult *= 0.85  # "police arrested activists ahead of a protest": the arrest is the event
        return et, sub, mult

    def _resolve_riot(self, doc, span, root, verb, ctx, flags, evidence):
        nxt = doc[span.end].lower_ if span.end < len(doc) else ""
        prev = doc[span.start - 1].lower_ if span.start > 0 else ""
        if nxt in _RIOT_GEAR or prev in ("anti", "anti-"):
            return None  # "riot police", "anti-riot units"
        if ctx.has("mob") and not ctx.has("protester") or span.text.lower().startswith(("mob", "vigilant", "lynch")):
            if not ctx.has("protester"):
                return "Riots", "Mob violence", 1.0
        if span.text.lower() == "unrest" and not ctx.has("protester_violence"):
            et, sub, mult = _protest_kind(ctx)
            return et, sub, mult * 0.9
        return "Riots", "Violent demonstration", 1.0

    def _resolve_arrest(self, doc, span, root, verb, ctx, flags, evidence):
        if ctx.has("sexual"):
            return "Violence against civilians", "Sexual violence", 0.9
        agent_rng, target_rng = _roles(root, verb, span)
        # members of an armed group arrested over a crime are still a conflict actor's arrest
        armed_tgt = target_rng is not None and (ctx.has("nonstate", *target_rng) or ctx.has("forces", *target_rng)) \
            and not ctx.has("crime", *target_rng)
        if ctx.has("crime") and not ctx.has("political") and not armed_tgt:
            return None
        if span[0].lower_ in ("catch", "caught", "catches", "catching") and not (
                armed_tgt or target_rng is not None and ctx.has("political", *target_rng)):
            return None  # "caught fire", "caught the bus"; "caught an IS cell" is an arrest
        if ctx.has("protester"):
            flags.append("protest_context")
            return "Strategic developments", "Arrests", 0.8
        if agent_rng and ctx.has("nonstate", *agent_rng) and not ctx.has("state", *agent_rng):
            # "militants detained/held ..." -> abduction
            return "Violence against civilians", "Abduction/forced disappearance", 0.9
        return "Strategic developments", "Arrests", 1.0 if ctx.has("political") else 0.85

    def _resolve_operation(self, doc, span, root, verb, ctx, flags, evidence):
        if not ctx.armed() and "military" not in span.text.lower():
            return None
        if ctx.has("crime") and not ctx.has("political") and not ctx.has("nonstate"):
            return None  # police against smugglers; an armed group's operation against them still counts
        if ctx.has("nonstate") and ctx.armed():
            return "Battles", "Armed clash", max(1.0, 0.66 / self._cur_score)  # operation against a group
        return "Battles", "Armed clash", 1.0

    def _resolve_establish(self, doc, span, root, verb, ctx, flags, evidence):
        if not ctx.armed() or not ctx.has("base_noun"):
            return None
        return "Strategic developments", "Headquarters or base established", 1.0

    def _resolve_weapons_found(self, doc, span, root, verb, ctx, flags, evidence):
        if self._disrupted(root, ctx) or (span.text.lower() in ("cache", "caches", "stash") and not ctx.has("air")):
            return "Strategic developments", "Disrupted weapons use", 1.0
        return None

    def _resolve_withdraw(self, doc, span, root, verb, ctx, flags, evidence):
        if not ctx.armed():
            return None
        if ctx.has("transfer", ctx.sent.start, span.start) or ctx.has("transfer", span.end, ctx.sent.end):
            return "Strategic developments", "Non-violent transfer of territory", 1.2
        return "Strategic developments", "Change to group/activity", 1.0

    # ---------------------------------------------------------------- ACLED folding rules
    @staticmethod
    def _demote_secondary(triggers: list[Trigger]):
        """Secondary mentions ("forces advanced on X", "the body of a fighter was found", "a
        fighter succumbed to his wounds") stand for an event only in a report that names no
        other violence; beside a clash, a takeover or an attack they are part of it (a later
        death adds to the attack's toll, an advance to the takeover): drop them below MIN_SCORE."""
        if not any("secondary" in t.flags for t in triggers):
            return
        if not any(t.score >= MIN_SCORE and t.event_type in _VIOLENT and "secondary" not in t.flags
                   for t in triggers):
            return
        for t in triggers:
            if "secondary" in t.flags and t.event_type in _VIOLENT:
                t.score = min(t.score, round(MIN_SCORE - 0.01, 3))

    @staticmethod
    def _fold_battles(triggers: list[Trigger]):
        """Explosions and killings reported in the same sentence as a battle belong to the battle
        (ACLED): flag them ``in_battle`` and keep their score below the battle's."""
        sents = sorted({t.sent.start: t.sent for t in triggers}.items())
        order = {start: k for k, (start, _) in enumerate(sents)}
        battles_at: dict[int, float] = {}
        for t in triggers:
            if t.event_type == "Battles" and t.score >= 0.7 and t.cls in ("fixed", "capture", "operation"):
                k = order[t.sent.start]
                battles_at[k] = max(battles_at.get(k, 0.0), t.score)
        if not battles_at:
            return
        for t in triggers:
            k = order[t.sent.start]
            # the same sentence, or the next one when it follows straight on ("Clashes were
            # accompanied by shelling"); sentences must be adjacent in the text
            near = [battles_at[j] for j in (k, k - 1) if j in battles_at
                    and (j == k or sents[j][1].end == t.sent.start)]
            if not near:
                continue
            best = max(near)
            if True:  # noqa: SIM108 (kept flat for readability)
                fold = (t.event_type == "Explosions/Remote violence"
                        and t.sub_event_type not in ("Suicide bomb", "Chemical weapon")) or (
                        t.event_type == "Violence against civilians" and t.cls == "kill")
                if fold:
                    t.flags.append("in_battle")
                    t.score = round(min(t.score, best - 0.05), 3)


# -------------------------------------------------------------------------------------------
# dependency helpers (walk only a few tokens around each match)

def _governing_verb(tok: Token) -> Token | None:
    t = tok
    for _ in range(4):
        if t.pos_ in ("VERB", "AUX"):
            return t
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _clause_head(tok: Token) -> Token:
    t = tok
    for _ in range(8):
        if t.pos_ in ("VERB", "AUX") and t.dep_ in _CLAUSE_DEPS or t.head.i == t.i:
            return t
        t = t.head
    return t.sent.root


def _roles(root: Token, verb: Token | None, span: Span):
    """(agent range, target range) as token index ranges, from the parse with a positional
    fallback: the agent is the subject or "by X", the target the object, "on/against X" or the
    passive subject."""
    agent = target = None
    head = root if root.pos_ in ("VERB", "AUX") else None
    if head is None and root.pos_ in ("NOUN", "PROPN"):
        # "an attack on X by Y", "carried out an attack on X"
        for c in root.children:
            if c.dep_ == "prep" and c.lower_ in ("on", "against", "at", "targeting", "of", "in"):
                target = (c.left_edge.i, c.right_edge.i + 1)
            elif c.dep_ == "prep" and c.lower_ == "by":
                agent = (c.left_edge.i, c.right_edge.i + 1)
            elif c.dep_ == "poss" and target is None and root.lower_ in _BODY_WORDS:
                target = (c.left_edge.i, c.right_edge.i + 1)  # "the commander's body"
            elif c.dep_ in ("compound", "amod", "nmod") and target is None and c.i < root.i:
                pass
        if root.dep_ in ("dobj", "nsubjpass", "attr") and root.head.pos_ in ("VERB", "AUX"):
            head = root.head
        elif root.dep_ in ("nsubj",) and root.head.pos_ in ("VERB", "AUX"):
            v = root.head  # "an attack targeted X", "the attack killed X"
            for c in v.children:
                if c.dep_ in ("dobj", "nsubjpass"):
                    target = target or (c.left_edge.i, c.right_edge.i + 1)
            return agent, target
        elif root.dep_ == "pobj" and root.head.head.pos_ in ("VERB", "AUX"):
            # "targeted X with machine guns": the weapon's verb has the roles
            head = root.head.head if root.head.lower_ == "with" else None
    if head is not None:
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in head.children)
        # the target by preference: passive subject, object, then "on/against X" after the verb
        # (a fronted "On 3 May, ..." is a date, not a target)
        cands: list[tuple[int, tuple[int, int]]] = []
        for c in head.children:
            if c.dep_ == "nsubj":
                agent = agent or (c.left_edge.i, c.right_edge.i + 1)
            elif c.dep_ in ("nsubjpass", "csubjpass"):
                # "46 people gathering truffles were killed" (a clausal passive subject)
                cands.append((0, (c.left_edge.i, c.right_edge.i + 1)))
            elif c.dep_ == "agent":
                agent = (c.left_edge.i, c.right_edge.i + 1)
            elif c.dep_ in ("dobj", "attr") and c.i != root.i and not span.start <= c.i < span.end:
                cands.append((1, (c.left_edge.i, c.right_edge.i + 1)))
            elif c.dep_ == "dobj":
                for g in c.children:  # "took control of X", "opened fire at X"
                    if g.dep_ == "prep":
                        cands.append((2, (g.left_edge.i, g.right_edge.i + 1)))
            elif c.dep_ == "prep" and c.lower_ in ("on", "against", "at", "into", "of", "over") and c.i > head.i:
                cands.append((3, (c.left_edge.i, c.right_edge.i + 1)))
        if cands and target is None:
            target = min(cands, key=lambda x: x[0])[1]
        if head.dep_ in ("relcl", "acl") and agent is None and not passive:
            agent = (head.head.left_edge.i, head.head.i + 1)
        if head.dep_ in ("relcl", "acl") and passive and target is None:
            target = (head.head.left_edge.i, head.head.i + 1)
        if agent is None and head.dep_ in ("xcomp", "conj", "advcl"):
            for c in head.head.children:  # "militants tried to storm", "X attacked and seized"
                if c.dep_ == "nsubj":
                    agent = (c.left_edge.i, c.right_edge.i + 1)
        if agent is None and passive and not any(c.dep_ == "agent" for c in head.children):
            agent = None
        if agent is not None and agent[1] - agent[0] == 1 and (head.i == root.i or head.lemma_ in _LIGHT_VERBS):
            agent = _antecedent(root.doc[agent[0]], head) or agent  # "the army said it killed"
        if agent is None and passive and span.end < span.sent.end and root.doc[span.end].lower_ == "by":
            by = root.doc[span.end]  # "killed by IS" with the by-phrase hung elsewhere in the parse
            agent = (by.i, by.right_edge.i + 1) if by.right_edge.i > by.i else (by.i, min(span.sent.end, by.i + 5))
    if target is None:
        s = span.sent
        target = (span.end, min(s.end, span.end + 8)) if span.end < s.end else None
    if agent is None:
        s = span.sent
        agent = (max(s.start, span.start - 8), span.start) if span.start > s.start else None
    return agent, target


_LIGHT_VERBS = frozenset(("launch", "carry", "conduct", "stage", "mount", "wage"))
_REPORT_VERBS = frozenset(("say", "announce", "claim", "report", "state", "confirm", "add", "tell", "declare",
                           "acknowledge", "admit", "insist", "note", "write", "post", "publish"))
_PERSONAL = frozenset(("it", "they", "he", "she", "we"))
_RELATIVE = frozenset(("who", "which", "that"))


def _antecedent(tok: Token, verb: Token) -> tuple[int, int] | None:
    """The noun phrase a pronoun subject stands for, inside its sentence: a relative pronoun's
    noun ("militants who killed ..."); a personal pronoun's reporter ("the army said it killed
    ...") or the subject of the clause it is joined to ("rebels stormed the town and they
    killed ..."). None when there is no such noun."""
    word = tok.lower_
    if word in _RELATIVE:
        if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
            noun = verb.head
            return noun.left_edge.i, noun.i + 1
        return None
    if word not in _PERSONAL or tok.pos_ != "PRON":
        return None
    v = tok.head
    for _ in range(3):
        if v.head.i == v.i or not (v.dep_ == "conj" or v.dep_ == "ccomp" and v.head.lemma_ in _REPORT_VERBS):
            return None
        v = v.head
        for c in v.children:
            if c.dep_ == "nsubj" and c.i < tok.i and c.pos_ in ("NOUN", "PROPN"):
                return c.left_edge.i, c.right_edge.i + 1
    return None


def _has_word(ctx: _Sent, words) -> bool:
    return any(t.lower_ in words for t in ctx.sent)


def _negated(root: Token, verb: Token | None, ctx: _Sent) -> bool:
    for t in (root, verb):
        if t is None:
            continue
        for c in t.children:
            if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ in ("no", "neither")):
                return True
    t = verb
    for _ in range(2):  # "were not able to gain control", "did not manage to capture"
        if t is None or t.dep_ not in ("xcomp", "acomp") or t.head.i == t.i:
            break
        t = t.head
        if any(c.dep_ == "neg" for c in t.children):
            return True
    t = root
    for _ in range(2):  # "without fighting", "no sign of clashes"
        if t.head.i == t.i:
            break
        if t.head.lower_ == "without":
            return True
        t = t.head
    return False


_DONE_HEADS = ("able", "manage", "succeed", "continue", "begin", "start", "force", "go", "try", "attempt", "fail",
               # reported deeds: "claimed to have killed", "believed to be caused by", "said to kill"
               "claim", "believe", "report", "say", "allege", "appear", "seem", "know", "understand", "think")


_VIOLENT = ("Battles", "Explosions/Remote violence", "Violence against civilians")
_REFERENCE_HEADS = ("involve", "involvement", "role", "responsibility", "responsible", "accuse", "suspect", "blame", "charge", "convict", "behind",
                    "implicate", "participate")


def _reference(verb: Token | None) -> bool:
    """A deed named as what someone is accused of or took part in ("involved in bombing a bus")."""
    if verb is None or verb.dep_ not in ("pcomp", "pobj"):
        return False
    head = verb.head
    if head.pos_ == "ADP":
        head = head.head
    return head.lemma_.lower() in _REFERENCE_HEADS


def _purpose(verb: Token | None) -> bool:
    """A purpose infinitive: "carried out an operation to eliminate ...", "sent troops to storm ..."."""
    if verb is None or verb.pos_ != "VERB" or verb.dep_ not in ("advcl", "acl", "xcomp", "relcl"):
        return False
    if not any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children):
        return False
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("have", "be", "been") for c in verb.children):
        return False  # "to have killed", "to be caused by": a deed reported, not an aim
    return verb.head.lemma_ not in _DONE_HEADS


def _hypothetical(root: Token, ctx: _Sent) -> bool:
    hyp = ctx.hits.get("hypothetical")
    t = root
    for _ in range(6):
        if hyp and ctx.at("hypothetical", t.i) and t.i != root.i:
            return True
        for c in t.children:
            if c.dep_ == "aux" and c.lower_ in _MODAL_AUX:
                return True
            if c.dep_ == "mark" and c.lower_ in ("if", "unless", "lest"):
                return True
        if t.head.i == t.i:
            break
        t = t.head
    return False


def _historical(doc: Doc, clause: Token, verb: Token | None, ctx: _Sent) -> str | None:
    lo, hi = clause.left_edge.i, clause.right_edge.i + 1
    for e in doc.ents:
        if e.label_ != "DATE" or e.start < lo or e.end > hi:
            continue
        # the date must attach to the clause's own verb, not to a nested later clause
        if _governing_verb(e.root) not in (clause, verb):
            continue
        txt = e.text.strip()
        if _YEAR_ONLY.match(txt) or _OLD.search(txt):
            return "historical"
        if _RECENT.search(txt):
            return "recent_past"
    if verb is not None and clause is verb:
        for c in verb.children:  # "fled the town when it was stormed ... in 2014"
            if c.dep_ == "advcl" and any(g.lower_ == "when" for g in c.children):
                if _historical(doc, c, c, ctx) == "historical":
                    return "historical"
    if ctx.has("historical", lo, hi):
        # "years ago", "last year", "in the past" (ent-less variants)
        span_txt = doc[lo:hi].text
        if _OLD.search(span_txt) or re.search(r"\bin the past\b", span_txt, re.I):
            return "historical"
    if verb is not None and verb.tag_ == "VBN" and any(c.lower_ == "had" and c.dep_ == "aux" for c in verb.children):
        if any(c.dep_ == "advmod" and c.lower_ in ("previously", "earlier", "once", "formerly") for c in verb.children):
            return "historical"
    return None


def _protest_kind(ctx: _Sent) -> tuple[str, str, float]:
    """Protest sub-type from the sentence: the demonstrators' violence makes a riot; lethal or
    seriously injurious force makes excessive force; dispersal or arrests an intervention.
    Types backed by evidence score a little above a bare "peaceful protest"."""
    if ctx.has("protester_violence"):
        return "Riots", "Violent demonstration", 1.1
    if ctx.has("lethal"):
        return "Protests", "Excessive force against protesters", 1.1
    if ctx.has("protester_violence_weak"):
        return "Riots", "Violent demonstration", 1.05
    if ctx.has("intervention"):
        return "Protests", "Protest with intervention", 1.08
    return "Protests", "Peaceful protest", 1.0


def _head_noun(span: Span) -> Token:
    root = span.root
    if root.dep_ == "prep" or root.pos_ == "ADP":
        for c in root.children:
            if c.dep_ == "pobj":
                return c
    return root
