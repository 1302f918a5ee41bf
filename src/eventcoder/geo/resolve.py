"""Toponym -> place: which place of a mention is the event's, and where it is.

``PlaceResolver.context(doc)`` reads the whole article once (country of the report, governorates it
names, unambiguous places); ``PlaceResolver.resolve(span, context)`` finds the toponyms of one
sentence or clause, looks them up in the gazetteer (:mod:`.gazetteer`) through transliteration keys
(:mod:`.names`), disambiguates them by the context, and returns the place where the event happened,
with ACLED's geo_precision:

- 1: a town ("in Jasim");
- 2: near a town or part of it ("near Sabbourah", "outskirts of Idlib", "Tal Rifaat countryside",
  "on the Bahariya front");
- 3: a region only ("in Idlib countryside", "in Rural Damascus"): the region's capital.

Not places of an event: nationalities ("Lebanese"), names inside organisation or nickname phrases
("the Sword of Baghdad", "Deir ez-Zor Military Council", "the Russian Reconciliation Center in Syria").
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from spacy.tokens import Doc, Span

from ..nlp import per_doc, text_of
from ..countries import Admin1, get_pack
from .country import lexicon, weights, words
from .names import fold, plain
from .place import Place, distance_km


@dataclass
class ResolvedPlace:
    place: Place
    geo_precision: int         # 1 town, 2 near a town / part of a region, 3 region only
    start: int                 # absolute char span of the toponym in doc.text
    end: int
    text: str
    score: float = 0.0         # how sure the resolver is (higher is surer; for ranking only)
    unknown: str = ""          # a place the text names that the gazetteer lacks ("in Al-Hibet village")


@dataclass
class GeoContext:
    """What the whole article says about where it is: the country of the report, admin units named."""

    country: str | None = None
    country_code: str | None = None
    admin1: list[str] = field(default_factory=list)          # ACLED admin1 names, in order of first mention
    admin1_counts: dict[str, int] = field(default_factory=dict)
    countries: dict[str, int] = field(default_factory=dict)  # country code -> mentions
    places: list[Place] = field(default_factory=list)        # places resolved without ambiguity
    # where the report's named parties fight when it names no place (``data/geo_actor_areas.csv``)
    area: ResolvedPlace | None = None


def get_gazetteer():
    """The default embedded gazetteer (built on first use, cached per process)."""
    from .gazetteer import get_gazetteer as _get

    return _get()


# ------------------------------------------------------------------------------------------ lexicon
# Word lists live in data/geo_words.yaml, tuned constants in data/geo_weights.yaml, country knowledge
# in the country packs (data/countries/, read through .country).

_W = words()
ROAD_WORDS = _W["road_words"]
SEAT_WORDS = _W["seat_words"]
NAME_PREFIX_WORDS = _W["name_prefix_words"]
GENERIC_PREFIX = _W["generic_prefix"]
DISTRICT_WORDS = _W["district_words"]
CONNECTORS = _W["connectors"]
LOWER_START = _W["lower_start"]
ORG_WORDS = _W["org_words"]
REGION_WORDS = _W["region_words"]
NEAR_BEFORE = _W["near_before"]
NEAR_AFTER = _W["near_after"]
LOCATIVE = _W["locative"]
ORIGIN = _W["origin"]
DESTINATION = _W["destination"]  # "pilgrims walking to Karbala": where they were going
FEATURE_WORDS = _W["feature_words"]  # "Tishreen Dam", "Makhoul Mountains", "Barada valley"
_FUSED_ARTICLE = re.compile(r"\b[ae]l(?=[a-z]{4})")  # "Elfijeh", "Alhajjar": al- written fused
DIRECTION_WORDS = _W["direction_words"]
ADDRESS_WORDS = _W["address_words"]
_DEMONYM_END = tuple(_W["demonym_endings"])


@lru_cache(maxsize=1)
def _party_words() -> frozenset[str]:
    """Names of parties that are never places: the word list's, and the packs' one-word actor
    aliases and acronyms ("HTS", "Hezbollah")."""
    lex = lexicon()
    extra = {key[0] for key, entries in lex.phrases.items()
             if len(key) == 1 and any(kind == "actor" for _, kind, _ in entries)}
    return _W["party_words"] | frozenset(extra)


@lru_cache(maxsize=1)
def _not_place() -> frozenset[str]:
    """Capitalised words that are never a place: the word list's, party names, and the packs'
    demonyms ("Sudanese", "Syrian")."""
    lex = lexicon()
    demonyms = {key[0] for key, entries in lex.phrases.items()
                if len(key) == 1 and any(kind == "demonym" for _, kind, _ in entries)}
    return _W["not_place"] | _party_words() | frozenset(demonyms)


def _group_words() -> frozenset[str]:
    return _W["group_words"] | _party_words()


class _NotPlace:
    """``word in NOT_PLACE`` against the lazily built set (packs are read on first use)."""

    def __contains__(self, word) -> bool:
        return word in _not_place()

    def __or__(self, other):
        return _not_place() | frozenset(other)

    def __rand__(self, other):
        return frozenset(other) & _not_place()

    def __and__(self, other):
        return _not_place() & frozenset(other)


NOT_PLACE = _NotPlace()


def _demonym_like(text: str) -> bool:
    """Whether a spaCy NORP word is a nationality or group ("Syrian", "Kurdish", "Alawite")."""
    low = text.lower()
    return low in NOT_PLACE or low.endswith(_DEMONYM_END) and len(low) > 4

@dataclass
class _Mention:
    start: int          # token indices in doc
    end: int
    text: str
    key: str
    near: bool = False
    region_word: bool = False
    cue: float = 0.0
    entity: str = ""
    city: bool = False  # "Aleppo city", "the city of Hama"
    reference: bool = False  # "south of Damascus": a landmark to place another place by
    directional: bool = False  # "northern Hama", "central Hit": part of X, region only if X is a governorate
    qualifier: bool = False  # "Ghouta of Damascus": Damascus only says where the Ghouta is
    address: tuple = ()  # (country code, admin1) of the governorate named right after ("X in Dar'a")
    district: bool = False  # "Daquq district": the district of that name
    listed: bool = False  # in a list after a place written where a place is expected ("in X, Y and Z")


class PlaceResolver:
    """Resolve event places of sentences against a gazetteer (the embedded default when None)."""

    def __init__(self, gazetteer=None, max_ngram: int = 6):
        self.gazetteer = gazetteer if gazetteer is not None else get_gazetteer()
        self.max_ngram = max_ngram
        self._unit_codes: dict[tuple[str, str], str] = {}
        units = []
        for (cc, code), name in self.gazetteer.admin_names.items():
            if "." not in code and name:
                units.append((cc, Admin1(name=name)))
                self._unit_codes[(cc, name)] = code
        self.lexicon = lexicon().extended(units)  # the packs' units, then the gazetteer's of every country
        self._named_cache: dict[int, Place] = {}
        self._admin1_cache: dict[tuple[str, str], Place | None] = {}

    # ------------------------------------------------------------------------------------ context
    def context(self, doc: Doc) -> GeoContext:
        """Country of the report and admin units it names (for disambiguation and actor names).

        The country is the one its words point at most (:mod:`.country`: names, demonyms, capitals,
        admin1 names, cues, actors), plus the countries of the places it names; there is no default.
        """
        w = weights()["country"]
        countries: dict[str, float] = dict(self.lexicon.votes(doc, self._phrases(doc)))
        admin1: dict[tuple[str, str], float] = {}
        admin_names: dict[tuple[str, str], str] = {}
        found: list[tuple[_Mention, tuple]] = []
        for m in self._mentions(doc, 0, len(doc)):
            if self._country_of(m):
                continue  # counted by the lexicon
            cands = self._candidates(m)
            if not cands:
                continue
            found.append((m, cands))
            admins = [p for p, _ in cands if p.level == 1]
            towns = [p for p, _ in cands if p.level == 0]
            mplain = plain(m.text)
            weight: dict[str, float] = {}
            exact = [(p, sp) for p, sp in cands if mplain in sp] or (  # else another spelling of one country's
                cands if len({p.country_code for p, _ in cands}) == 1 else [])
            for p, sp in exact:  # an ambiguous name counts most for the country of its biggest bearer
                v = (1.0 + (p.population or 0)) ** w["place_population_power"]
                weight[p.country_code] = max(weight.get(p.country_code, 0.0), v)
            if len(weight) > w["place_max_countries"] and m.cue > 0:
                # a name borne in many countries, but a city in one of them only, says that country
                big = {p.country_code for p, _ in exact
                       if plain(p.name) == mplain and (p.population or 0) >= w["place_dominant_population"]}
                big = {c: weight[c] for c in big}
                weight = big if len(big) == 1 else weight
            if 0 < len(weight) <= w["place_max_countries"]:
                total = sum(weight.values())
                factor = w["place_exact"] * (w["place_cued_factor"] if m.cue > 0 else w["place_uncued_factor"]) * (
                    w["place_ambiguous_factor"] if len(weight) > 1 else 1.0) * (
                    1.0 if any((p.population or 0) >= w["uncountried_population"] or p.level
                               for p, _ in exact) else w["place_village_factor"])
                for c, v in weight.items():
                    countries[c] = countries.get(c, 0) + factor * v / total
            strong = m.region_word or not towns
            for p in admins:
                k = (p.country_code, p.admin1)
                admin1[k] = admin1.get(k, 0) + (2 if strong else 1)
                admin_names[k] = p.admin1
            unit_countries = {p.country_code for p in admins}
            for c in unit_countries:  # an admin1 unit named; "Hama countryside": a region word makes it sure
                countries[c] = countries.get(c, 0) + (
                    w["admin1"] + (w["admin1_region_word"] if strong else 0.0)) / len(unit_countries)
        counted = [(m.start, m.end) for m, _ in found]
        for start, end, hits in self._phrases(doc):
            # an admin1 unit the gazetteer lacks ("the West Bank"): the lexicon's name of it counts
            ccs = {cc for cc, kind in hits if kind == "admin1"}
            words = [t for t in doc[start:end] if t.lower_ != "the"]
            if ccs and len(words) > 1 and all(t.text[:1].isupper() for t in words) and not any(s <= start and end <= e for s, e in counted):
                for c in ccs:
                    countries[c] = countries.get(c, 0) + w["admin1"] / len(ccs)
        area = self._actor_area(doc, None)
        if area is not None:  # a party with a known home area ("Jaysh al-Islam") says the country
            c = area.place.country_code
            countries[c] = countries.get(c, 0) + w["actor_area"]
        ctx = GeoContext(countries=countries)
        if countries:
            cc = max(sorted(countries), key=lambda c: countries[c])
            ctx.country_code = cc
            ctx.country = self._pack_name(cc)
        cc = ctx.country_code
        keys = [k for k in admin1 if not cc or k[0] == cc]
        order = sorted(keys, key=lambda k: -admin1[k])
        ctx.admin1 = [admin_names[k] for k in order]
        ctx.admin1_counts = {admin_names[k]: admin1[k] for k in order}
        for m, cands in found:  # places of one admin1 of the report's country: anchors for namesakes
            towns = [p for p, _ in cands if p.level == 0 and (not cc or p.country_code == cc)
                     and (m.cue > 0 or m.listed or (p.population or 0) >= w["uncued_village_population"])]
            if towns and len({(p.country_code, p.admin1) for p in towns}) == 1 and not any(
                    p.level == 1 and p.country_code == towns[0].country_code for p, _ in cands):
                ctx.places.append(towns[0])
        ctx.area = area if area is not None and area.place.country_code == ctx.country_code else \
            self._actor_area(doc, ctx.country_code)
        return ctx

    def _phrases(self, doc: Doc):
        return per_doc(doc, "geo_country_phrases", self.lexicon.matches)

    def _party_tokens(self, doc: Doc) -> set[int]:
        """Tokens inside a party's name or a nationality word the packs know ("Boko Haram",
        "Taliban", "Sudanese"): never a place."""
        def build(d):
            return {i for start, end, hits in self._phrases(d) if any(k in ("actor", "demonym") for _, k in hits)
                    for i in range(start, end)}
        return per_doc(doc, "geo_party_tokens", build)

    def _country_of(self, m: "_Mention") -> str | None:
        """ISO2 of a mention that is a country's name ("Sudan", "Syrias" with a lost apostrophe)."""
        if not m.text[:1].isupper():
            return None
        return self.lexicon.country_of(m.text) or (
            self.lexicon.country_of(m.text[:-1]) if m.text.endswith("s") else None)

    @staticmethod
    def _pack_name(cc: str) -> str:
        try:
            return get_pack(cc).name
        except KeyError:
            return cc

    def _actor_area(self, doc: Doc, country_code: str | None) -> ResolvedPlace | None:
        """The home area of a party the report names ("Jaysh al-Islam" -> Douma), precision 3."""
        text = text_of(doc)
        low = _loose(text)  # same length as text: offsets stay valid
        for pattern, cc, place_name, admin1 in _actor_areas():
            if country_code and cc != country_code:
                continue
            found = pattern.search(low)
            if found is None:
                continue
            i, phrase = found.start(), found.group()
            cands = [p for p in self.gazetteer.lookup(place_name)
                     if p.country_code == cc and p.admin1 == admin1 and p.level == 0]
            if not cands:
                continue
            p = self._named(max(cands, key=lambda q: (q.source == "supplement", q.population)))
            return ResolvedPlace(place=p, geo_precision=3, start=i, end=i + len(phrase),
                                 text=text[i:i + len(phrase)], score=0.0)
        return None

    # ------------------------------------------------------------------------------------ resolve
    def resolve(self, span: Span, context: GeoContext | None = None) -> ResolvedPlace | None:
        """The place where the event of ``span`` happened, or None if the span names none."""
        context = context or GeoContext()
        doc = span.doc
        span = _with_address(span)
        mentions = list(self._mentions(doc, span.start, span.end))
        whole = span.start == 0 and span.end == len(doc)
        if not mentions:
            if whole and context.area is not None:
                return replace(context.area, unknown=self.unknown_place(span))
            return None
        gaz = self.gazetteer
        # admin units named in this span constrain the towns of this span
        span_admin1: set[str] = set()
        resolved: list[tuple[float, int, _Mention, Place, int]] = []
        per_mention = []
        sent = _sentence_of(doc, span.start) if span.start < span.end else span
        # governorates named anywhere in the sentence constrain its clauses ("in the desert of
        # province A, they took village X": the X of province A, not a namesake elsewhere)
        outside = [] if (sent.start == span.start and sent.end == span.end) else [
            m for m in self._mentions(doc, sent.start, sent.end) if m.start < span.start or m.end > span.end]
        for m in mentions + outside:
            if self._country_of(m):
                continue
            cands = self._candidates(m)
            if not cands:
                continue
            if m.start >= span.start and m.end <= span.end:
                per_mention.append((m, cands))
            if m.address and m.start >= span.start and m.end <= span.end:
                # "X in <governorate>": the town of that name in the governorate named after it
                span_admin1 |= {a for c, a in m.address if not context.country_code or c == context.country_code}
            regions = {p.admin1 for p, _ in cands if p.feature == "L.RGN" and p.admin1}
            if len(cands) == 1 and len(regions) == 1 and (not context.country_code or
                                                          cands[0][0].country_code == context.country_code):
                span_admin1 |= regions  # "in the <river> basin": a region of one governorate names it
            for p, _ in cands:
                if p.level == 1 and (m.region_word or not any(
                        q.level == 0 and q.country_code == p.country_code for q, _ in cands)):
                    if not context.country_code or p.country_code == context.country_code:
                        span_admin1.add(p.admin1)
        for order, (m, cands) in enumerate(per_mention):
            best = self._choose(m, cands, context, span_admin1)
            if best is None:
                continue
            place, level, score = best
            if level == 2:  # a district: its capital town, or near it
                precision = 2
                place = self._named(gaz.capital(place), cache=False)
            elif level >= 1:
                precision = 3
                place = self._named(gaz.capital(place), cache=False)
            elif place.feature.startswith("L.") and not m.near:
                precision = 3
            else:
                precision = 2 if (m.near or m.region_word) else 1
            # the most specific, best cued, first mention wins (population only ranks a mention's own
            # candidates: "X town in <governorate>" is X, not the governorate)
            exact = 0.4 if mplain_of(m) in best_spellings(cands, place) else 0.0
            in_admin = 0.5 if (place.admin1 in span_admin1 or context.admin1_counts.get(place.admin1)) else 0.0
            rank = (min(score, 3.0) * 0.3 + exact + in_admin + m.cue + (6.0 if level == 0 or level == 2 and m.district else 0.0)
                    - (0.5 if level == 2 else 0.0) - 0.3 * order)
            admin_name = level == 0 and not m.city and any(
                q.level == 1 and q.country_code == place.country_code and q.admin1 == place.admin1
                for q, _ in cands)
            resolved.append((rank, order, m, place, precision, admin_name))
        if not resolved:
            return context.area if whole else None
        if any(r[4] < 3 and not r[3].border and r[3].admin1 in span_admin1 for r in resolved):
            # a town of the named governorate beats a town near it ("to Karbala ... in Musayyib, Babil")
            resolved = [(r[0] - 3.0, *r[1:]) if r[3].border else r for r in resolved]
        # "X in <governorate>": a governorate's name after a town of it names
        # the governorate, not its capital
        # "X south of <city>": the landmark after "south of" places the first town
        first_town = min((r[1] for r in resolved if r[4] < 3 and not r[2].reference), default=None)
        if first_town is not None:
            penalty = weights()["choose"]["reference_after_town"]
            resolved = [(r[0] - penalty, *r[1:]) if r[2].reference and r[1] > first_town else r for r in resolved]
        first_place = min((r[1] for r in resolved if not r[2].qualifier), default=None)
        if first_place is not None:
            resolved = [(r[0] - 2.5, *r[1:]) if r[2].qualifier and r[1] > first_place else r for r in resolved]
        towns = [r for r in resolved if r[4] < 3 and not r[5]]
        if towns:
            out = []
            for r in resolved:
                if r[5] and any(t[3].admin1 == r[3].admin1 and t[1] != r[1] for t in towns):
                    r = (r[0] - 4.0, *r[1:4], 3, r[5])
                out.append(r)
            resolved = out
        rank, _, m, place, precision, admin_name = max(resolved, key=lambda r: (r[0], -r[1]))
        if admin_name and precision < 3 and _unknown_place_before(
                doc, m, span.start, [r[2] for r in resolved if not r[3].border]):
            # "regained Al-Hibet in Idleb": an unknown village of the governorate, coded to the region
            precision = 3
        start, end = doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text)
        if not place.name.isascii() and precision < 3:  # a name in another script: as the report writes it
            place = _copy(place, name=text_of(doc)[start:end])
        unknown = self.unknown_place(span, [r[2] for r in resolved]) if precision == 3 else ""
        return ResolvedPlace(place=place, geo_precision=precision, start=start, end=end,
                             text=text_of(doc)[start:end], score=round(rank, 3), unknown=unknown)

    def unknown_place(self, span: Span, known=()) -> str:
        """The first place name of a span that the gazetteer lacks, as written ("Al-Hibet" in
        "regained Al-Hibet village"): a capitalised name after "in", "near", "village of"..., or
        before "village"/"town"; "" when there is none."""
        doc = span.doc
        taken = {i for m in known for i in range(m.start, m.end)}
        i = span.start
        while i < span.end:
            tok = doc[i]
            if i in taken or not self._can_start(doc, i, span.end) or tok.lower_ in NOT_PLACE:
                i += 1
                continue
            j = i + 1
            while j < span.end and j not in taken and (doc[j].text[:1].isupper() and doc[j].lower_ not in NOT_PLACE
                                                       or doc[j].lower_ in CONNECTORS and j + 1 < span.end
                                                       and doc[j + 1].text[:1].isupper()):
                j += 1
            before = doc[i - 1].lower_ if i > span.start else ""
            before2 = doc[i - 2].lower_ if i - 1 > span.start else ""
            after = doc[j].lower_ if j < span.end else ""
            cued = before in ("in", "near", "at", "around", "outside") or after in ("village", "town") or (
                before == "of" and before2 in ("village", "town", "villages", "towns", "outskirts", "vicinity"))
            if cued and doc[i].ent_type_ not in ("NORP", "DATE", "TIME") and not any(
                    doc[k].lower_ in ORG_WORDS for k in range(i, min(j + 1, span.end))):
                return doc[i:j].text
            i = j
        return ""

    # ------------------------------------------------------------------------------- candidates
    def _candidates(self, m: _Mention):
        """Gazetteer entries of a mention, with admin1 names in the spelling of the country's pack;
        "rural Damascus" / "Damascus countryside" is the unit whose name is "<X> countryside" where
        one has it. A pack's admin1 unit the gazetteer lacks is a candidate at its capital."""
        gaz = self.gazetteer
        if m.region_word and not m.city and not m.directional:
            rural = [c for c in self._keyed(fold(m.text + " countryside")) if c[0].level == 1]
            if rural:
                return tuple(rural)
        mplain = plain(m.text)
        return tuple(c for c in self._keyed(m.key) if not c[0].exact_only or mplain in c[1])

    def _keyed(self, key: str) -> tuple:
        cands = tuple((self._named(p), sp) for p, sp in self.gazetteer.candidates(key))
        extra = []
        for cc, unit in self.lexicon.admin1_by_key.get(key, ()):
            if any(p.level == 1 and p.country_code == cc and p.admin1 == unit.name for p, _ in cands):
                continue
            unit_place = self._admin1_place(cc, unit)
            if unit_place is not None:
                extra.append((unit_place, frozenset(plain(n) for n in [unit.name, *unit.variants])))
        return cands + tuple(extra) if extra else cands

    def _named(self, p: Place, cache: bool = True) -> Place:
        """The place with its country and admin1 named as its country's pack names them."""
        pid = p.pid if cache else None
        if pid is not None and pid in self._named_cache:
            return self._named_cache[pid]
        out = p
        try:
            pack = get_pack(p.country_code) if p.country_code else None
        except KeyError:
            pack = None
        if pack is not None:
            changes = {}
            if pack.name and pack.name != p.country:
                changes["country"] = pack.name
            if pack.region and pack.region != p.region:
                changes["region"] = pack.region
            acled = self._acled_admin1(p.country_code, p.admin1)
            if acled and acled != p.admin1:
                changes["admin1"] = acled
            latin = _latin(p.name)
            if latin != p.name:
                changes["name"] = latin
            if changes:
                out = _copy(p, **changes)
        if pid is not None:
            self._named_cache[pid] = out
        return out

    def _acled_admin1(self, cc: str, name: str) -> str:
        """A unit's name in its pack's spelling ("Nord Kivu" -> "Nord-Kivu"), else as given."""
        if not name:
            return name
        for c, unit in self.lexicon.admin1_by_key.get(fold(name), ()):
            if c == cc:
                return unit.name
        return name

    def _admin1_place(self, cc: str, unit) -> Place | None:
        """A pack's admin1 unit as a gazetteer-like entry (level 1) at its capital's coordinates."""
        k = (cc, unit.name)
        if k in self._admin1_cache:
            return self._admin1_cache[k]
        out = None
        towns = [self._named(p) for p in self.gazetteer.lookup(unit.capital or unit.name)
                 if p.country_code == cc and p.level == 0]
        if not towns and (cc, unit.name) in self._unit_codes:  # no capital known: the unit's biggest town
            row = self.gazetteer._con().execute(
                "SELECT id FROM places WHERE cc=? AND a1=? AND level=0 ORDER BY population DESC LIMIT 1",
                (cc, self._unit_codes[(cc, unit.name)])).fetchone()
            towns = [self._named(self.gazetteer.place(row[0]))] if row else []
        if towns:
            inside = [p for p in towns if p.admin1 == unit.name] or towns
            cap = max(inside, key=lambda p: (p.population or 0, -len(p.name)))
            out = _copy(cap, name=unit.name, admin1=unit.name, admin2="", admin3="", feature="A.ADM1",
                        source=f"admin1 capital:{cap.name}")
            out.level = 1
            # a unit the gazetteer lacks is matched by its pack's spellings, not through the fold
            out.exact_only = True
        self._admin1_cache[k] = out
        return out

    def _choose(self, m: _Mention, cands, context: GeoContext, span_admin1: set[str]):
        """Best gazetteer entry for a mention: (place, admin level, score) or None."""
        w = weights()["country"]
        cc = context.country_code
        mplain = plain(m.text)
        pool = list(cands)
        if span_admin1 and not cc:
            named = self._countries_of_admin1(span_admin1)
            cc = next(iter(named)) if len(named) == 1 else None
        if cc:
            in_country = [c for c in pool if c[0].country_code == cc]
            if in_country:
                pool = in_country
            else:
                # a report about one country names foreign places rarely: big neighbouring cities only
                near = self._neighbours(cc)
                pool = [c for c in pool if c[0].population >= w["foreign_city_population"] and m.cue > 0
                        and not c[0].level  # a foreign town perhaps, never a foreign region
                        and plain(c[0].name) == mplain and (not near or c[0].country_code in near)]
        else:
            # no evidence of a country: a place known well enough, or an admin unit, by this spelling
            pool = [c for c in pool if mplain in c[1] and (
                c[0].population >= w["uncountried_population"] or c[0].level)]
        if m.cue <= 0 and not m.listed:
            # a capitalised word written where no place is expected ("Monitor", a person's name) is a
            # village's name only by chance: only places of some size or admin units
            pool = [c for c in pool if c[0].level or
                    (c[0].population or 0) >= w["uncued_village_population"]]
        if not pool:
            return None
        if not span_admin1 and context.admin1 and len(pool) > 1:
            # the report names admin1 units elsewhere: a namesake outside all of them is not taken
            allowed = set(context.admin1)
            for a in context.admin1:
                allowed |= _twins().get(a, set())
            inside = [c for c in pool if c[0].admin1 in allowed and mplain in c[1]]  # by its own spelling
            if inside:
                pool = inside
        if span_admin1:
            allowed = set(span_admin1)
            for a in span_admin1:  # a capital city's unit and the unit around it go together
                allowed |= _twins().get(a, set())
            inside = [c for c in pool if c[0].admin1 in allowed]
            if inside:
                pool = inside
            else:
                # a same-name place in another governorate than the one the text names is never chosen,
                # except a town near that governorate ("Taji, Saladin governorate"): the text's
                # governorate is then its admin1
                caps = [c for c in (self._admin_capital(a, cc) for a in span_admin1) if c is not None]
                border = [c for c in pool if c[0].level == 0 and len(span_admin1) == 1 and caps
                          and c[0].country_code == caps[0].country_code and _km(c[0], caps[0]) < 170]
                named_countries = self._countries_of_admin1(span_admin1)
                pool = [c for c in pool if c[0].level == 1 or not m.address and
                        c[0].country_code not in named_countries and c[0].country_code != context.country_code]
                if border:
                    from dataclasses import replace as _replace

                    named = next(iter(span_admin1))
                    for c, sp in border:
                        q = _replace(c, admin1=named, admin2="", level=0, border=True)
                        pool.append((q, sp))
                if not pool:
                    return None
        doc_admin = context.admin1_counts
        c = weights()["choose"]
        anchors = [q for q in context.places[:20] if q.country_code == (cc or q.country_code)]
        if context.area is not None:
            anchors.append(context.area.place)  # the home area of a party the report names
        best = None
        for p, spellings in pool:
            level = p.level
            s = 0.0
            if mplain in spellings or plain(p.name) == mplain:
                s += c["exact_spelling"]
            if doc_admin.get(p.admin1):
                s += c["admin1_named"] + c["admin1_named_log"] * math.log1p(doc_admin[p.admin1])
            elif doc_admin and any(doc_admin.get(city) for city in _surrounded().get(p.admin1, ())):
                s += c["admin1_twin_named"]  # the unit around a capital city the report names
            s += c["population_log10"] * math.log10(1 + (p.population or 0))
            if not level:
                s += c["feature_rank"] * p.rank  # a seat before a hamlet
                if p.abandoned:
                    s += c["abandoned"]  # abandoned, destroyed or historical places last
            if p.source == "supplement":
                s += c["curated"]
            if level >= 1:
                # a governorate name: prefer the admin entry when the text says "province", "countryside"...
                s += c["unit_with_region_word"] if m.region_word and not (m.directional and level == 2) \
                    else c["unit_without_region_word"]
                if level == 2:
                    s += c["district_named"] if m.district else c["district_not_named"]
            for q in anchors:  # nearby beats far: the report's other places
                if q.country_code == p.country_code and q is not p:
                    d = _km(p, q)
                    s += c["near_other_place"] if d < c["near_km"] else \
                        c["around_other_place"] if d < c["around_km"] else 0.0
            if best is None or s > best[2]:
                best = (p, level, s)
        return best

    def _admin_capital(self, admin1: str, cc: str | None):
        """The capital (a Place) of the admin1 unit named ``admin1``, or None."""
        gaz = self.gazetteer
        for (c, code), name in gaz.admin_names.items():
            if name == admin1 and (not cc or c == cc) and "." not in code:
                pid = gaz.admin_capital.get((c, code))
                if pid:
                    return gaz.place(pid)
        for c, unit in self.lexicon.admin1_by_key.get(fold(admin1), ()):
            if unit.name == admin1 and (not cc or c == cc):
                return self._admin1_place(c, unit)
        return None

    def _countries_of_admin1(self, names) -> set[str]:
        """ISO2 codes of the countries that have admin1 units of these names."""
        gaz = self.gazetteer
        out = {c for (c, code), name in gaz.admin_names.items() if name in names and "." not in code}
        for name in names:
            out |= {c for c, unit in self.lexicon.admin1_by_key.get(fold(name), ()) if unit.name == name}
        return out

    def _neighbours(self, cc: str) -> set[str]:
        try:
            return set(get_pack(cc).neighbours)
        except KeyError:
            return set()

    def _mentions(self, doc: Doc, start: int, end: int):
        """Candidate toponyms among tokens [start, end): capitalised runs looked up longest-first."""
        ents = per_doc(doc, "entities", lambda d: {i: ent for ent in d.ents for i in range(ent.start, ent.end)})
        gaz = self.gazetteer
        prev_mention = None  # a list "in X, Y and Z" lends the cue of X to Y and Z
        i = start
        while i < end:
            tok = doc[i]
            if not self._can_start(doc, i, end):
                i += 1
                continue
            ent = ents.get(i)
            if ent is not None and ent.label_ in ("NORP", "DATE", "TIME", "CARDINAL", "MONEY", "PERCENT",
                                                   "ORDINAL", "QUANTITY") and tok.lower_ not in LOWER_START \
                    and not (ent.label_ == "NORP" and not _demonym_like(tok.text)) \
                    and not (ent.label_ in ("DATE", "TIME") and tok.text[:1].isupper() and tok.is_alpha
                             and tok.lower_ not in NOT_PLACE):
                i += 1
                continue
            found = None
            j = min(end, i + self.max_ngram)
            while j > i:
                last = doc[j - 1]
                if (last.text[:1].isupper() or last.text[:1].isdigit() and j - 1 > i
                        or (last.lower_ in REGION_WORDS or last.lower_ in FEATURE_WORDS) and j - 1 > i) \
                        and last.lower_ not in CONNECTORS and \
                        not (j - 1 > i and last.text.isupper() and len(last.text) > 1) and \
                        all(self._inner_ok(doc[k]) or doc[k].lower_ in REGION_WORDS for k in range(i, j)):
                    text = text_of(doc)[tok.idx: last.idx + len(last.text)]
                    key = fold(text)
                    if key and (self.lexicon.country_of(text) or gaz.candidates(key) or key in self.lexicon.admin1_by_key):
                        found = (j, text, key)
                        break
                    unfused = fold(_FUSED_ARTICLE.sub("", plain(text)))
                    if unfused != key and len(unfused) >= 4 and gaz.candidates(unfused):
                        found = (j, text, unfused)  # "Ein Elfijeh" is Ain al-Fijah
                        break
                j -= 1
            if not found:
                if tok.lower_ in GENERIC_PREFIX and i + 1 < end and (
                        doc[i + 1].text[:1].isupper() or doc[i + 1].lower_ in CONNECTORS):
                    # "Tal Mamu", "Kafr Karmin", "Sheikh Aqil": an unknown compound name, not "Mamu"
                    k = i + 1
                    while k < end and (doc[k].text[:1].isupper() or doc[k].lower_ in CONNECTORS
                                       or doc[k].text in ("-", "'", "’")):
                        k += 1
                    i = k
                    continue
                i += 1
                continue
            j, text, key = found
            words = [doc[k].lower_ for k in range(i, j) if doc[k].lower_ not in CONNECTORS]
            if not words or all(w in NOT_PLACE for w in words) or len(text) <= 2:
                # two letters are an abbreviation or a clipped name ("Ta's" of a longer name), not a place
                i = j
                continue
            if j - i == 1 and tok.lower_ in GENERIC_PREFIX and j < end and (
                    doc[j].text[:1].isupper() or doc[j].text in ("-", "'") or doc[j].lower_ in CONNECTORS):
                # "Wadi Waer", "Tal Meqri": an unknown compound name, not its tail
                k = j
                while k < end and (doc[k].text[:1].isupper() or doc[k].lower_ in CONNECTORS
                                   or doc[k].text in ("-", "'", "’")):
                    k += 1
                i = k
                continue
            if self._is_org_or_nickname(doc, i, j, ents) or any(k in self._party_tokens(doc) for k in range(i, j)):
                i = j
                continue
            m = _Mention(i, j, text, key, entity=ent.label_ if ent is not None else "")
            self._cues(doc, m, start, end)
            address = self._address_after(doc, j, end)
            if address is not None:
                m.cue += 1.0  # "Shirqat, Saladin, Iraq": a place written as an address
                m.address = address
            if m.entity == "PERSON" and m.cue <= 0 and not any(
                    p.level == 1 for p, _ in gaz.candidates(key)):
                i = j
                continue
            if j - i == 1 and tok.text.isupper() and len(tok.text) <= 5 and m.cue < 1.0:
                i = j  # an acronym ("STC", "RSF") is a place only where a place is expected ("in X")
                continue
            if m.entity == "" and m.cue <= 0 and doc[i].is_sent_start and len(words) == 1:
                i = j
                continue
            if m.cue <= 0 and prev_mention is not None and (prev_mention.cue > 0 or prev_mention.listed) and \
                    i - prev_mention.end <= 2 and all(doc[k].text in (",", "and", "or", "&")
                                                      for k in range(prev_mention.end, i)):
                m.listed = True
            prev_mention = m
            yield m
            i = j

    def _address_after(self, doc: Doc, j: int, end: int) -> tuple | None:
        """The admin units of an address after token j - ", <governorate or country>" or "in (southern)
        <governorate>" ("Hit, Al Anbar, Iraq", "Kafr Nabl in southern Idlib") - as (country code,
        admin1) pairs (empty for a country alone); None when no address follows."""
        if j + 2 < end and doc[j].lower_ in ADDRESS_WORDS and doc[j + 1].text == "(":
            j += 1  # "X town (<district>, <province>)"
        if j + 1 < end and doc[j].text == "(":
            return self._address_in_brackets(doc, j, end)
        if j + 1 >= end or doc[j].lower_ not in (",", "in"):
            return None
        district = False
        for _part in range(3):  # "X, <district> district, <province>, <country>": past a district to its unit
            k = j + 1
            while k < end - 1 and doc[k].lower_ in DIRECTION_WORDS | {"the"}:
                k += 1
            j = k - 1
            district = False
            while k < end and k < j + 5 and (doc[k].text[:1].isupper() or doc[k].lower_ in LOWER_START
                                             or doc[k].text in ("-", "'")):
                k += 1
                key = fold(doc[j + 1:k].text)
                if self.lexicon.country_of(doc[j + 1:k].text):
                    return ()
                cands = self._keyed(key)
                if any(p.level == 1 for p, _ in cands):
                    return tuple({(p.country_code, p.admin1) for p, _ in cands if p.level == 1})
                district = district or any(p.level == 2 for p, _ in cands)
            while k < end and doc[k].lower_ in DISTRICT_WORDS:
                k += 1
            if not (district and k + 1 < end and doc[k].text == ","):
                break
            j = k
        return () if district else None

    def _address_in_brackets(self, doc: Doc, j: int, end: int) -> tuple | None:
        """The admin1 units of an address in brackets after a name: "X (<district>, <province>)",
        "X town (<district>, <province>)" - the last part that is an admin1 unit; None when there is none."""
        close = next((k for k in range(j + 1, min(end, j + 14)) if doc[k].text == ")"), None)
        if close is None:
            return None
        parts, start = [], j + 1
        for k in range(j + 1, close + 1):
            if doc[k].text in (",", ")"):
                if k > start:
                    parts.append(doc[start:k])
                start = k + 1
        for part in reversed(parts):
            words = [t for t in part if t.lower_ not in REGION_WORDS and t.lower_ not in self.lexicon.unit_words]
            if not words or not words[0].text[:1].isupper():
                continue
            text = doc[words[0].i:words[-1].i + 1].text
            if self.lexicon.country_of(text):
                continue
            units = [p for p, sp in self._keyed(fold(text)) if p.level == 1 and (
                not p.exact_only or plain(text) in sp)]
            if units:
                return tuple({(p.country_code, p.admin1) for p in units})
        return None

    @staticmethod
    def _can_start(doc: Doc, i: int, end: int) -> bool:
        tok = doc[i]
        if tok.text[:1].isupper() and (tok.is_alpha or "-" in tok.text or
                                       tok.text.replace("'", "").replace("’", "").isalpha()):
            return True
        if tok.lower_ in LOWER_START and i + 1 < end:
            nxt = doc[i + 1]
            if nxt.text in ("-", "'") and i + 2 < end and doc[i + 2].text[:1].isupper():
                return True
            if nxt.text[:1].isupper() or nxt.text.startswith("-"):
                return True
        return False

    @staticmethod
    def _inner_ok(tok) -> bool:
        t = tok.text
        if t[:1].isupper():
            return tok.lower_ not in NOT_PLACE or tok.lower_ in LOWER_START or tok.lower_ in FEATURE_WORDS
        return tok.lower_ in CONNECTORS or tok.lower_ in FEATURE_WORDS or t.startswith("-") or t in ("'", "’")

    @staticmethod
    def _is_org_or_nickname(doc: Doc, i: int, j: int, ents) -> bool:
        # "Deir ez-Zor Military Council", "Aleppo Media Center": followed by a capitalised organisation word
        k = j
        while k < len(doc) and k < j + 4 and doc[k].text[:1].isupper():
            if doc[k].lower_ in ORG_WORDS:
                return True
            k += 1
        # "the Tripoli-based government": where a party sits, not where the event is
        if j + 1 < len(doc) and doc[j].text in ("-", "–") and doc[j + 1].lower_ in SEAT_WORDS:
            return True
        # "the Damascus-Beirut highway": ends of a road name
        if j + 2 < len(doc) and doc[j].text in ("-", "–") and doc[j + 2].lower_ in ROAD_WORDS:
            return True
        if i >= 2 and doc[i - 1].text in ("-", "–") and j < len(doc) and doc[j].lower_ in ROAD_WORDS:
            return True
        if i >= 1 and j < len(doc) and doc[j].text in ("-", "–") and (
                doc[i - 1].lower_ in ROAD_WORDS or i >= 2 and doc[i - 2].lower_ in ROAD_WORDS):
            return True  # "the international highway Homs-Damascus"
        if i >= 3 and doc[i - 1].text in ("-", "–") and any(doc[k].lower_ in ROAD_WORDS
                                                             for k in range(max(0, i - 5), i - 2)):
            return True
        # "Operation Olive Branch", "Ahrar al-Sham", "Free Idlib Army": inside a capitalised name
        k = i - 1
        while k >= 0 and doc[k].lower_ in CONNECTORS:
            k -= 1
        if k >= 0 and k < i and doc[k].text[:1].isupper() and not doc[k].is_sent_start and \
                (doc[k].lower_ in ORG_WORDS or doc[k].lower_ in NAME_PREFIX_WORDS):
            return True
        # "the Sword of Baghdad", "Lions of Raqqa": "<Capitalised non-geographic word> of X"
        if i >= 2 and doc[i - 1].lower_ == "of" and not (j < len(doc) and doc[j].lower_ in (
                "city", "countryside", "governorate", "province", "town")):
            prev = doc[i - 2]
            if prev.text[:1].isupper() and prev.lower_ not in NOT_PLACE | {"city", "town", "village"} and \
                    prev.lower_ not in REGION_WORDS and not prev.is_sent_start:
                if prev.ent_type_ not in ("GPE", "LOC", "FAC") or prev.lower_ in ORG_WORDS:
                    return True
        ent = ents.get(i)
        if ent is not None and ent.label_ == "ORG" and ent.end - ent.start > j - i:
            words = {t.lower_ for t in ent}
            if words & ORG_WORDS:
                return True
        return False

    @staticmethod
    def _cues(doc: Doc, m: _Mention, start: int, end: int) -> None:
        before = [t.lower_ for t in doc[max(start, m.start - 5): m.start]]
        after = [t.lower_ for t in doc[m.end: min(end, m.end + 3)]]
        if after[:1] and after[0] in ("'s", "’s"):
            after = after[1:]
        if before:
            k = len(before) - 1
            while k > 0 and before[k] in DIRECTION_WORDS:  # "of southeastern Idleb", "in northern rural Hama"
                k -= 1
            prev = before[k]
            if prev == "the" and k > 0:
                prev = before[k - 1]
            if prev in LOCATIVE:
                m.cue += 0.2 if prev in ORIGIN else 0.6 if prev in DESTINATION else 1.0
            if prev in ("of",) and len(before) > 1 and before[-2] in ("town", "city", "village", "area",
                                                                     "neighbourhood", "neighborhood",
                                                                     "district", "province", "governorate"):
                m.cue += 1.0
        if m.entity in ("GPE", "LOC", "FAC"):
            m.cue += 0.8
        near_before = set(before[-4:]) & set(NEAR_BEFORE)
        if near_before - {"area", "areas", "countryside", "front", "fronts", "axis", "axes", "road",
                          "highway", "entrance", "farms", "hills", "outpost"}:
            m.near = True
        elif near_before and before[-1:] == ["of"]:
            m.near = True
        if after and after[0] in NEAR_AFTER:
            m.near = True
        if len(before) >= 2 and before[-1] == "of" and before[-2] in DIRECTION_WORDS:
            m.reference = True
        if m.start >= 2 and before[-1:] == ["of"] and doc[m.start - 2].text[:1].isupper() \
                and not doc[m.start - 2].is_sent_start:
            # "the Eastern Ghouta of Damascus", "Jisreen of Damascus": X qualifies the place before it
            m.qualifier = True
            m.cue -= 0.8
        if (after and after[0] in REGION_WORDS) or (before and before[-1] in ("rural", "countryside")) or \
                (len(before) >= 2 and before[-2:] in (["countryside", "of"], ["province", "of"],
                                                     ["governorate", "of"], ["desert", "of"],
                                                     ["badia", "of"], ["region", "of"])):
            m.region_word = True
        if before and before[-1] in DIRECTION_WORDS and before[-1].endswith(("ern", "rural", "central")) \
                and after[:1] != ["city"]:
            m.region_word = True  # "southeastern Idleb", "northern Hama": part of the governorate
            m.directional = before[-1] != "rural"
        if after[:1] and after[0] in DISTRICT_WORDS or m.text.split()[-1].lower() in DISTRICT_WORDS:
            m.cue += 0.8  # "Daquq district": named as an admin unit
            m.district = True
        if after[:1] in (["town"], ["village"], ["city"]):
            m.cue += 0.5  # "in Mahmudiyah town": named as a settlement
        if after[:1] == ["city"] or before[-2:] in (["city", "of"], ["town", "of"], ["village", "of"]):
            m.city = True
            m.region_word = False
            m.near = m.near and not (before[-2:] in (["city", "of"], ["town", "of"], ["village", "of"])
                                     and not (set(before[:-2]) & set(NEAR_BEFORE)))


