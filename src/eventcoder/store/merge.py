"""Cross-source merge: the reports of one incident become one event.

Two events (from different articles) may describe the same incident when

* their dates are the same, or one day apart when a date may have slipped: either date is
  imprecise (``time_precision`` > 1) or not read from the report's text (no ``event_date``
  evidence: the publication date stood in), or the reports agree closely otherwise (same
  sub-event type, a shared named actor and a shared death toll). Two reports that each state a
  different day are otherwise two incidents (a town shelled on consecutive days);
* their places are the same: within ``NEAR_KM`` of each other (more when either is coded only
  near a town), or, without coordinates, names equal after transliteration folding
  (:func:`eventcoder.geo.names.fold`). A region-level place (``geo_precision`` 3, coded to the
  region's capital) says only "somewhere in this governorate", so it matches a place in that
  region only when the reports also agree on the event type and share a named actor or a death toll;
* their types are compatible (a strike inside a battle is the battle; an air strike and a missile
  strike may be one attack told twice; an IED and an air strike are not). A killing told once as
  an armed clash and once as an attack on civilians (reports disagree on whether the victim was a
  fighter) is one incident only when the reports agree on the day, the town and the death toll;
* their actors do not clearly differ: the named actors of one are a subset of the other's (a report
  that names only the victim side fits one naming both sides). Unidentified actors, civilians and
  ACLED's descriptive labels for an unnamed group ("Islamist Militia (Syria)" for "jihadists",
  "Militia (Pro-Government)" for "pro-government militiamen") name no one in particular and fit
  any named actor. (A victim's status, "Former Opposition Rebels", does tell incidents apart.)

Clustering is complete-linkage: candidate pairs are taken best first (same day before one day apart,
nearer before farther, shared actors and shared death tolls first; ties by id) and two groups join only when every pair
across them is compatible, no article would appear twice (an article's own events are already
one per day, place and type), and they are not two groups of reports each agreeing on a different
day (that is two incidents on consecutive days, not a date slip). The result depends only on the set
of events, not their order.

The merged event lists every outlet in ``source``, keeps every claim with its claimant (the outlet
when the report spoke in its own voice), takes ACLED's most conservative credible fatality figure
(the lowest of the reports that give one), spans the claims with ``fatalities_low``/``high`` and
keys its evidence ``"<article_id>:<field>"``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml
from rapidfuzz import fuzz

from ..geo.names import fold as _fold
from ..schema import Claim, Event, Evidence

NEAR_KM = 8.0
NEAR_KM_IMPRECISE = 25.0
NAME_SIMILARITY = 88

# Sub-event types that different reports of one incident may use for each other.
_SUB_GROUPS = (
    {"Air/drone strike", "Shelling/artillery/missile attack"},
    {"Remote explosive/landmine/IED", "Suicide bomb", "Grenade"},
    {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    {"Violent demonstration", "Mob violence"},
)
_VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
_TYPE_RANK = {"Battles": 0, "Explosions/Remote violence": 1, "Violence against civilians": 2,
              "Riots": 3, "Protests": 4, "Strategic developments": 5}


@dataclass
class MergedEvent:
    """One incident: the merged record and the events (``event_id``s) it was built from."""

    event: Event
    members: list[Event] = field(default_factory=list)

    @property
    def member_ids(self) -> list[str]:
        return [m.event_id for m in self.members]


# ---------------------------------------------------------------------------------------------
# pairwise compatibility

def _date(event: Event) -> dt.date | None:
    try:
        return dt.date.fromisoformat(event.event_date[:10])
    except (ValueError, TypeError):
        return None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def fold_name(name: str) -> str:
    """A place name folded across transliterations ('Deir ez-Zor' = 'Dayr al Zawr'), with the
    gazetteer's own key (:func:`eventcoder.geo.names.fold`) so that merge and geocoding agree."""
    return _fold(re.sub(r"\(.*?\)", " ", name or ""))


@lru_cache(maxsize=1)
def confusable_actors() -> tuple[frozenset[str], ...]:
    """Actors that reports of one incident often confuse (whose aircraft struck), compared as one
    (``data/merge.yaml``)."""
    path = resources.files("eventcoder") / "data" / "merge.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple(frozenset(" ".join(n.lower().split()) for n in group)
                 for group in data.get("confusable_actors") or [])


# ACLED's labels for a group the report does not name: they fit any named actor, like "Unidentified".
DESCRIPTIVE_ACTORS = ("unidentified", "civilians", "islamist militia", "islamist rebels", "opposition rebels",
                      "militia (pro-")


def _actor(name: str) -> str:
    actor = " ".join(re.sub(r"\(.*?\)", " ", (name or "").lower()).split())
    for group in confusable_actors():
        if actor in group:
            return min(group)
    return actor


