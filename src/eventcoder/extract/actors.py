"""Actors of an event mention, in ACLED's naming style.

``ActorCoder.code(trigger, country)`` finds the actor mentions of the trigger's sentence with
phrase matchers built from ``data/actors/*.yaml`` (aliases, inter codes, era names), works out
who acts and who is acted upon from the dependency parse ("X attacked Y", "Y were killed by X",
"clashes between X and Y", "X, backed by Z, ...", "X and their allies Z"), and applies ACLED's
ordering conventions (state forces first in battles, unknown perpetrators coded as
"Unidentified Armed Group (Country)", unarmed victims as "Civilians (Country)").

The knowledge (names, aliases, inter codes, eras, demonyms) lives in the YAML files: adding an
actor or a country means editing or adding a file, not code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from ..countries import actor_files, all_packs, country_codes, get_pack
from .typing import Trigger

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "actors"

# Verbs / nouns that introduce an ally ("backed by Z", "with the support of Z").
SUPPORT_VERBS = {
    "back", "support", "accompany", "assist", "aid", "help", "reinforce", "cover", "escort",
    "join", "ally", "affiliate", "loyal", "include", "bolster", "supplement",
}
SUPPORT_NOUNS = {"support", "backing", "help", "cover", "assistance", "aid", "participation",
                 "cooperation", "coordination", "reinforcement", "reinforcements"}
ALLY_NOUNS = {"ally", "allies", "partner", "partners", "proxy", "proxies", "affiliate", "affiliates"}
# Prepositions whose object is the side acted upon.
TARGET_PREPS = {"with", "against", "on", "at", "into", "toward", "towards", "from", "upon",
                "targeting", "inside", "near", "onto", "to", "of"}
# "members of X", "fighters from X", "a commander in X": the actor is X.
MEMBER_PREPS = {"of", "from", "in", "within"}
ALONGSIDE_PREPS = {"alongside", "beside", "besides"}
# Descriptive phrases that hand an unknown perpetrator over to a named one.
SUSPECT_RE = re.compile(
    r"\b(believed|suspected|thought|likely|probably|presumably|allegedly|reportedly|"
    r"affiliated|belonging|linked|loyal|part of|claimed by)\b",
    re.I,
)
SUSPECT_VERBS = {"believe", "suspect", "think", "operate", "affiliate", "link", "belong", "be",
                 "claim", "act", "work"}
CLAIM_RE = re.compile(r"\b(claimed responsibility|claimed the attack|took responsibility|"
                      r"attributed (?:the \w+ |it )?to|blamed (?:the \w+ )?on|"
                      r"responsibility for)\b", re.I)
STATE = 1
STATE_FIRST = True
CIVILIANS = 7


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


@dataclass
class ActorEntry:
    """One canonical actor (or country-parametrised role) from the data files."""

    key: str                      # unique id: the name template
    name: str                     # may hold {country}
    inter: int
    country: str | None = None    # home country (None: the report's country)
    aliases: list[str] = field(default_factory=list)
    eras: list[dict] = field(default_factory=list)
    other_names: list[str] = field(default_factory=list)
    local: bool = False           # aliases only match in reports on `country`
    generic: bool = False         # descriptive noun ("gunmen", "civilians")
    role: str | None = None       # role id for country-parametrised actors
    umbrella: bool = False        # an operation/coalition that leads the side it appears on


@dataclass
class Mention:
    start: int                    # token indices in the Doc
    end: int
    entry: ActorEntry
    name: str                     # resolved canonical name
    inter: int
    rank: int                     # match priority: explicit > local role > foreign role
    anchor: Token | None = None

    @property
    def generic(self) -> bool:
        return self.entry.generic

    def span(self, doc: Doc) -> tuple[int, int]:
        sp = doc[self.start:self.end]
        return (sp.start_char, sp.end_char)


def _fill(text: str, country: str, demonym: str | None) -> str | None:
    if "{demonym}" in text:
        if not demonym:
            return None
        text = text.replace("{demonym}", demonym)
    return text.replace("{the_country}", country).replace("{country}", country)


def _names_country(alias: str, country: str, demonyms: list[str]) -> bool:
    """Whether a state force's alias says whose force it is, so that it means the same in a report
    on another country: it holds the country's name or demonym ("Israeli Defense Forces",
    "Nigerian Army") or is an acronym in capitals ("IDF", "SAA"); "the regime" does not."""
    words = set(re.findall(r"[\w'-]+", alias.lower()))
    if any(set(n.lower().split()) <= words for n in [country, *demonyms] if n):
        return True
    letters = re.sub(r"[^A-Za-z]", "", alias)
    return len(letters) >= 3 and alias == alias.upper() and _case_sensitive(alias)


def _case_sensitive(alias: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", alias)
    return bool(letters) and alias == alias.upper() and len(letters) <= 5


class ActorCatalog:
    """All actors and roles: the generic actor files, then every country pack's ``actors.yaml``.

    Args:
        actors_dir: a folder of actor files read instead of the packaged ``data/actors`` and the
            user's ``actors/`` folders (the country packs are read either way).
    """

    def __init__(self, actors_dir=None):
        self.dir = Path(actors_dir) if actors_dir else DATA_DIR
        self.roles: dict[str, dict] = {}                     # role id -> generic definition
        self.overrides: dict[str, dict[str, dict]] = {}      # country -> role id -> override
        self.demonyms: dict[str, list[str]] = {}
        self.phrase_names: dict[str, str] = {}                # "Philippines" -> "the Philippines"
        self.actors: dict[str, ActorEntry] = {}
        for code in country_codes():                         # every country's name and demonyms
            pack = get_pack(code)
            self.phrase_names[pack.name] = pack.name_in_phrase
            self.demonyms.setdefault(pack.name, [])
            self.demonyms[pack.name] += [d for d in pack.demonyms if d not in self.demonyms[pack.name]]
        if actors_dir:
            files = sorted(self.dir.glob("*.yaml")) + sorted(self.dir.glob("*.yml"))
        else:
            files = actor_files()
        for path in files:
            self._load(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        for pack in all_packs().values():
            for path in pack.actors_paths:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
                data.setdefault("country", pack.name)
                self._load(data)

    def _load(self, data: dict) -> None:
        country = data.get("country")
        for c, dems in (data.get("countries") or {}).items():
            self.demonyms.setdefault(c, [])
            self.demonyms[c] += [d for d in dems if d not in self.demonyms[c]]
        if country:
            self.demonyms.setdefault(country, [])
            self.demonyms[country] += [d for d in data.get("demonyms") or []
                                       if d not in self.demonyms[country]]
        for role, spec in (data.get("roles") or {}).items():
            if country:
                self.overrides.setdefault(country, {})[role] = spec or {}
            else:
                self.roles[role] = spec or {}
        for spec in data.get("actors") or []:
            name = spec["name"]
            home = spec.get("country", country)
            if name in self.actors:      # the same actor in several files: pool the aliases
                ent = self.actors[name]
                ent.aliases += [a for a in spec.get("aliases") or [] if a not in ent.aliases]
                ent.other_names += spec.get("other_names") or []
                continue
            self.actors[name] = ActorEntry(
                key=name, name=name, inter=int(spec["inter"]), country=home,
                aliases=[str(a) for a in spec.get("aliases") or []],
                eras=spec.get("eras") or [], other_names=spec.get("other_names") or [],
                local=bool(spec.get("local", False)), generic=bool(spec.get("generic", False)),
                umbrella=bool(spec.get("umbrella", False)),
            )

    def countries(self) -> list[str]:
        return sorted(set(self.demonyms) | set(self.overrides))

    def role_entry(self, role: str, country: str) -> ActorEntry:
        spec = dict(self.roles.get(role, {}))
        over = self.overrides.get(country, {}).get(role, {})
        name = over.get("name") or spec.get("name", role)
        return ActorEntry(
            key=f"{role}@{country}",
            name=name.replace("{the_country}", self.phrase_names.get(country, country))
                     .replace("{country}", country),
            inter=int(over.get("inter", spec.get("inter", 8))), country=country,
            aliases=[], eras=over.get("eras") or spec.get("eras") or [],
            other_names=(spec.get("other_names") or []) + (over.get("other_names") or []),
            generic=bool(over.get("generic", spec.get("generic", False))), role=role,
        )

    def aliases_for(self, country: str | None):
        """(alias, entry, rank) for a report on ``country``; higher rank wins ties.

        The report country's own actors and role aliases (rank 4) win over the same alias defined
        by another country's pack (rank 3): "SNA" in Somalia is the Somali army, in Syria the
        Syrian National Army."""
        out = []
        for ent in self.actors.values():
            if ent.local and ent.country != country:
                continue
            own = 4 if country and ent.country == country else 3
            for a in ent.aliases:
                out.append((a, ent, own))
            out.append((ent.name, ent, own))
        roles = set(self.roles) | {r for o in self.overrides.values() for r in o}
        for role in roles:
            spec = self.roles.get(role, {})
            state_role = int(spec.get("inter", 0)) == STATE
            for c in self.countries():
                if c != country and not state_role:
                    continue
                ent = self.role_entry(role, c)
                rank = 2 if c == country else 1
                dems = self.demonyms.get(c) or [None]
                over = self.overrides.get(c, {}).get(role, {})
                templates = list(spec.get("aliases") or []) + [ent.name]
                for t in templates:
                    if c != country and "{demonym}" not in t and "{country}" not in t \
                            and t != ent.name:
                        continue             # "the army" means the report country's army
                    for d in dems:
                        a = _fill(t, c, d)
                        if a:
                            out.append((a, ent, rank))
                if c == country:
                    out += [(a, ent, rank + 2) for a in over.get("aliases") or []]
                else:
                    out += [(a, ent, rank) for a in over.get("aliases") or []
                            if _names_country(a, c, self.demonyms.get(c) or [])]
        return out

    def canonical(self, name: str, country: str | None = None) -> str | None:
        """Map a name from another dataset (GTD, UCDP...) or an alias to the canonical name."""
        key = name.strip().lower()
        for ent in self.actors.values():
            if key in {n.lower() for n in [ent.name, *ent.other_names, *ent.aliases]}:
                return ent.name
        for role, spec in self.roles.items():
            names = [*(spec.get("other_names") or []), *(spec.get("aliases") or [])]
            if key in {n.lower() for n in names if "{" not in n} and country:
                return self.role_entry(role, country).name
        return None


def resolve_name(entry: ActorEntry, year: int | None) -> str:
    if year is not None:
        for era in entry.eras:
            lo, hi = era.get("from"), era.get("to")
            if (lo is None or year >= int(lo)) and (hi is None or year <= int(hi)):
                return era["name"]
    return entry.name


class ActorCoder:
    """Codes actor1/actor2 (and their associates, inter codes, interaction) of event mentions.

    Args:
        actors_dir: folder of actor YAML files (default: the packaged ``data/actors``).
    """

    def __init__(self, actors_dir=None):
        self.actors_dir = actors_dir
        self.catalog = ActorCatalog(actors_dir)
        self._matchers: dict = {}
        self._cache_doc: Doc | None = None
        self._cache_key = None
        self._cache_mentions: list[Mention] = []

    # ------------------------------------------------------------------ matching
    def _matcher(self, vocab, country: str | None):
        key = (id(vocab), country)
        if key in self._matchers:
            return self._matchers[key]
        import spacy

        tokenizer = spacy.blank("en", vocab=vocab).tokenizer
        lower = PhraseMatcher(vocab, attr="LOWER")
        exact = PhraseMatcher(vocab, attr="ORTH")
        table: dict[str, tuple[ActorEntry, int]] = {}
        seen: dict[tuple[str, bool], str] = {}
        for alias, ent, rank in self.catalog.aliases_for(country):
            alias = alias.strip()
            if not alias:
                continue
            cs = _case_sensitive(alias)
            norm = alias if cs else alias.lower()
            prev = seen.get((norm, cs))
            if prev is not None:
                if table[prev][1] >= rank:
                    continue
            mid = f"{ent.key}|{rank}"
            table[mid] = (ent, rank)
            seen[(norm, cs)] = mid
            doc = tokenizer(alias)
            (exact if cs else lower).add(mid, [doc])
        self._matchers[key] = (lower, exact, table)
        return self._matchers[key]

    def mentions(self, doc: Doc, country: str | None, year: int | None = None) -> list[Mention]:
        """All actor mentions in ``doc`` (cached for the last Doc seen)."""
        key = (country, year)
        if self._cache_doc is doc and self._cache_key == key:
            return self._cache_mentions
        lower, exact, table = self._matcher(doc.vocab, country)
        found = []
        strings = doc.vocab.strings
        for mid, s, e in list(lower(doc)) + list(exact(doc)):
            ent, rank = table[strings[mid]]
            found.append(Mention(s, e, ent, resolve_name(ent, year), 0, rank))
        # longest match first, then rank, then earliest
        found.sort(key=lambda m: (-(m.end - m.start), -m.rank, m.start))
        taken = set()
        kept = []
        for m in found:
            if any(i in taken for i in range(m.start, m.end)):
                continue
            taken.update(range(m.start, m.end))
            kept.append(m)
        kept.sort(key=lambda m: m.start)
        for m in kept:
            m.inter = self._inter(m.entry, country)
            m.anchor = _anchor(doc[m.start:m.end])
        kept = self._absorb_generic(doc, kept)
        self._cache_doc, self._cache_key, self._cache_mentions = doc, key, kept
        return kept

    def _inter(self, ent: ActorEntry, country: str | None) -> int:
        # State forces outside their own country are external actors (ACLED inter 8).
        if ent.inter == STATE and ent.country and country and ent.country != country:
            return 8
        return ent.inter

    def _absorb_generic(self, doc: Doc, ms: list[Mention]) -> list[Mention]:
        """Drop descriptive mentions that a named mention qualifies ("IS gunmen",
        "gunmen believed to be IS", "a police officer of the National Police Forces")."""
        named = [m for m in ms if not m.generic]
        out = []
        for m in ms:
            if m.generic:
                absorbed = False
                for n in named:
                    if n.anchor is not None and m.start <= n.anchor.i < m.end:
                        absorbed = True
                    elif n.end == m.start and not n.generic:   # "IS gunmen" mis-tagged
                        absorbed = True
                    elif 0 <= n.start - m.end <= 8 and m.entry.role == "unidentified":
                        between = doc[m.end:n.start]
                        if SUSPECT_RE.search(between.text) and not any(
                                t.pos_ == "VERB" and t.lemma_ not in SUSPECT_VERBS
                                for t in between) and not any(t.is_sent_start for t in between):
                            absorbed = True
                    elif 0 <= n.start - m.end <= 2 and doc[m.end:n.start].text.strip(" ,") in (
                            "of", "from"):
                        absorbed = True
                    if absorbed:
                        n.anchor = m.anchor   # the named actor takes the role of the phrase
                        break
                if absorbed:
                    continue
            out.append(m)
        return out

    # ------------------------------------------------------------------ roles
    def code(self, trigger: Trigger, country: str | None, date=None) -> ActorCoding:
        """Code the actors of one event mention.

        Args:
            trigger: the event mention (its sentence, clause and trigger words).
            country: the country of the event ("Syria"), or None.
            date: optional event date (``datetime.date``, ISO string or year) to pick
                era-dependent names such as "Military Forces of Iraq (2018-2020)".
        Returns:
            ActorCoding with names, associates, inter codes, interaction, civilian_targeting
            and evidence spans (absolute character offsets into ``doc.text``).
        """
        sent = trigger.sent
        doc = sent.doc
        year = _year(date)
        allm = self.mentions(doc, country, year)
        lo, hi = sent.start_char, sent.end_char
        if trigger.clause_start is not None and trigger.clause_end is not None:
            cl = [m for m in allm if _in(m, doc, trigger.clause_start, trigger.clause_end)]
        else:
            cl = []
        ms = [m for m in allm if _in(m, doc, lo, hi)]
        if len({m.name for m in cl}) >= 2:
            ms = cl
        ms = [m for m in ms if not _is_source(doc, m)] or ms
        ev_type = (trigger.event_type or "").lower()
        sub = (trigger.sub_event_type or "").lower()
        battle = ev_type == "battles"
        violent = battle or ev_type in ("violence against civilians", "explosions/remote violence")

        if battle or ev_type == "explosions/remote violence":
            armed = [m for m in ms if m.inter != CIVILIANS]
            if armed and battle:
                ms = armed
        sides = self._assign(doc, ms, trigger)
        A, B = sides["A"], sides["B"]
        trig_tok = _trigger_token(doc, trigger)
        if ev_type in ("protests", "riots") and country:
            A, B = self._crowd(ev_type, sub, A, B, country, year, trig_tok)
            return self._result(doc, A, B, ev_type, trig_tok)

        # the other side may be named in a neighbouring sentence of a short report
        if (not A or not B) and battle:
            names = {m.name for m in A + B}
            for m in self._nearby(doc, allm, sent):
                if m.name not in names and m.inter != CIVILIANS:
                    (B if A else A).append(m)
                    break

        # unknown perpetrator; ACLED codes an unnamed opponent in battles as unidentified
        if violent and not A and not B and country:
            A.append(self._generic_mention("unidentified", country, year, trig_tok))
        if not A and B and violent and country:
            A.append(self._generic_mention("unidentified", country, year, trig_tok))
        if not A and B:
            A = [B.pop(0)]
        if battle and A and not B and country:
            B.append(self._generic_mention("unidentified", country, year, trig_tok))
        if ev_type == "violence against civilians" and A and not B and country:
            B.append(self._generic_mention("civilians", country, year, trig_tok))

        # an unknown perpetrator named elsewhere in the report by a claim or attribution
        if violent and A and A[0].entry.role == "unidentified":
            claimed = self._claimed(doc, allm)
            if claimed is not None:
                A = [claimed] + A[1:]
        # civilians do not act in violent events
        if violent and A and B and A[0].inter == CIVILIANS and B[0].inter != CIVILIANS:
            A, B = B, A
        # ACLED orders battles with state forces first (unless the attacker is unidentified)
        if STATE_FIRST and battle and A and B and "non-state" not in sub:
            a0, b0 = A[0], B[0]
            home_b = b0.inter == STATE
            if home_b and a0.inter != STATE and a0.entry.role != "unidentified":
                A, B = B, A
        return self._result(doc, A, B, ev_type, trig_tok)

    def _crowd(self, ev_type, sub, A, B, country, year, tok):
        """Protests and riots as ACLED codes them: the crowd ("Protesters (X)", "Rioters (X)") is
        actor1 whoever the sentence names first; state forces that intervene are actor2; in mob
        violence the crowd's victims are actor2 (civilians when the report names none)."""
        role = "protesters" if ev_type == "protests" else "rioters"
        crowd_inter = 6 if role == "protesters" else 5
        everyone = A + B
        crowd = next((m for m in everyone if m.entry.role == role), None)
        if crowd is None:
            crowd = self._generic_mention(role, country, year, tok)
            named = next((m for m in everyone if m.entry.role in ("protesters", "rioters")), None)
            if named is not None and named.end > named.start:   # "protesters" in a riot report
                crowd.start, crowd.end = named.start, named.end
        crowd.inter = crowd_inter
        others = [m for m in everyone if m is not crowd and m.name != crowd.name
                  and m.inter not in (5, 6, CIVILIANS)]
        state = [m for m in others if m.inter in (STATE, 8) or m.entry.role in ("military", "police")]
        if ev_type == "protests":
            return [crowd], state
        victims = [m for m in B if m is not crowd and m.name != crowd.name
                   and m.inter in (CIVILIANS, 5, 6) and m.entry.role != "protesters"] if "mob" in sub else []
        other = state or [m for m in B if m in others] or victims
        if not other and "mob" in sub:
            other = [self._generic_mention("civilians", country, year, tok)]
        return [crowd], other

    def _claimed(self, doc: Doc, allm: list[Mention]) -> Mention | None:
        """The armed group of a sentence that claims or is credited with the attack
        ("IS claimed responsibility", "authorities attributed the attack to X")."""
        for m in allm:
            if m.generic or m.inter not in (2, 3, 4):
                continue
            sent = doc[m.start].sent
            if CLAIM_RE.search(sent.text):
                return m
        return None

    def _generic_mention(self, role, country, year, tok) -> Mention:
        ent = self.catalog.role_entry(role, country)
        i = tok.i if tok is not None else 0
        m = Mention(i, i, ent, resolve_name(ent, year), ent.inter, 0, None)
        return m

    def _nearby(self, doc: Doc, allm: list[Mention], sent: Span) -> list[Mention]:
        sents = list(doc.sents)
        idx = next((k for k, s in enumerate(sents) if s.start == sent.start), 0)
        order = []
        for d in (1, -1, 2, -2):
            k = idx + d
            if 0 <= k < len(sents):
                s = sents[k]
                order += [m for m in allm if s.start <= m.start < s.end and not m.generic]
        return order

    def _assign(self, doc: Doc, ms: list[Mention], trigger: Trigger) -> dict[str, list[Mention]]:
        """Split mentions into side A (acts), side B (acted upon), with associates."""
        by_anchor: dict[int, list[Mention]] = {}
        for m in ms:
            by_anchor.setdefault(m.anchor.i if m.anchor is not None else -1, []).append(m)
        anchors = {i for i in by_anchor if i >= 0}
        rel: dict[int, tuple[str, Token | None]] = {}
        for i in anchors:
            rel[i] = _relation(doc[i], anchors)
        # "Turkey-backed rebels", "Iranian-backed militias": an ally of the next mention
        ordered = sorted(ms, key=lambda m: m.start)
        for k, m in enumerate(ordered[:-1]):
            nxt = ordered[k + 1]
            words = [t.lower_ for t in doc[m.end:min(m.end + 3, len(doc))]]
            if words and "by" not in words and (words[0] in ("backed", "-backed", "supported", "-supported", "led")
                          or words[:2] in (["-", "backed"], ["-", "supported"], ["-", "led"])) \
                    and nxt.start - m.end <= 4 and m.anchor is not None \
                    and nxt.anchor is not None and nxt.anchor.i != m.anchor.i:
                if rel[nxt.anchor.i][0] in ("support", "?"):
                    rel[nxt.anchor.i] = rel[m.anchor.i]   # the phrase takes its first word's role
                rel[m.anchor.i] = ("support", nxt.anchor)

        side: dict[int, str] = {}
        starts = sorted((min(m.start for m in by_anchor[j]), j) for j in anchors)

        def owner_of(j, tok):
            """The mention a supporting phrase belongs to: from the parse, else the nearest
            mention named before the phrase ("X, backed by Z")."""
            o = _owner(tok, anchors, doc)
            if o is not None and o != j:
                return o
            pos = tok.i if tok is not None else min(m.start for m in by_anchor[j])
            before = [a for st, a in starts if st < pos and a != j and rel[a][0] != "support"]
            return before[-1] if before else None


        def resolve(i, depth=0):
            if i in side:
                return side[i]
            if depth > 8:
                return "?"
            kind, other = rel.get(i, ("?", None))
            if kind == "conj" and other is not None:
                s = resolve(other.i, depth + 1)
                if s == "between" or _supports_between(other.i, depth):
                    s = "B"       # "between X (, backed by Z,) and Y": Y is the other side
                side[i] = s
                return s
            if kind == "support":
                tgt = owner_of(i, other)
                if tgt is not None and tgt != i:
                    s = resolve(tgt, depth + 1)
                    s = "A" if s in ("between", "?") else s
                else:
                    s = "A"
                side[i] = s
                return s
            kind = "B" if kind == "Bp" else kind
            side[i] = kind
            return kind

        def _supports_between(j, depth):
            kind, other = rel.get(j, ("?", None))
            if kind != "support":
                return False
            tgt = owner_of(j, other)
            return tgt is not None and tgt != j and rel.get(tgt, ("?",))[0] == "between"

        primary_of: dict[int, bool] = {}
        for i in anchors:
            resolve(i)
            kind, other = rel[i]
            primary_of[i] = kind not in ("conj", "support")
        # "between X and Y" -> X acts
        for i in anchors:
            if side[i] == "between":
                side[i] = "A"

        trig_i = _trigger_token(doc, trigger)
        trig_i = trig_i.i if trig_i is not None else 0
        A: list[Mention] = []
        B: list[Mention] = []
        Aassoc: list[Mention] = []
        Bassoc: list[Mention] = []
        unknown: list[Mention] = []
        order = sorted(anchors, key=lambda j: min(m.start for m in by_anchor[j]))
        if not any(side[i] == "A" and primary_of[i] for i in order):
            # "Y was killed in clashes with X": X, the counter-party, acts
            passive = [i for i in order if side[i] == "B" and rel[i][0] != "Bp" and primary_of[i]]
            counter = [i for i in order if rel[i][0] == "Bp" and primary_of[i]]
            if passive and counter:
                side[counter[0]] = "A"
                for j in order:
                    if rel[j][0] in ("conj", "support") and side[j] == "B" and \
                            _owner_chain(j, counter[0], rel, owner_of):
                        side[j] = "A"
        for i in order:
            group = sorted(by_anchor[i], key=lambda m: m.start)
            s = side[i]
            if s not in ("A", "B"):
                unknown += group
                continue
            if primary_of[i]:
                (A if s == "A" else B).extend(group)
            else:
                (Aassoc if s == "A" else Bassoc).extend(group)
        for m in unknown:
            if not A and (m.start <= trig_i or B):
                A.append(m)
            elif not B:
                B.append(m)
            elif m.start < trig_i:
                A.append(m)
            else:
                B.append(m)
        if A and not B:
            first = A[0].name
            rest = [m for m in A if m.name != first]
            if rest:
                # two distinct actors both acting: the later-named is the other side
                cut = rest[0]
                B = [m for m in A if m.start >= cut.start and m.name != first]
                A = [m for m in A if m not in B]
                cut_i = cut.anchor.i if cut.anchor is not None else -1
                moved = [m for m in Aassoc if m.anchor is not None and
                         _owner_chain(m.anchor.i, cut_i, rel, owner_of)]
                Bassoc += moved
                Aassoc = [m for m in Aassoc if m not in moved]
        A += Aassoc
        B += Bassoc
        return {"A": A, "B": B}

    def _result(self, doc, A, B, ev_type, trig_tok) -> ActorCoding:
        res = ActorCoding()
        ev: dict[str, list[tuple[int, int]]] = {}

        def fill(ms, main_field, assoc_field):
            if not ms:
                return "", [], None
            ms = _lead_first(ms)
            main = ms[0]
            if main.end > main.start:
                ev.setdefault(main_field, []).append(main.span(doc))
            elif trig_tok is not None:   # inferred actor: point at the trigger words
                ev.setdefault(main_field, []).append((trig_tok.idx, trig_tok.idx + len(trig_tok)))
            for m in ms[1:]:
                if m.name == main.name:
                    if m.end > m.start:
                        ev.setdefault(main_field, []).append(m.span(doc))
            assoc = []
            for m in ms[1:]:
                if m.name != main.name and m.name not in assoc:
                    assoc.append(m.name)
                    ev.setdefault(assoc_field, []).append(m.span(doc))
            return main.name, assoc, main.inter

        res.actor1, res.assoc_actor_1, res.inter1 = fill(A, "actor1", "assoc_actor_1")
        b = [m for m in B if m.name != res.actor1 or not A] if len({m.name for m in B}) > 1 else B
        res.actor2, res.assoc_actor_2, res.inter2 = fill(b, "actor2", "assoc_actor_2")
        res.assoc_actor_1 = [a for a in res.assoc_actor_1 if a != res.actor2]
        res.assoc_actor_2 = [a for a in res.assoc_actor_2 if a != res.actor1]
        if res.inter1 is not None:
            pair = sorted([res.inter1, res.inter2 if res.inter2 is not None else 0])
            if res.inter2 is None:
                res.interaction = int(f"{res.inter1}0")
            else:
                res.interaction = int(f"{pair[0]}{pair[1]}")
        res.civilian_targeting = (
            res.inter2 == CIVILIANS
            and ev_type in ("violence against civilians", "explosions/remote violence")
        )
        res.evidence = ev
        return res