ADDRESS_WORDS = {"governorate", "province", "district", "sub-district", "subdistrict", "city", "town",
                 "village", "area", "countryside", "region", "nahiya", "qada", "county", "camp"}


@lru_cache(maxsize=1)
def _actor_areas() -> tuple[tuple[re.Pattern, str, str, str], ...]:
    import csv
    from importlib import resources

    path = resources.files("eventcoder") / "data" / "geo_actor_areas.csv"
    if not path.is_file():
        return ()
    with path.open(encoding="utf-8") as fh:
        return tuple((re.compile(r"\b" + re.escape(_loose(r["phrase"])) + r"\b"), r["country_code"], r["place"],
                      r["admin1"]) for r in csv.DictReader(fh))


def _sentence_of(doc: Doc, i: int) -> Span:
    """The sentence of token i, found from the sentence-start flags near it (``Token.sent`` walks the
    whole Doc)."""
    start = i
    while start > 0 and not doc[start].is_sent_start:
        start -= 1
    end = i + 1
    while end < len(doc) and not doc[end].is_sent_start:
        end += 1
    return doc[start:end]


def _loose(text: str) -> str:
    """Lower case, hyphens and apostrophes as spaces, same length (for phrase search with offsets)."""
    return text.lower().translate(_LOOSE)


