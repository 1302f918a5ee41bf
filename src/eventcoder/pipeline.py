"""The pipeline: builds the stages once and runs them in order over articles.

    article -> nlp (spaCy Doc) -> typing (event mentions) -> per mention: dates, place, numbers,
    claimant, actors -> assemble (events per day, place and type)
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from .chunking import BATCH_CHARS, MAX_CHARS, shift_event, split_text
from .extract.actors import ActorCoder
from .extract.article import Structure, read_structure
from .extract.article import lexicon as article_lexicon
from .extract.assemble import Mention, assemble
from .extract.incidents import incident_groups, select_incidents
from .extract.claims import find_claimant
from .extract.dates import DateRef, default_date, event_date, find_dates
from .extract.numbers import find_figures, is_significant
from .extract.typing import MIN_SCORE, EventTyper
from .geo.resolve import PlaceResolver
from .ingest.language import ENGLISH, detect_language
from .nlp import load_nlp
from .notes_style import notes_style_of
from .schema import Article, Event

CIVILIAN_INTERS = (5, 6, 7)  # rioters, protesters, civilians: actors, but not armed ones


@dataclass
class Outcome:
    """What became of one article: its events, or the error that stopped it, or why it was skipped
    (``skipped``: e.g. "language fr": articles not in English are not coded)."""

    article: Article
    events: list[Event]
    error: str | None = None
    skipped: str | None = None


class Extractor:
    """Holds the loaded stages; ``extract`` codes one article, ``run`` a stream of them."""

    def __init__(self, model=None, notes_style: str | None = None) -> None:
        """``model``: a folder written by ``eventcoder train`` or a loaded ``Model`` (default:
        the folder in ``$EVENTCODER_MODEL``, else none: the rules alone). ``notes_style``: "news"
        (the default) or "acled", which also reads ACLED analysts' remarks on how a toll is shared
        ("12 fatalities split between the 3 locations"; default: ``$EVENTCODER_NOTES_STYLE``)."""
        self.nlp = load_nlp()
        self.typer = EventTyper()
        self.model_typer, learned = _load_model(model)
        self.actors = ActorCoder(learned=learned)
        self.places = PlaceResolver()
        self.remarks = notes_style_of(notes_style) == "acled"

    def extract(self, article: Article) -> list[Event]:
        outcome = next(self.run([article], batch_size=1))
        if outcome.error:
            raise RuntimeError(f"article {article.id}: {outcome.error}")
        return outcome.events

    def run(self, articles: Iterable[Article], batch_size: int = 64) -> Iterator[Outcome]:
        """Code a stream of articles through ``nlp.pipe``; one failing article never stops the rest.

        An article that is not in English is skipped (``Outcome.skipped``). An article longer than
        ``chunking.MAX_CHARS`` is coded in pieces that keep sentences whole (its events' spans still
        point into the whole text); at most ``BATCH_CHARS`` characters are parsed at once, so time
        and memory grow in proportion to the text."""
        events: list[Event] = []
        error = None
        for group in _groups(articles, batch_size):
            if isinstance(group, Outcome):
                yield group
                continue
            stream = ((item[1].text, item) for item in group)
            for doc, (article, part, offset, last) in self.nlp.pipe(stream, as_tuples=True, batch_size=len(group)):
                if error is None:
                    try:
                        events += [shift_event(e, offset) for e in self.code(part, doc)]
                    except Exception as exc:  # an extractor bug must not lose the other articles
                        error = f"{type(exc).__name__}: {exc}"
                del doc
                if last:
                    yield Outcome(article, [] if error else events, error)
                    events, error = [], None

    def code(self, article: Article, doc: Doc) -> list[Event]:
        layout = read_structure(article.text, article.title)
        context = self.places.context(doc)
        whole = self._first_place(doc, context, layout)  # the article's first place: fallback and country
        country = context.country or (whole.place.country if whole else None)
        mentions: list[Mention] = []
        last_date: DateRef | None = None
        last_type = ""
        last_place = None
        armed = [(m.start, m.end) for m in self.actors.mentions(doc, country) if m.inter not in CIVILIAN_INTERS]
        triggers = self.typer.find(doc, armed=armed)
        if self.model_typer is not None:
            triggers = self.model_typer(doc, triggers)
        for trigger in triggers:
            if trigger.score < MIN_SCORE:
                continue  # hypothetical, negated, historical or too weak to be an event
            if layout.news and (layout.in_quote(trigger.start) or layout.in_dateline(trigger.start)):
                continue  # what someone said, or the reporter's whereabouts: not the report's account
            span = _clause(doc, trigger, layout)
            dates = find_dates(span, article.published)
            current = [d for d in dates if not d.background]
            if dates and not current:
                continue  # history ("in 2018"): background, not an event of this report
            if not current and layout.news:
                # a report's clause often leaves its day to the sentence ("... on Sunday when gunmen
                # opened fire"), and the lead's day is the incident's
                told = find_dates(_sentence(doc, trigger, layout), article.published)
                current = [d for d in told if not d.background]
                if told and not current:
                    continue  # a sentence of history
                if not current and last_date is None and not layout.in_title(trigger.start):
                    current = _lead_dates(doc, layout, article.published)
            if current:
                date = event_date(current, article.published)
            elif last_date is not None:
                date = last_date if trigger.event_type == last_type else _first_day(last_date)
            else:
                date = default_date(article.published)
            if date is None:
                date = DateRef(days=[], precision=3, start=0, end=0, text="")
            if _after(date, article.published):
                continue
            place = self.places.resolve(span, context) or (
                self.places.resolve(_sentence(doc, trigger, layout), context) if span != trigger.sent else None)
            mentions.append(Mention(
                trigger=trigger,
                date=date,
                date_explicit=bool(current),
                place=place or last_place,
                place_explicit=place is not None,
                actors=self._spell(self.actors.code(trigger, country, date=date.days[0] if date.days else None), country),
            ))
            if current:
                last_date, last_type = date, trigger.event_type
            last_place = place or last_place
        if layout.news:
            mentions = select_incidents(mentions, layout, article.published)
        if not mentions:
            return []
        if any(m.place is None for m in mentions):
            fallback = next((m.place for m in mentions if m.place), None) or whole
            for mention in mentions:
                mention.place = mention.place or fallback
        self._attach_figures(doc, mentions, article.published, layout)
        incidents = incident_groups(mentions, layout) if layout.news else None
        return assemble(mentions, article, country, self.typer.disorder_type, incidents, remarks=self.remarks)

    def _first_place(self, doc: Doc, context, layout: Structure):
        """The article's first place. In a news report: the lead's (after its dateline), then the
        headline's, then the rest of the body's; the dateline's only when nothing else names one."""
        if not layout.news:
            return self.places.resolve(doc[:], context)
        spans = []
        lead, title = layout.lead, layout.title
        after = layout.dateline.end if layout.dateline else (lead.start if lead else 0)
        if lead is not None:
            spans.append((after, lead.end))
        if title is not None:
            spans.append((title.start, title.end))
        spans.append((lead.end if lead else after, len(doc.text)))
        if layout.dateline is not None:
            spans.append(layout.dateline.place)
        for start, end in spans:
            span = doc.char_span(start, end, alignment_mode="contract")
            if span is not None and len(span):
                found = self.places.resolve(span, context)
                if found is not None:
                    return found
        return None

    def _spell(self, coding, country):
        learned = self.actors.learned
        return learned.spell(coding, country) if learned is not None else coding

    def _attach_figures(self, doc: Doc, mentions: list[Mention], published: dt.date | None,
                        layout: Structure | None = None) -> None:
        """Give every casualty figure of the article to the mention it belongs to, with its claimant.

        A figure goes to the mention whose clause holds it, else to the nearest mention before it
        in its sentence; figures of a sentence with no mention ("The clashes left several dead")
        go to the last mention before that sentence (the first one, before any). Sentences about
        history ("in 2018") give none.
        """
        by_sentence: dict[int, list[Mention]] = {}
        told_below = layout is not None and layout.news and any(
            not layout.in_title(m.trigger.start) for m in mentions)
        for mention in mentions:
            by_sentence.setdefault(mention.trigger.sent.start, []).append(mention)
        for sent in doc.sents:
            if told_below and layout.in_title(sent.start_char):
                continue  # the headline repeats the body's toll: the same victims, counted once
            if layout is not None and layout.news and _background_sentence(sent, layout, mentions, published):
                continue  # a toll of older events (background paragraphs)
            if layout is not None and layout.news and layout.in_dateline(sent.start_char) and \
                    layout.in_dateline(sent.end_char - 1):
                continue
            figures = find_figures(sent)
            if layout is not None and layout.news:
                figures = [f for f in figures if not layout.in_quote(f.start) and not layout.in_dateline(f.start)
                           and not (told_below and layout.in_title(f.start))]
            if not figures:
                continue
            here = by_sentence.get(sent.start)
            if not here:
                dates = find_dates(sent, published)
                if dates and all(d.background for d in dates):
                    continue
                before = [m for m in mentions if m.trigger.sent.start < sent.start]
                here = [before[-1] if before else mentions[0]]
            claimant = find_claimant(sent)
            for figure in figures:
                owner = next((m for m in here if m.trigger.clause_start <= figure.start < m.trigger.clause_end), None)
                if owner is None:
                    earlier = [m for m in here if m.trigger.start <= figure.start]
                    owner = earlier[-1] if earlier else here[0]
                owner.figures.append((figure, claimant))
        for mention in mentions:
            figures = [figure for figure, _ in mention.figures]
            mention.significant = is_significant(mention.trigger.sent.text, figures)


