"""The pipeline: builds the stages once and runs them in order over articles.

    article -> nlp (spaCy Doc) -> typing (event mentions) -> per mention: dates, place, numbers,
    claimant, actors -> assemble (events per day, place and type)
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from .chunking import BATCH_CHARS, MAX_CHARS, shift_event, split_text
from .extract.actors import ActorCoder
from .extract.assemble import Mention, assemble
from .extract.claims import find_claimant
from .extract.dates import DateRef, default_date, event_date, find_dates
from .extract.numbers import find_figures, is_significant
from .extract.typing import MIN_SCORE, EventTyper
from .geo.resolve import PlaceResolver
from .ingest.language import ENGLISH, detect_language
from .nlp import load_nlp
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

    def __init__(self) -> None:
        self.nlp = load_nlp()
        self.typer = EventTyper()
        self.actors = ActorCoder()
        self.places = PlaceResolver()

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
        context = self.places.context(doc)
        whole = self.places.resolve(doc[:], context)  # the article's first place: fallback and country
        country = context.country or (whole.place.country if whole else None)
        mentions: list[Mention] = []
        last_date: DateRef | None = None
        last_type = ""
        last_place = None
        armed = [(m.start, m.end) for m in self.actors.mentions(doc, country) if m.inter not in CIVILIAN_INTERS]
        for trigger in self.typer.find(doc, armed=armed):
            if trigger.score < MIN_SCORE:
                continue  # hypothetical, negated, historical or too weak to be an event
            span = doc.char_span(trigger.clause_start, trigger.clause_end, alignment_mode="expand") or trigger.sent
            dates = find_dates(span, article.published)
            current = [d for d in dates if not d.background]
            if dates and not current:
                continue  # history ("in 2018"): background, not an event of this report
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
                self.places.resolve(trigger.sent, context) if span != trigger.sent else None)
            mentions.append(Mention(
                trigger=trigger,
                date=date,
                date_explicit=bool(current),
                place=place or last_place,
                place_explicit=place is not None,
                actors=self.actors.code(trigger, country, date=date.days[0] if date.days else None),
            ))
            if current:
                last_date, last_type = date, trigger.event_type
            last_place = place or last_place
        if not mentions:
            return []
        if any(m.place is None for m in mentions):
            fallback = next((m.place for m in mentions if m.place), None) or whole
            for mention in mentions:
                mention.place = mention.place or fallback
        self._attach_figures(doc, mentions, article.published)
        return assemble(mentions, article, country, self.typer.disorder_type)

    def _attach_figures(self, doc: Doc, mentions: list[Mention], published: dt.date | None) -> None:
        """Give every casualty figure of the article to the mention it belongs to, with its claimant.

        A figure goes to the mention whose clause holds it, else to the nearest mention before it
        in its sentence; figures of a sentence with no mention ("The clashes left several dead")
        go to the last mention before that sentence (the first one, before any). Sentences about
        history ("in 2018") give none.
        """
        by_sentence: dict[int, list[Mention]] = {}
        for mention in mentions:
            by_sentence.setdefault(mention.trigger.sent.start, []).append(mention)
        for sent in doc.sents:
            figures = find_figures(sent)
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


def _first_day(date: DateRef) -> DateRef:
    """A date carried over to a mention of another kind: a curfew during a two-day operation is
    an event of its first day, not of both."""
    return replace(date, days=date.days[:1])


def _after(date: DateRef, published: dt.date | None) -> bool:
    return published is not None and any(day > published for day in date.days)