_LOOSE = str.maketrans({"-": " ", "–": " ", "'": " ", "’": " ", "\n": " "})


def _with_address(span: Span) -> Span:
    """The span and the address after it in its sentence: a clause "in Falahat" cut before
    ", Al Anbar, Iraq" or ", Saladin governorate" still knows its governorate."""
    doc = span.doc
    end = span.end
    sent_end = _sentence_of(doc, span.end - 1).end if span.end > span.start else span.end
    k = end
    while k + 1 < sent_end and doc[k].text == ",":
        j = k + 1
        if doc[j].lower_ in LOWER_START and j + 1 < sent_end:
            j += 1
        if not doc[j].text[:1].isupper():
            break
        while j < sent_end and (doc[j].text[:1].isupper() or doc[j].lower_ in CONNECTORS
                                or doc[j].lower_ in ADDRESS_WORDS or doc[j].text in ("-", "'")):
            j += 1
        end = k = j
    return doc[span.start:end] if end > span.end else span


def _unknown_place_before(doc: Doc, m: _Mention, start: int, mentions) -> bool:
    """Whether a capitalised name the gazetteer lacks comes just before ``m`` ("X village in
    southern <governorate>", "X area in the desert of <governorate>")."""
    if m.start - 1 < start or doc[m.start - 1].lower_ not in ("in", "of", ",", "countryside", "desert",
                                                              "province", "governorate", *DIRECTION_WORDS):
        return False
    known = {k for x in mentions for k in range(x.start, x.end)}
    for k in range(max(start, m.start - 8), m.start):
        t = doc[k]
        if t.text[:1].isupper() and k not in known and not t.is_sent_start and t.lower_ not in NOT_PLACE \
                and t.lower_ not in ORG_WORDS and t.lower_ not in CONNECTORS and t.ent_type_ != "NORP":
            near_words = {x.lower_ for x in doc[max(0, k - 3): k + 1]}
            if t.ent_type_ == "ORG" and near_words & (NAME_PREFIX_WORDS | ORG_WORDS | _group_words()):
                continue
            return True
    return False