# ---------------------------------------------------------------------- helpers
REPORTING_VERBS = {"say", "report", "state", "tell", "announce", "confirm", "add", "claim", "accuse", "blame"}


def _is_source(doc: Doc, m: Mention) -> bool:
    """Whether the mention is who reports the event, not a party to it ("Police said eleven civilians
    died", "according to the army"): the subject of a reporting verb, or the object of "according to"."""
    inside = range(m.start, m.end)
    for tok in doc[m.start:m.end]:
        if tok.head.i in inside:
            continue
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lemma_ in REPORTING_VERBS and \
                not any(c.dep_ in ("dobj", "obj") for c in tok.head.children):
            # "the army said it killed 12 militants": a reporter who speaks of itself is a party
            return not any(g.dep_ == "nsubj" and g.lower_ in ("it", "they", "we")
                           for c in tok.head.children if c.dep_ == "ccomp" for g in c.children)
        if tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lower_ == "according":
            return True
    return False


def _lead_first(ms: list[Mention]) -> list[Mention]:
    """Order a side's mentions so its ACLED main actor comes first: an umbrella operation
    ("JWS operating under Operation Peace Spring") leads; a named unit of the main actor
    ("the regime's 4th Division") replaces the main actor's generic name."""
    if not ms:
        return ms
    umb = [m for m in ms if m.entry.umbrella]
    if umb and ms[0].entry.inter != STATE:
        ms = [umb[0]] + [m for m in ms if m is not umb[0]]
    main = ms[0]
    for m in ms[1:]:
        close = (m.anchor is not None and m.anchor == main.anchor) or 0 <= m.start - main.end <= 2
        if m.name.startswith(main.name + " ") and m.inter == main.inter and close:
            ms = [m] + [x for x in ms if x is not m and x.name != main.name]
            break
    return ms