def _specific_actors(event: Event) -> set[str]:
    """The named actors of an event (not unidentified, not civilians, not a descriptive label)."""
    names = (event.actor1, event.assoc_actor_1, event.actor2, event.assoc_actor_2)
    out: set[str] = set()
    for raw in names:
        for part in (raw or "").split(";"):
            actor = _actor(part)
            if actor and not " ".join(part.lower().split()).startswith(DESCRIPTIVE_ACTORS):
                out.add(actor)
    return out


def _sub_compatible(a: str, b: str) -> bool:
    if not a or not b or a == b:
        return True
    return any(a in group and b in group for group in _SUB_GROUPS)


def types_compatible(a: Event, b: Event) -> bool:
    ta, tb = a.event_type, b.event_type
    if not ta or not tb:
        return True
    if ta == tb:
        return _sub_compatible(a.sub_event_type, b.sub_event_type)
    pair = {ta, tb}
    if pair == {"Battles", "Explosions/Remote violence"}:
        return True  # explosions inside a battle belong to the battle
    if pair == {"Explosions/Remote violence", "Violence against civilians"}:
        # a strike on civilians, told once as a strike and once as an attack on civilians
        other = a if a.event_type == "Violence against civilians" else b
        return other.sub_event_type in ("", "Attack")
    if pair == {"Protests", "Riots"}:
        return True
    return False


def _regional(event: Event) -> bool:
    return event.geo_precision == 3


def place_distance(a: Event, b: Event) -> float | None:
    """Kilometres between the two places; 0 for equal folded names without coordinates; None if
    the places are different or cannot be compared."""
    if a.latitude is not None and a.longitude is not None and b.latitude is not None and b.longitude is not None:
        km = haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)
        imprecise = (a.geo_precision or 1) > 1 or (b.geo_precision or 1) > 1
        limit = NEAR_KM_IMPRECISE if imprecise else NEAR_KM
        if km <= limit:
            return km
        if (_regional(a) or _regional(b)) and a.admin1 and a.admin1 == b.admin1:
            return limit  # one report knows only the region
        return None
    if a.location and b.location:
        fa, fb = fold_name(a.location), fold_name(b.location)
        if fa and fb and (fa == fb or fuzz.ratio(fa, fb) >= NAME_SIMILARITY):
            return 0.0
    return None


def _date_stated(event: Event) -> bool:
    """The date was read from the report's words (not the publication date standing in)."""
    return bool(event.evidence.get("event_date"))


def _tolls(event: Event) -> set[int]:
    """The death tolls a report gives (its figure and each claim's), positive ones only."""
    tolls = {event.fatalities} if event.fatalities else set()
    tolls.update(c.figure for c in event.claims if c.kind == "fatalities" and c.figure)
    return tolls


def _clash_or_attack(a: Event, b: Event) -> bool:
    """One battle and one attack on civilians: a killing whose victim one report calls a fighter."""
    kinds = {(a.event_type, a.sub_event_type), (b.event_type, b.sub_event_type)}
    return kinds == {("Battles", "Armed clash"), ("Violence against civilians", "Attack")}


def compatibility(a: Event, b: Event) -> float | None:
    """How well two events fit as reports of one incident (higher is better), None if they cannot."""
    if a.article_id and a.article_id == b.article_id:
        return None
    da, db = _date(a), _date(b)
    if da is None or db is None or abs((da - db).days) > 1:
        return None
    if a.country and b.country and a.country != b.country:
        return None
    same_day = da == db
    cross_type = _clash_or_attack(a, b)
    if not cross_type and not types_compatible(a, b):
        return None
    km = place_distance(a, b)
    if km is None:
        return None
    sa, sb = _specific_actors(a), _specific_actors(b)
    if sa and sb and not (sa <= sb or sb <= sa):
        return None  # each names an actor the other does not: different incidents
    shared_actor = bool(sa & sb)
    shared_toll = bool(_tolls(a) & _tolls(b))
    same_sub = a.event_type == b.event_type and a.sub_event_type == b.sub_event_type
    regional = _regional(a) or _regional(b)
    if regional and not (a.event_type == b.event_type and (shared_actor or shared_toll)):
        return None  # "somewhere in the governorate" is no place evidence on its own
    if cross_type and not (same_day and not regional and km <= NEAR_KM and shared_toll):
        return None
    if not same_day:
        slip = (a.time_precision or 1) > 1 or (b.time_precision or 1) > 1
        slip = slip or not (_date_stated(a) and _date_stated(b))
        if not (slip or (same_sub and shared_actor and shared_toll)):
            return None  # each report states its own day: two incidents
    score = (2.0 if same_day else 0.0) + max(0.0, 1.0 - km / NEAR_KM)
    score += 1.0 if shared_actor else 0.0
    score += 0.5 if same_sub else 0.0
    score += 1.0 if shared_toll else 0.0  # the same figure: likely the same claim, told twice
    return score