def _groups(articles: Iterable[Article], batch_size: int) -> Iterator[list[tuple] | Outcome]:
    """The articles as groups of ``(article, part, offset, is_last)`` for one ``nlp.pipe`` call each
    (at most ``batch_size`` parts and ``BATCH_CHARS`` characters, but at least one part), and an
    Outcome for each article skipped for its language, in input order."""
    group: list[tuple] = []
    chars = 0
    for article in articles:
        language = detect_language(article.text)
        if language != ENGLISH:
            if group:
                yield group
                group, chars = [], 0
            yield Outcome(article, [], skipped=f"language {language}")
            continue
        for part, offset, last in _parts(article):
            if group and (len(group) >= batch_size or chars + len(part.text) > BATCH_CHARS):
                yield group
                group, chars = [], 0
            group.append((article, part, offset, last))
            chars += len(part.text)
    if group:
        yield group


def _parts(article: Article) -> list[tuple[Article, int, bool]]:
    """``(article or piece of it, offset, is_last)``: the article itself unless it is too long for one Doc."""
    if len(article.text) <= MAX_CHARS:
        return [(article, 0, True)]
    pieces = split_text(article.text, MAX_CHARS)
    return [(article.model_copy(update={"text": text}), offset, i == len(pieces) - 1)
            for i, (offset, text) in enumerate(pieces)]


