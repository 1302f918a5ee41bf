"""Assemble: the event mentions of one article -> ACLED events (one per day, place and type).

ACLED's rules applied here:
- violent mentions of the same day and place are one event; explosions and attacks inside a battle
  belong to the battle, and a territory change outranks a plain armed clash;
- an event that ran several days becomes one event per day, its dead counted once (on the first day);
- fatalities follow the most conservative credible report; every figure is kept as a claim;
- deaths belong to violent events: figures a sentence gave to a strategic development move to the
  violent mention beside them;
- a toll told for several places or incidents is shared out: the note's own allocation ("Amra 4,
  Birka 4, and Dalia 3", "Two were noted in this location"), its split statement ("split
  between the 2 locations", "5 each"), a toll "across both blasts" (even shares, rounded half up),
  or a list of places ("clashes in A, B and C killed 10": even shares, the first place named takes
  the remainder); the article's other violent events at those places that day get their shares too;
- a stated total ("Total number of fatalities N") is the event's toll.

The analysts' remarks among these (an allocation table, a split statement, a stated total) are
read only with ``remarks=True`` (``--notes-style acled``): ACLED's coders write them in their notes;
news reports don't, and a news sentence that looks like one must not decide a toll.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..nlp import text_of
from ..schema import Article, Claim, Event, Evidence
from .actors import ActorCoding
from .claims import Claimant
from .dates import DateRef
from .numbers import (
    Figure, allocated_share, event_fatalities, fatalities_without_number, fold_place_name, incident_share, is_significant, place_lists,
    place_share, split_sentence_span, split_share, stated_total,
)
from .typing import MIN_SCORE, Trigger
from ..geo.resolve import ResolvedPlace

# a toll and how a note spreads it: (places it names, total before sharing, the note's text)
Toll = tuple[list[tuple[str, int, int]], int, str]

VIOLENT = ("Battles", "Explosions/Remote violence", "Violence against civilians")
TERRITORY = ("Government regains territory", "Non-state actor overtakes territory")
_FAMILY_RANK = {"Riots": 1, "Protests": 2, "Strategic developments": 3}  # violent types: 0


@dataclass
class Mention:
    """One event mention with the arguments the stages found for it."""

    trigger: Trigger
    date: DateRef
    date_explicit: bool
    place: ResolvedPlace | None
    place_explicit: bool
    figures: list[tuple[Figure, Claimant | None]] = field(default_factory=list)  # with who reports each
    actors: ActorCoding = field(default_factory=ActorCoding)
    significant: bool = False


def assemble(
    mentions: list[Mention],
    article: Article,
    country: str | None,
    disorder_type: Callable[[str, str], str],
    incidents: list[list[Mention]] | None = None,
    remarks: bool = False,
) -> list[Event]:
    """Group the mentions of one article into events, in order of first mention.

    ``incidents``: the mentions already grouped one group per incident (a news report, see
    :mod:`.incidents`); each group becomes one event per day, typed by its strongest mention.
    ``remarks``: read ACLED analysts' remarks on how a toll is shared (see the module's notes).
    """
    _deaths_to_violence(mentions)
    if incidents is not None:
        return _number(_assemble_incidents(incidents, article, country, disorder_type), article)
    groups: dict[tuple, list[Mention]] = {}
    for mention in mentions:
        place = mention.place.place if mention.place else None
        place_key = (place.name, round(place.latitude, 3), round(place.longitude, 3)) if place else None
        family = "violent" if mention.trigger.event_type in VIOLENT else mention.trigger.event_type
        key = (tuple(mention.date.days), place_key, family)
        groups.setdefault(key, []).append(mention)

    events: list[Event] = []
    built: list[tuple[list[Mention], list[Event]]] = []
    tolls: dict[int, Toll] = {}
    for group in groups.values():
        for members in _split_by_type(group):
            made = _events_of(members, article, country, disorder_type, tolls, remarks=remarks)
            built.append((members, made))
            events.extend(made)
    _share_listed_tolls(built, tolls, remarks)
    return _number(events, article)


def _number(events: list[Event], article: Article) -> list[Event]:
    for number, event in enumerate(events, start=1):
        event.event_id = f"{article.id}-{number}"
    return events


def _assemble_incidents(incidents: list[list[Mention]], article: Article, country: str | None,
                        disorder_type: Callable[[str, str], str]) -> list[Event]:
    """One event per incident, typed by the incident's first telling: the strongest mention of
    the first sentence that tells it (the lead's account, not a later detail), where violence
    outranks a riot, a riot a protest and a protest a strategic development ("gunmen killed the
    village head and vandalised the police station" is an attack)."""
    events: list[Event] = []
    for members in incidents:
        if members:
            first = min(m.trigger.sent.start for m in members)
            told = [m for m in members if m.trigger.sent.start == first]
            # a bare mention at the threshold ("gunmen" with nothing done) does not outrank a
            # clear telling of another family ("gunmen seized a truck" is looting)
            told = [m for m in told if m.trigger.score > MIN_SCORE] or told
            rank = min(_FAMILY_RANK.get(m.trigger.event_type, 0) for m in told)
            main = _main_mention([m for m in told if _FAMILY_RANK.get(m.trigger.event_type, 0) == rank])
            main = _escalated(main, members)
            events.extend(_events_of(members, article, country, disorder_type, main=main, news=True))
    return events


def _deaths_to_violence(mentions: list[Mention]) -> None:
    """Deaths belong to a violent event: figures a sentence gave to a strategic development
    ("seized weapons and killed 20 fighters", "tankers were set on fire; 3 drivers were killed")
    move to the violent mention of the same sentence, else the nearest violent mention before
    them, else the first one after."""
    violent = [m for m in mentions if m.trigger.event_type in VIOLENT]
    if not violent:
        return
    for mention in mentions:
        if mention.trigger.event_type != "Strategic developments" or not mention.figures:
            continue
        moving = [(f, c) for f, c in mention.figures if f.kind == "killed"]
        if not moving:
            continue
        for figure, claimant in moving:
            same = [m for m in violent if m.trigger.sent.start == mention.trigger.sent.start]
            before = [m for m in violent if m.trigger.start <= figure.start]
            if same:
                owner = same[0]
            elif before:
                owner = before[-1]
            else:
                owner = violent[0]
            owner.figures.append((figure, claimant))
        mention.figures = [(f, c) for f, c in mention.figures if f.kind != "killed"]


def _share_listed_tolls(built: list[tuple[list[Mention], list[Event]]], tolls: dict[int, Toll],
                        remarks: bool = False) -> None:
    """A toll a note spreads over several places ("21 fighters were killed in A, B and C", "Total
    fatalities of 12 are split as follows: 3 A, 3 B, ...", "split, 2 each") is shared by the
    article's violent events at those places on that day, not only by the event that holds it."""
    sources = [(made[0], tolls[id(made[0])]) for _, made in built if made and id(made[0]) in tolls]
    for members, made in built:
        if not made or id(made[0]) in tolls or members[0].trigger.event_type not in VIOLENT:
            continue
        event = made[0]
        if event.fatalities or any(f.kind == "killed" for m in members for f, _ in m.figures):
            continue
        names = _place_names(members)
        for source, (places, total, told) in sources:
            if source.event_date != event.event_date:
                continue
            share = allocated_share(told, names, own=False) if remarks else None
            if share is None and places:
                index = _place_index(places, members)
                if index is not None:
                    share = place_share(total, len(places), index == 0)
            if share is None and not places and remarks:
                share = split_share(told, total, names)
            if share is None:
                continue
            event.fatalities = event.fatalities_low = event.fatalities_high = share
            for evidence in source.evidence.get("fatalities", []):
                event.evidence.setdefault("fatalities", []).append(evidence)
            break


def _split_by_type(group: list[Mention]) -> list[list[Mention]]:
    """Violent mentions of one day and place are one event (ACLED); each other type is its own."""
    parts: dict[str, list[Mention]] = {}
    for mention in group:
        kind = mention.trigger.event_type
        parts.setdefault("violent" if kind in VIOLENT else kind, []).append(mention)
    return list(parts.values())


def _escalated(main: Mention, members: list[Mention]) -> Mention:
    """A demonstration told further on in its paragraph: police dispersing it makes it a protest
    with intervention, demonstrators turning violent a riot."""
    if main.trigger.event_type != "Protests":
        return main
    text = text_of(main.trigger.sent.doc)
    paragraph = text.count("\n", 0, main.trigger.start)
    around = [m for m in members if text.count("\n", 0, m.trigger.start) == paragraph and not m.trigger.flags]
    later = [m for m in around if m.trigger.event_type == "Riots"] or \
        [m for m in around if m.trigger.sub_event_type == "Protest with intervention"]
    if main.trigger.sub_event_type != "Peaceful protest" or not later:
        return main
    return max(later, key=lambda m: m.trigger.score)


def _main_mention(members: list[Mention]) -> Mention:
    """The mention that types the event: the strongest, where explosions inside a battle yield to
    the battle and a territory change outranks a plain armed clash."""
    battles = [m for m in members if m.trigger.event_type == "Battles"]
    pool = [m for m in members if not (battles and "in_battle" in m.trigger.flags)] or members
    best = max(pool, key=lambda m: m.trigger.score)  # max keeps the first of equals
    if best.trigger.event_type == "Battles":
        territory = [m for m in battles if m.trigger.sub_event_type in TERRITORY]
        if territory:
            return max(territory, key=lambda m: m.trigger.score)
    return best


def _span(doc_text: str, start: int, end: int) -> Evidence:
    return Evidence(start=start, end=end, text=doc_text[start:end])


def _events_of(
    members: list[Mention], article: Article, country: str | None, disorder_type: Callable[[str, str], str],
    tolls: dict[int, Toll] | None = None, main: Mention | None = None, news: bool = False,
    remarks: bool = False,
) -> list[Event]:
    text = article.text
    main = main or _main_mention(members)
    trig = main.trigger
    evidence: dict[str, list[Evidence]] = {}

    def add(field_name: str, start: int, end: int) -> None:
        spans = evidence.setdefault(field_name, [])
        if not any(s.start == start and s.end == end for s in spans):
            spans.append(_span(text, start, end))

    event = Event(
        article_id=article.id,
        event_type=trig.event_type,
        sub_event_type=trig.sub_event_type,
        disorder_type=disorder_type(trig.event_type, trig.sub_event_type),
        source=article.source,
    )
    for start, end in trig.evidence or [(trig.start, trig.end)]:
        add("event_type", start, end)
        add("sub_event_type", start, end)

    _fill_actors(event, members, main, add)
    _fill_place(event, members, main, country, add)
    claims, disputed, listed = _fill_figures(event, members, article, add, news, remarks)
    event.claims = claims

    sentence = " ".join(trig.sent.text.split())
    event.notes = sentence if not disputed else f"{sentence} [Fatality figures disputed: {disputed}]"
    where = main.place or next((m.place for m in members if m.place), None)
    if where is not None and where.unknown and event.location:
        event.notes += f" [Place '{where.unknown}' is not in the gazetteer; coded to {event.location} " \
                       f"(geo_precision {event.geo_precision}).]"
    date_ref = main.date
    if date_ref.text:
        add("event_date", date_ref.start, date_ref.end)
    elif date_ref.days and article.published is not None:
        event.notes += (f" [No date in the report: coded to the day before publication ({date_ref.days[0]}), "
                        f"time_precision {date_ref.precision}.]")
    # news puts the main incident first: a mention's position lowers confidence a little
    lead = 1.0 - 0.25 * min(m.trigger.start for m in members) / max(1, len(text))
    score = trig.score * (1.0 if event.location else 0.7) * (1.0 if main.date_explicit else 0.85) * lead
    event.confidence = round(min(1.0, max(0.0, score)), 3)
    event.evidence = evidence

    days = sorted(date_ref.days)
    if not days:  # no publication date and no dated words: the event stands without a date
        event.time_precision = 3
        if listed and tolls is not None:
            tolls[id(event)] = listed
        return [event]
    events = []
    for index, day in enumerate(days):
        day_event = event.model_copy(deep=True)
        day_event.event_date = day.isoformat()
        day_event.year = day.year
        day_event.time_precision = date_ref.precision
        if index:
            day_event.fatalities, day_event.fatalities_low, day_event.fatalities_high = 0, 0, 0
            day_event.injured = None
            day_event.claims = []
            for name in ("fatalities", "injured"):
                day_event.evidence.pop(name, None)
            day_event.notes = f"{event.notes} [Day {index + 1} of {len(days)}; its dead are counted on {days[0]}.]"
        events.append(day_event)
    if listed and tolls is not None:
        tolls[id(events[0])] = listed
    return events


def _fill_actors(event: Event, members: list[Mention], main: Mention, add) -> None:
    ordered = [main] + [m for m in members if m is not main]
    coding = ActorCoding()
    for mention in ordered:
        a = mention.actors
        for side in ("1", "2"):
            actor_field, inter_field, assoc_field = f"actor{side}", f"inter{side}", f"assoc_actor_{side}"
            if not getattr(coding, actor_field) and getattr(a, actor_field):
                setattr(coding, actor_field, getattr(a, actor_field))
                setattr(coding, inter_field, getattr(a, inter_field))
                for start, end in a.evidence.get(actor_field, []):
                    add(actor_field, start, end)
            assoc = getattr(coding, assoc_field)
            for name in getattr(a, assoc_field):
                if name not in assoc and name not in (coding.actor1, coding.actor2):
                    assoc.append(name)
                    for start, end in a.evidence.get(assoc_field, []):
                        add(assoc_field, start, end)
        coding.civilian_targeting = coding.civilian_targeting or (
            a.civilian_targeting and mention.trigger.event_type == main.trigger.event_type
        )
    event.actor1, event.inter1 = coding.actor1, coding.inter1
    event.actor2, event.inter2 = coding.actor2, coding.inter2
    event.assoc_actor_1 = "; ".join(n for n in coding.assoc_actor_1 if n not in (coding.actor1, coding.actor2))
    event.assoc_actor_2 = "; ".join(n for n in coding.assoc_actor_2 if n not in (coding.actor1, coding.actor2))
    event.interaction = interaction(coding.inter1, coding.inter2)
    event.civilian_targeting = "Civilian targeting" if coding.civilian_targeting else ""


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: the two inter codes, smaller first; a sole actor pairs with 0."""
    if inter1 is None and inter2 is None:
        return None
    codes = sorted(code for code in (inter1, inter2) if code is not None)
    if len(codes) == 1:
        return codes[0] * 10
    return codes[0] * 10 + codes[1]


def _fill_place(event: Event, members: list[Mention], main: Mention, country: str | None, add) -> None:
    resolved = main.place or next((m.place for m in members if m.place), None)
    if resolved is None:
        event.country = country or ""
        return
    place = resolved.place
    event.location = place.name
    event.latitude, event.longitude = place.latitude, place.longitude
    event.geo_precision = resolved.geo_precision
    event.country, event.iso, event.region = place.country, place.iso, place.region
    event.admin1, event.admin2, event.admin3 = place.admin1, place.admin2, place.admin3
    for name in ("location", "latitude", "longitude", "geo_precision", "admin1", "admin2", "admin3", "country"):
        if getattr(event, name) not in ("", None):
            add(name, resolved.start, resolved.end)


def _fill_figures(event: Event, members: list[Mention], article: Article, add, news: bool = False,
                  remarks: bool = False) -> tuple[list[Claim], str, Toll | None]:
    """Fatalities and injured from every figure of the event, one claim per figure.

    Figures are grouped by claimant (the outlet's own voice when nobody is named). Within one
    claimant, distinct groups of dead add up ("two soldiers ... three civilians" = 5); across
    claimants the most conservative total stands and the low/high range spans them all.

    In a news report (``news``) the same victims are told again and again (lead, body, recap):
    a claimant's toll is its fullest telling in one paragraph, not the sum of its paragraphs; and
    number-less wording ("several", "reports of casualties", "hundreds") counts only when no
    explicit count of the kind is given. Guesses are claims too, with their words.
    """
    outlet = article.source or None
    listed = None
    significant = any(m.significant for m in members) or any(
        is_significant(sent.text) for sent in _figure_sentences(members, unknown_only=True))
    claims: list[Claim] = []
    seen: set[tuple[int, int, str]] = set()
    by_claimant: dict[str | None, list[Figure]] = {}
    for mention in members:
        for figure, reporter in mention.figures:
            claimant = reporter.name if reporter else outlet
            key = (figure.start, figure.end, figure.kind)
            if key in seen:
                continue
            seen.add(key)
            by_claimant.setdefault(claimant, []).append(figure)
            kind = "fatalities" if figure.kind == "killed" else "injured"
            add(kind, figure.start, figure.end)
            if not figure.unknown:
                claims.append(Claim(claimant=claimant, kind=kind, figure=figure.best, low=figure.low,
                                    high=figure.high, text=figure.text, start=figure.start, end=figure.end))
            elif news and kind == "fatalities":
                guess = fatalities_without_number(significant)
                claims.append(Claim(claimant=claimant, kind=kind, figure=guess, low=1, high=None,
                                    text=figure.text, start=figure.start, end=figure.end))
    if news:
        for kind in ("killed", "injured"):
            if any(f.kind == kind and f.exact and not f.unknown and f.best > 0
                   for figures in by_claimant.values() for f in figures):
                # an explicit count is given: number-less and vague wording is not used
                for claimant in list(by_claimant):
                    by_claimant[claimant] = [f for f in by_claimant[claimant]
                                             if f.kind != kind or (f.exact and not f.unknown)]

    # a sentence that spreads the toll over several events restates it: its first figure, before
    # the split word, is the total ("Total fatalities of 12 are split as follows: 3 A, 3 B, ..."),
    # and the figures after it are the other events' shares
    told = _told_from(members)
    split = split_sentence_span(told) if remarks else None
    if split is not None:
        offset = min(m.trigger.sent.start_char for m in members)
        start, end, word = (offset + x for x in split)
        inside = [f for figures in by_claimant.values() for f in figures
                  if f.kind == "killed" and start <= f.start < end]
        if inside:
            restated = [f for f in inside if f.start < word and not f.unknown]
            for claimant in list(by_claimant):
                by_claimant[claimant] = [
                    f for f in by_claimant[claimant] if f.kind != "killed"
                    or (f in restated if restated else (f not in inside or f.unknown))]

    def telling(figures: list[Figure], kind: str) -> tuple[int, int, int | None]:
        if not news:
            return event_fatalities(figures, significant, kind)
        paragraphs: dict[int, list[Figure]] = {}
        for figure in figures:
            paragraphs.setdefault(article.text.count("\n", 0, figure.start), []).append(figure)
        return max((event_fatalities(group, significant, kind) for group in paragraphs.values()),
                   key=lambda t: t[0])

    def totals(kind: str) -> dict[str | None, tuple[int, int, int | None]]:
        return {claimant: telling(figures, kind)
                for claimant, figures in by_claimant.items() if any(f.kind == kind for f in figures)}

    killed = totals("killed")
    if killed:
        event.fatalities = min(best for best, _, _ in killed.values())
        event.fatalities_low = min(low for _, low, _ in killed.values())
        highs = [best if high is None else high for best, _, high in killed.values()]
        event.fatalities_high = None if any(h is None for _, _, h in killed.values()) and len(killed) == 1 else max(highs)
        total = stated_total(told) if remarks else None
        if total is not None:
            # the note's own "Total number of fatalities N" is the event's toll
            event.fatalities = event.fatalities_low = total
            event.fatalities_high = max(total, event.fatalities_high or 0)
        names = _place_names(members)
        listed = ([], event.fatalities, told)
        share = split_share(told, event.fatalities, names) if remarks else None
        allocated = allocated_share(told, names) if remarks else None
        if allocated is not None:
            # the note's own allocation table ("Amra 4, Birka 4, and Dalia 3") decides
            event.fatalities = event.fatalities_low = allocated
            event.fatalities_high = max(allocated, event.fatalities_high or 0)
            share = None
        elif share is None and (across := next(
                (sent for sent in _figure_sentences(members) if incident_share(sent.text, 1, told) is not None),
                None)) is not None:
            # "13 people were killed across both blasts": one incident's share
            share = incident_share(across.text, event.fatalities, told)
        elif share is None:
            # "clashes in A, B and C killed 9": the toll is spread over the places named (ACLED)
            places = _toll_places(members)
            if places:
                listed = (places, event.fatalities, told)
                share = place_share(event.fatalities, len(places), _place_index(places, members) == 0)
        if share is not None and share < event.fatalities:
            event.fatalities = event.fatalities_low = share
    else:
        event.fatalities, event.fatalities_low, event.fatalities_high = 0, 0, 0
    injured = totals("injured")
    if injured:
        event.injured = min(best for best, _, _ in injured.values())
    disputed = ""
    if len({best for best, _, _ in killed.values()}) > 1:
        disputed = "; ".join(f"{claimant or 'the report'}: {best}" for claimant, (best, _, _) in killed.items())
    return claims, disputed, listed


def _told_from(members: list[Mention]) -> str:
    """The text from the event's first sentence to the end of its paragraph: where a report says
    how one toll is shared out ("Fatalities split across 2 events")."""
    doc = members[0].trigger.sent.doc
    start = min(m.trigger.sent.start_char for m in members)
    last = max(m.trigger.sent.end_char for m in members)
    end = text_of(doc).find("\n", last)
    return text_of(doc)[start:end if end >= 0 else len(text_of(doc))]


def _toll_places(members: list[Mention]) -> list[tuple[str, int, int]] | None:
    """The places a toll is reported over: the longest list of places named in a sentence that
    carries the event's figures, else in the sentence of its main mention."""
    lists = [items for sent in _figure_sentences(members) for items in place_lists(sent.text, sent.start_char)]
    if not lists:
        sent = _main_mention(members).trigger.sent
        lists = place_lists(sent.text, sent.start_char)
    return max(lists, key=len) if lists else None


def _figure_sentences(members: list[Mention], unknown_only: bool = False) -> list:
    """The sentences that carry the event's figures of the dead (only the unknown-number ones)."""
    doc = members[0].trigger.sent.doc
    sents = {}
    for mention in members:
        for figure, _ in mention.figures:
            if figure.kind != "killed" or (unknown_only and not figure.unknown):
                continue
            span = doc.char_span(figure.start, figure.end, alignment_mode="expand")
            if span is not None:
                sents[span.sent.start] = span.sent
    return list(sents.values())


def _place_names(members: list[Mention]) -> tuple[str, ...]:
    """The event's place as the article writes it and as the gazetteer names it."""
    main = _main_mention(members)
    resolved = main.place or next((m.place for m in members if m.place), None)
    if resolved is None:
        return ()
    return tuple(dict.fromkeys(n for n in (resolved.text, resolved.place.name) if n))


def _place_index(places: list[tuple[str, int, int]], members: list[Mention]) -> int | None:
    """Where the event's own place stands in a list of places (None when it is not in it)."""
    main = _main_mention(members)
    resolved = main.place or next((m.place for m in members if m.place), None)
    if resolved is None:
        return None
    for index, (_, start, end) in enumerate(places):
        if start < resolved.end and resolved.start < end:
            return index
    names = {fold_place_name(resolved.text), fold_place_name(resolved.place.name)}
    for index, (text, _, _) in enumerate(places):
        folded = fold_place_name(text)
        if folded in names or any(n and n in folded for n in names):
            return index
    return None