def _year(date) -> int | None:
    if date is None:
        return None
    if isinstance(date, int):
        return date
    if hasattr(date, "year"):
        return int(date.year)
    m = re.match(r"(\d{4})", str(date))
    return int(m.group(1)) if m else None


def _in(m: Mention, doc: Doc, lo: int, hi: int) -> bool:
    s = doc[m.start].idx
    return lo <= s < hi


def _trigger_token(doc: Doc, trigger: Trigger) -> Token | None:
    sp = doc.char_span(trigger.start, trigger.end, alignment_mode="expand")
    if sp is None or len(sp) == 0:
        return None
    return sp.root


NOUNISH = {"NOUN", "PROPN", "PRON", "NUM", "ADJ", "X"}


def _anchor(span: Span) -> Token:
    """The token that carries the mention's role in the clause: climb from the span's root
    over modifiers ("IS fighters", "regime positions", "members of HTS")."""
    tok = span.root
    for _ in range(8):
        dep, head = tok.dep_, tok.head
        if head.i == tok.i:
            break
        if dep in ("compound", "amod", "nmod", "poss", "nummod", "det", "quantmod"):
            tok = head
            continue
        if dep == "conj" and head.dep_ in ("amod", "compound", "nmod") and head.pos_ != "VERB":
            tok = head
            continue
        if dep == "pobj" and head.lower_ in MEMBER_PREPS and head.head.pos_ in NOUNISH \
                and head.head.lemma_ not in SUPPORT_NOUNS and head.head.i < tok.i \
                and head.head.lemma_ not in ("area", "village", "town", "city", "part", "parts",
                                             "countryside", "outskirts", "control", "hand",
                                             "hands", "position", "positions", "rank", "ranks"):
            tok = head.head
            continue
        break
    return tok