# ---------------------------------------------------------------------------------------------
# clustering

def _key(event: Event, index: int) -> str:
    return event.event_id or f"{event.article_id}#{index}"


def cluster(events: Sequence[Event]) -> list[list[int]]:
    """Indices of ``events`` grouped by incident (complete linkage, deterministic)."""
    keys = [_key(e, i) for i, e in enumerate(events)]
    by_day: dict[dt.date, list[int]] = {}
    for i, event in enumerate(events):
        day = _date(event)
        if day is not None:
            by_day.setdefault(day, []).append(i)
    pairs: list[tuple[float, str, str, int, int]] = []
    scores: dict[tuple[int, int], float] = {}
    for day, members in by_day.items():
        for other_day in (day, day + dt.timedelta(days=1)):
            others = by_day.get(other_day, [])
            for i in members:
                for j in others:
                    if other_day == day and j <= i:
                        continue
                    score = compatibility(events[i], events[j])
                    if score is not None:
                        a, b = (i, j) if keys[i] < keys[j] else (j, i)
                        scores[(a, b)] = score
                        pairs.append((-score, keys[a], keys[b], a, b))
    pairs.sort()
    group_of = list(range(len(events)))
    groups: dict[int, list[int]] = {i: [i] for i in range(len(events))}
    articles: dict[int, set[str]] = {i: {events[i].article_id or keys[i]} for i in range(len(events))}
    for _, _, _, i, j in pairs:
        gi, gj = group_of[i], group_of[j]
        if gi == gj or articles[gi] & articles[gj]:
            continue
        if not all(_pair_score(scores, x, y) is not None for x in groups[gi] for y in groups[gj]):
            continue
        if _agreeing_days_differ(events, groups[gi], groups[gj]):
            continue
        keep, gone = (gi, gj) if gi < gj else (gj, gi)
        groups[keep].extend(groups.pop(gone))
        articles[keep] |= articles.pop(gone)
        for x in groups[keep]:
            group_of[x] = keep
    result = [sorted(g, key=lambda x: keys[x]) for g in groups.values()]
    result.sort(key=lambda g: keys[g[0]])
    return result


def _agreeing_days_differ(events: Sequence[Event], a: list[int], b: list[int]) -> bool:
    """Two groups of several reports, each agreeing on its own day: two incidents, not a date slip."""
    if len(a) < 2 or len(b) < 2:
        return False
    days_a = {events[i].event_date for i in a}
    days_b = {events[i].event_date for i in b}
    return len(days_a) == 1 and len(days_b) == 1 and days_a != days_b


def _pair_score(scores: dict[tuple[int, int], float], x: int, y: int) -> float | None:
    return scores.get((x, y)) if (x, y) in scores else scores.get((y, x))


# ---------------------------------------------------------------------------------------------
# combining

def merged_id(member_ids: Iterable[str]) -> str:
    digest = hashlib.sha1("\x1f".join(sorted(member_ids)).encode("utf-8")).hexdigest()
    return f"M{digest[:12]}"


def _reported_deaths(event: Event) -> bool:
    return event.fatalities > 0 or any(c.kind == "fatalities" for c in event.claims)


def _sources(members: Sequence[Event]) -> str:
    names: set[str] = set()
    for m in members:
        for part in (m.source or "").split(";"):
            if part.strip():
                names.add(part.strip())
    return "; ".join(sorted(names, key=str.casefold))


