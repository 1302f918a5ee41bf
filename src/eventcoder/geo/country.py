"""The article's country from its words, read from the country packs (:mod:`eventcoder.countries`).

Every country's names, demonyms and capital, and for countries with a pack folder its admin1 units
(names and variants), its cues and the aliases of the named actors of its catalogue, are phrases
that point at the country. :meth:`CountryLexicon.votes` finds them in a Doc and adds one weight per
mention, by kind of evidence (``data/geo_weights.yaml``); a phrase shared by several countries
("Punjab", "Al Shabaab") splits its weight between them. There is no default country: an article
whose words point nowhere has no country.

Case: a phrase written in capitals in the data ("RSF", "HTS") matches only in capitals; a phrase
written with a capital initial ("Sudanese", "Borno") only with a capital initial; a lower-case cue
("regime") in any case.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml
from spacy.tokens import Doc

from ..countries import Admin1, all_packs, country_codes, get_pack
from .names import fold, plain


@lru_cache(maxsize=1)
def weights() -> dict:
    """The tuned constants of place resolution (``data/geo_weights.yaml``)."""
    path = resources.files("eventcoder") / "data" / "geo_weights.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=1)
def words() -> dict[str, frozenset[str]]:
    """The word lists of place resolution (``data/geo_words.yaml``), lower case."""
    path = resources.files("eventcoder") / "data" / "geo_words.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = {}
    for key, value in data.items():
        items = value.split() if isinstance(value, str) else [str(v) for v in value]
        out[key] = frozenset(w.lower() for w in items)
    return out


_WORD = re.compile(r"[^\W_]+")
_ACRONYM = re.compile(r"^[A-Z0-9]{2,6}$")


def _phrase_words(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(plain(text)))


@dataclass
class CountryLexicon:
    """Phrases that point at countries; build with :meth:`from_packs`."""

    phrases: dict[tuple[str, ...], list[tuple[str, str, str]]] = field(default_factory=dict)
    country_by_key: dict[str, str] = field(default_factory=dict)   # plain name of a country -> ISO2
    admin1_by_key: dict[str, list[tuple[str, Admin1]]] = field(default_factory=dict)  # fold -> (ISO2, unit)
    longest: int = 1
    unit_words: frozenset = frozenset()   # words after an admin unit's name ("province", "region")
    # units known by one spelling only (the gazetteer's names, not a pack's): matched by that spelling,
    # not through the transliteration fold ("Hiiumaa" is not "Hama")
    exact_only: set = field(default_factory=set)

    @classmethod
    def from_packs(cls) -> "CountryLexicon":
        lex = cls(unit_words=words().get("unit_words", frozenset()))
        ignore = words().get("not_country_evidence", frozenset())
        folders = all_packs()
        for cc in country_codes():
            pack = folders.get(cc) or get_pack(cc)
            for name in pack.all_names():
                lex._add(name, cc, "name")
                lex.country_by_key.setdefault(plain(name), cc)
            for name in pack.demonyms:
                lex._add(name, cc, "demonym")
            if pack.capital:
                lex._add(pack.capital, cc, "capital")
            if cc not in folders:
                continue
            for cue in pack.cues:
                lex._add(cue, cc, "cue")
            for unit in pack.admin1:
                for name in [unit.name, *unit.variants]:
                    if plain(name) in ignore:
                        continue
                    lex._add(name, cc, "admin1")  # weighs nothing here: resolve counts the units it finds
                    key = fold(name)
                    if key and (cc, unit) not in lex.admin1_by_key.get(key, []):
                        lex.admin1_by_key.setdefault(key, []).append((cc, unit))
            for alias in _actor_aliases(pack):
                if plain(alias) not in ignore:
                    lex._add(alias, cc, "actor")
        for key in list(lex.country_by_key):  # names of countries beat other phrases of the same words
            lex.phrases[_phrase_words(key)] = [e for e in lex.phrases.get(_phrase_words(key), [])
                                               if e[1] == "name"]
        return lex

    def extended(self, units) -> "CountryLexicon":
        """A copy with more admin1 units, ``(ISO2, Admin1)`` pairs (the gazetteer's names of the units
        of every country), for those whose name the packs do not already give that country."""
        out = CountryLexicon(phrases={k: list(v) for k, v in self.phrases.items()},
                             country_by_key=dict(self.country_by_key),
                             admin1_by_key={k: list(v) for k, v in self.admin1_by_key.items()},
                             longest=self.longest, unit_words=self.unit_words, exact_only=set(self.exact_only))
        ignore = words().get("not_country_evidence", frozenset())
        for cc, unit in units:
            key = fold(unit.name)
            if not key or plain(unit.name) in ignore or any(c == cc for c, _ in out.admin1_by_key.get(key, ())):
                continue
            out.admin1_by_key.setdefault(key, []).append((cc, unit))
            out.exact_only.add((cc, unit.name))
            out._add(unit.name, cc, "admin1")
        return out

    def _add(self, text: str, cc: str, kind: str) -> None:
        text = (text or "").strip()
        key = _phrase_words(text)
        if not key:
            return
        mode = "exact" if _ACRONYM.match(text) and not text.isdigit() else \
            "cap" if text[:1].isupper() else "any"
        entries = self.phrases.setdefault(key, [])
        entry = (cc, kind, mode if mode != "exact" else text)
        if not any(e[0] == cc and e[1] == kind for e in entries):
            entries.append(entry)
        self.longest = max(self.longest, len(key))

    def country_of(self, name: str) -> str | None:
        """ISO2 of a country's name ("Sudan", "the Philippines"), else None."""
        return self.country_by_key.get(plain(name))

    def matches(self, doc: Doc) -> list[tuple[int, int, list[tuple[str, str]]]]:
        """The phrases found in a Doc, longest first: (start token, end token, [(ISO2, kind)])."""
        toks, low = [], []
        for t in doc:  # words as the data's phrases are written: plain spelling, "Dar'a" one word
            word = plain(t.text)
            if t.text in ("'s", "’s") or not word or t.is_space:
                continue
            if toks and t.text[:1] in "'’" and not doc[t.i - 1].whitespace_ and doc[t.i - 1] is toks[-1]:
                low[-1] += word.replace(" ", "")
                continue
            toks.append(t)
            low.append(word.replace(" ", ""))
        out = []
        i = 0
        while i < len(toks):
            for n in range(min(self.longest, len(toks) - i), 0, -1):
                entries = self.phrases.get(tuple(low[i:i + n]))
                if not entries:
                    continue
                first = toks[i].text
                text = " ".join(t.text for t in toks[i:i + n])
                hits = [(cc, kind) for cc, kind, mode in entries
                        if mode == "any" or mode == "cap" and first[:1].isupper()
                        or mode not in ("any", "cap") and text == mode]
                if not hits:
                    continue
                for a in range(i, i + n):  # what the words inside say too ("Al Shabaab" in a longer alias)
                    for b in range(a + 1, i + n + 1):
                        if (a, b) != (i, i + n):
                            for cc, kind, mode in self.phrases.get(tuple(low[a:b]), ()):
                                if kind == "actor" and (cc, kind) not in hits and (
                                        mode == "any" or toks[a].text[:1].isupper()):
                                    hits.append((cc, kind))
                kinds = {kind for _, kind in hits}
                after = toks[i + n] if i + n < len(toks) else None
                unit_next = after is not None and after.lower_ in self.unit_words
                if "demonym" in kinds and not unit_next:  # "Somali" people, not the Somali region
                    hits = [h for h in hits if h[1] != "admin1"]
                if "name" in kinds and after is not None and after.pos_ == "NOUN" and after.text.islower() \
                        and not unit_next:
                    hits = [(cc, "demonym") if kind == "name" else (cc, kind) for cc, kind in hits]  # "US dollar"
                out.append((toks[i].i, toks[i + n - 1].i + 1, hits))
                i += n - 1
                break
            i += 1
        return out

    def votes(self, doc: Doc, found=None) -> dict[str, float]:
        """ISO2 -> weight of the evidence of the Doc's words for that country."""
        w = weights().get("country", {})
        forces = words().get("force_words", frozenset())
        out: dict[str, float] = {}
        for _start, end, hits in (self.matches(doc) if found is None else found):
            per_kind: dict[str, list[str]] = {}
            for cc, kind in hits:
                per_kind.setdefault(kind, []).append(cc)
            for kind, ccs in per_kind.items():
                if kind == "admin1":
                    continue  # the resolver counts the admin units it finds, through the gazetteer's spellings
                if kind == "demonym" and end < len(doc) and doc[end].lower_ in forces:
                    kind = "demonym_of_force"  # "Turkish troops": whose forces, not where they were
                share = float(w.get(kind, 0.0)) / len(ccs)
                for cc in ccs:
                    out[cc] = out.get(cc, 0.0) + share
        return out


def _actor_aliases(pack) -> list[str]:
    """Names and aliases of the named actors of a pack's catalogue whose home is the pack's country."""
    out: list[str] = []
    for path in pack.actors_paths or ([pack.actors_path] if pack.actors_path else []):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        for actor in data.get("actors") or []:
            if not isinstance(actor, dict) or actor.get("generic"):
                continue
            home = actor.get("country")
            if home and home != pack.name:
                continue  # forces of another country fighting here
            # names only: an alias in lower case ("rebels", "government troops") describes, it does not name
            out.extend(str(a) for a in actor.get("aliases") or [] if a and str(a) != str(a).lower())
    return out


_LEXICON: CountryLexicon | None = None


def lexicon() -> CountryLexicon:
    """The lexicon of the packs in effect (built once per process)."""
    global _LEXICON
    if _LEXICON is None:
        _LEXICON = CountryLexicon.from_packs()
    return _LEXICON


def reset_lexicon() -> None:
    """Forget the lexicon (after the data folders changed)."""
    global _LEXICON
    _LEXICON = None