def _clause(doc: Doc, trigger, layout: Structure):
    """The clause of a mention, without the dateline the report opens with."""
    start = trigger.clause_start
    if layout.dateline is not None and start < layout.dateline.end <= trigger.start:
        start = layout.dateline.end
    if start == trigger.clause_start:
        return doc.char_span(trigger.clause_start, trigger.clause_end, alignment_mode="expand") or trigger.sent
    return doc.char_span(start, trigger.clause_end, alignment_mode="expand") or trigger.sent


def _lead_dates(doc: Doc, layout: Structure, published: dt.date | None) -> list[DateRef]:
    """The dates of a news report's lead paragraph (its dateline left out)."""
    lead = layout.lead
    if lead is None:
        return []
    start = layout.dateline.end if layout.dateline is not None else lead.start
    span = doc.char_span(start, lead.end, alignment_mode="contract")
    if span is None or not len(span):
        return []
    return [d for d in find_dates(span, published) if not d.background]


def _sentence(doc: Doc, trigger, layout: Structure):
    """The sentence of a mention, without the dateline."""
    sent = trigger.sent
    if layout.dateline is not None and sent.start_char < layout.dateline.end <= trigger.start:
        return doc.char_span(layout.dateline.end, sent.end_char, alignment_mode="expand") or sent
    return sent


def _background_sentence(sent, layout: Structure, mentions: list[Mention], published: dt.date | None) -> bool:
    """A sentence of history in a news report: in a paragraph of background with no mention of the
    report's incidents, or dated well before them."""
    paragraph = layout.paragraph_at(sent.start_char)
    if paragraph is not None and paragraph.background_cue and not any(
            paragraph.start <= m.trigger.start < paragraph.end for m in mentions):
        return True
    days = [day for m in mentions for day in m.date.days]
    if not days:
        return False
    dates = [d for d in find_dates(sent, published) if d.days]
    limit = dt.timedelta(days=int(article_lexicon()["background_days"]))
    return bool(dates) and all(max(d.days) < min(days) - limit for d in dates)


def _load_model(model):
    """(ModelTyper, LearnedActors) of a trained model (a folder or a loaded Model), or (None, None)."""
    model = model or os.environ.get("EVENTCODER_MODEL") or None
    if not model:
        return None, None
    from .extract.classify import LearnedActors, ModelTyper
    from .train.model import Model

    if not isinstance(model, Model):
        model = Model.load(model)
    return ModelTyper(model), LearnedActors(model)


def _first_day(date: DateRef) -> DateRef:
    """A date carried over to a mention of another kind: a curfew during a two-day operation is
    an event of its first day, not of both."""
    return replace(date, days=date.days[:1])


def _after(date: DateRef, published: dt.date | None) -> bool:
    return published is not None and any(day > published for day in date.days)