def combine(members: Sequence[Event]) -> Event:
    """One event from the reports of one incident (``members`` in any order)."""
    members = sorted(members, key=lambda m: (m.event_date, m.article_id, m.event_id))
    if len(members) == 1 and not members[0].claims:
        only = members[0].model_copy()
        only.event_id = merged_id([members[0].event_id])
        only.evidence = {f"{only.article_id}:{k}": v for k, v in only.evidence.items()}
        return only

    # date: the one most reports give (precise dates first), earliest on ties
    votes = Counter(m.event_date for m in members if m.event_date)
    precise = Counter(m.event_date for m in members if m.event_date and m.time_precision == 1)
    date = min(votes, key=lambda d: (-precise[d], -votes[d], d)) if votes else ""

    # type: a battle absorbs strikes; otherwise the most reported type, then sub-event type
    type_votes = Counter(m.event_type for m in members)
    sub_votes = Counter((m.event_type, m.sub_event_type) for m in members)
    type_rep = min(range(len(members)), key=lambda i: (
        0 if members[i].event_type == "Battles" and "Explosions/Remote violence" in type_votes else 1,
        -type_votes[members[i].event_type], -sub_votes[(members[i].event_type, members[i].sub_event_type)],
        _TYPE_RANK.get(members[i].event_type, 9), i))
    typed = [m for m in members if m.event_type == members[type_rep].event_type] or list(members)

    # place: the most precise coding, then the most reported location
    loc_votes = Counter(fold_name(m.location) for m in members)
    place_rep = min(members, key=lambda m: (m.geo_precision or 9, -loc_votes[fold_name(m.location)],
                                            m.latitude is None, members.index(m)))

    # actors: the report naming the most specific actors, then the most common actor1
    actor_votes = Counter(_actor(m.actor1) for m in typed)
    actor_rep = min(typed, key=lambda m: (-len(_specific_actors(m)), -actor_votes[_actor(m.actor1)], typed.index(m)))

    base = members[type_rep].model_copy()  # claims and evidence are rebuilt below
    for name in ("iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
                 "longitude", "geo_precision"):
        setattr(base, name, getattr(place_rep, name))
    for name in ("actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
                 "civilian_targeting"):
        setattr(base, name, getattr(actor_rep, name))
    base.event_date = date
    try:
        base.year = int(date[:4]) if date else base.year
    except ValueError:
        pass
    base.time_precision = min((m.time_precision for m in members if m.event_date == date), default=base.time_precision)
    base.source = _sources(members)
    scales = sorted({m.source_scale for m in members if m.source_scale})
    base.source_scale = "; ".join(scales)
    base.tags = "; ".join(sorted({t.strip() for m in members for t in (m.tags or "").split(";") if t.strip()}))
    base.article_id = "; ".join(sorted({m.article_id for m in members}))

    claims: list[Claim] = []
    for m in members:
        for claim in m.claims:
            copy = claim.model_copy()
            if copy.claimant is None:
                copy.claimant = m.source or m.article_id
            claims.append(copy)
    base.claims = claims

    reporting = [m for m in members if _reported_deaths(m)]
    base.fatalities = min((m.fatalities for m in reporting), default=0)
    lows = [m.fatalities_low if m.fatalities_low is not None else m.fatalities for m in reporting]
    lows += [c.low if c.low is not None else c.figure for c in claims if c.kind == "fatalities"]
    highs = [m.fatalities_high if m.fatalities_high is not None else m.fatalities for m in reporting]
    highs += [c.high if c.high is not None else c.figure for c in claims if c.kind == "fatalities"]
    base.fatalities_low = min(lows) if lows else (0 if not reporting else base.fatalities)
    base.fatalities_high = max(highs) if highs else base.fatalities_low
    base.fatalities_low = min(base.fatalities_low, base.fatalities)
    base.fatalities_high = max(base.fatalities_high, base.fatalities)
    injured = [m.injured for m in members if m.injured is not None]
    base.injured = min(injured) if injured else None

    evidence: dict[str, list[Evidence]] = {}
    for m in members:
        for name, spans in m.evidence.items():
            evidence.setdefault(f"{m.article_id}:{name}", []).extend(s.model_copy() for s in spans)
    base.evidence = evidence
    base.confidence = max(m.confidence for m in members)
    base.event_id = merged_id([m.event_id for m in members])
    return base


def merge_events(events: Sequence[Event]) -> list[MergedEvent]:
    """All events grouped by incident and combined; each member keeps its own ``event_id``."""
    events = list(events)
    keyed = []
    for i, event in enumerate(events):
        if not event.event_id:
            event = event.model_copy()
            event.event_id = _key(event, i)
        keyed.append(event)
    merged = []
    for group in cluster(keyed):
        members = [keyed[i] for i in group]
        merged.append(MergedEvent(combine(members), members))
    return merged


# ---------------------------------------------------------------------------------------------
# scoring against gold

def pair_scores(predicted: Iterable[Iterable[str]], gold: dict[str, str]) -> dict[str, float]:
    """Pairwise precision/recall/F1 of grouped report ids against gold (report id -> incident id).

    Only ids present in ``gold`` count; a report missing from every predicted group is a singleton.
    """
    def pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
        out = set()
        for group in groups:
            ids = sorted({i for i in group if i in gold})
            out.update((a, b) for n, a in enumerate(ids) for b in ids[n + 1:])
        return out

    by_incident: dict[str, list[str]] = {}
    for report, incident in gold.items():
        by_incident.setdefault(incident, []).append(report)
    want, got = pairs(by_incident.values()), pairs(predicted)
    tp = len(want & got)
    precision = tp / len(got) if got else 1.0
    recall = tp / len(want) if want else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "pairs_gold": len(want),
            "pairs_predicted": len(got), "true_pairs": tp}