def mplain_of(m: _Mention) -> str:
    return plain(m.text)


def best_spellings(cands, place: Place) -> frozenset:
    pid = place.pid
    for p, sp in cands:
        if p is place or pid is not None and p.pid == pid:
            return sp
    return frozenset()


def _km(a: Place, b: Place) -> float:
    return distance_km(a.latitude, a.longitude, b.latitude, b.longitude)


def _copy(p: Place, **changes) -> Place:
    """A copy of a gazetteer place with some fields changed, keeping its index attributes."""
    out = replace(p, **changes)
    for attr in ("pid", "level", "a1code"):
        if hasattr(p, attr):
            setattr(out, attr, getattr(p, attr))
    return out


@lru_cache(maxsize=1)
def _twin_rows() -> tuple[tuple[str, str, str], ...]:
    import csv
    from importlib import resources

    path = resources.files("eventcoder") / "data" / "geo_admin1_twins.csv"
    with path.open(encoding="utf-8") as fh:
        return tuple((r["country_code"], r["city"], r["surrounding"]) for r in csv.DictReader(fh))


@lru_cache(maxsize=1)
def _twins() -> dict[str, set[str]]:
    """Admin1 name -> the units that go with it: a capital city's unit and the unit around it
    (``data/geo_admin1_twins.csv``)."""
    out: dict[str, set[str]] = {}
    for _cc, city, around in _twin_rows():
        out.setdefault(city, set()).add(around)
        out.setdefault(around, set()).add(city)
    return out


@lru_cache(maxsize=1)
def _surrounded() -> dict[str, set[str]]:
    """Admin1 name of a unit around a capital city -> the city's unit."""
    out: dict[str, set[str]] = {}
    for _cc, city, around in _twin_rows():
        out.setdefault(around, set()).add(city)
    return out


_MARKS = str.maketrans("", "", "\u02bf\u02be\u2018\u2019\u02bb\u02bc`\u00b4")


def _latin(name: str) -> str:
    """A Latin-script name without diacritics and ayn/hamza marks ("Sarāqib" -> "Saraqib"), as ACLED
    writes locations; a name in another script is returned unchanged."""
    import unicodedata

    stripped = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    stripped = stripped.translate(_MARKS).replace("  ", " ").strip()
    return stripped if stripped.isascii() and stripped else name