def _relation(tok: Token, anchors: set[int]) -> tuple[str, Token | None]:
    """The role of a mention anchored at ``tok``: "A" (acts), "B" (acted upon), "between",
    ("conj", head anchor), ("support", supported token) or "?"."""
    for _ in range(12):
        dep, head = tok.dep_, tok.head
        if head.i == tok.i:
            return ("A", None) if tok.pos_ in NOUNISH else ("?", None)
        if dep == "conj":
            if head.i in anchors:
                return ("conj", head)
            tok = head
            continue
        if dep == "appos":
            if head.lemma_ in ALLY_NOUNS:
                return ("support", head)
            if head.i in anchors:
                return ("conj", head)
            tok = head
            continue
        if head.lemma_ in ALLY_NOUNS and dep in ("compound", "amod", "poss"):
            return ("support", head)
        if head.lemma_ in SUPPORT_VERBS and dep in ("npadvmod", "compound", "nsubj", "amod",
                                                   "advmod", "nmod") \
                and head.dep_ in ("amod", "acl", "compound", "nmod"):
            return ("support", head)      # "Turkey-backed rebels"
        if tok.lower_ in ("backed", "-backed") and dep in ("amod", "compound"):
            pass
        if tok.lemma_ in ALLY_NOUNS and dep in ("conj", "appos", "dobj", "pobj"):
            return ("support", head)
        if dep == "pobj":
            prep = head
            p = prep.lower_
            gov = prep.head
            if p in ("between", "among", "amongst"):
                return ("between", None)
            if prep.dep_ == "agent" or p == "by":
                if gov.lemma_ in SUPPORT_VERBS:
                    return ("support", gov)
                if gov.lemma_ in SUPPORT_NOUNS:
                    return ("support", gov)
                return ("A", gov)
            if p in ALONGSIDE_PREPS or (p == "with" and gov.lemma_ in SUPPORT_VERBS):
                return ("support", gov)
            if p in ("of", "from") and gov.lemma_ in SUPPORT_NOUNS:
                return ("support", gov)
            if p == "with" and gov.lemma_ == "along":
                return ("support", gov)
            if p in ("of", "in") and gov.pos_ in NOUNISH and gov.lemma_ in (
                    "rank", "ranks", "member", "members", "fighter", "fighters", "element",
                    "elements"):
                tok = gov
                continue
            if p in TARGET_PREPS:
                if gov.pos_ not in ("VERB", "AUX", "NOUN", "PROPN", "ADJ", "PRON"):
                    return ("?", gov)     # a mis-parse ("On 12 March, X and Y ...")
                return ("Bp", gov)
            if p in ("under", "within") or (p == "of" and gov.lower_ == "part"):
                return ("support", gov if p != "of" else gov.head)
            if p == "for":
                return ("?", gov)
            tok = gov
            continue
        if dep in ("nsubj", "csubj", "expl"):
            if head.lemma_ in ("suffer", "lose", "sustain", "die", "receive"):
                return ("B", head)
            return ("A", head)
        if dep in ("nsubjpass", "csubjpass"):
            if head.lemma_ in SUPPORT_VERBS:
                # "X, supported by Z" parsed with X as subject: X keeps the main role
                tok = head
                continue
            return ("B", head)
        if dep in ("dobj", "dative", "oprd"):
            if head.lemma_ in SUPPORT_VERBS and head.dep_ in ("acl", "advcl", "amod", "relcl"):
                return ("support", head)
            return ("B", head)
        if dep == "attr":
            return ("?", head)
        tok = head
    return ("?", None)


def _owner_chain(j, target, rel, owner_of) -> bool:
    """Whether mention anchor ``j`` is coordinated with / supports ``target``."""
    for _ in range(8):
        kind, other = rel.get(j, ("?", None))
        if kind == "conj" and other is not None:
            j = other.i
        elif kind == "support":
            o = owner_of(j, other)
            if o is None or o == j:
                return False
            j = o
        else:
            return False
        if j == target:
            return True
    return False


def _owner(tok: Token | None, anchors: set[int], doc: Doc) -> int | None:
    """The mention anchor a supporting phrase hangs from ("forces backed by Z" -> forces)."""
    cur = tok
    for _ in range(6):
        if cur is None:
            return None
        if cur.i in anchors:
            return cur.i
        if cur.head.i == cur.i:
            break
        if cur.pos_ in ("VERB", "AUX") and cur.dep_ not in ("acl", "relcl", "amod"):
            # an ally of the clause's subject
            for ch in cur.children:
                if ch.dep_ in ("nsubj",) and ch.i in anchors:
                    return ch.i
                if ch.dep_ == "nsubj":
                    inside = [t.i for t in ch.subtree if t.i in anchors]
                    return inside[0] if inside else None
            return None
        cur = cur.head
    return None
