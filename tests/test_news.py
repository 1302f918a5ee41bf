"""News reports coded as an analyst codes them: one event per incident, figures counted once,
the dateline not taken for the place, background not coded (articles written for these tests)."""
import datetime as dt

import pytest

from eventcoder.schema import Article

PUBLISHED = dt.date(2023, 3, 15)  # a Wednesday

MARKET = (
    "Seven killed as gunmen attack market in Baqubah\n\n"
    "BAGHDAD (River Wire) — Gunmen opened fire on a crowded vegetable market in Baqubah late on Tuesday, "
    "killing seven people and wounding 12 others, police said.\n\n"
    "The seven dead included two children, a medical source at the city's hospital said. Residents "
    "spoke of reports of casualties among the traders.\n\n"
    "\"They came on motorbikes and shot at everyone in the alleys, dozens of people were killed,\" one stall holder said.\n\n"
    "Security forces were deployed around the market and reinforcements were sent from the provincial capital.\n\n"
    "Since 2019, attacks on markets in the province have killed more than 300 people. In March 2021, a car bomb "
    "killed 40 people in the same town."
)

TWO_INCIDENTS = (
    "Roadside bomb and market shooting in Diyala\n\n"
    "BAGHDAD — A roadside bomb struck an army patrol near Baqubah on Monday, wounding two soldiers, officials said.\n\n"
    "The patrol was returning to its base, the officials said.\n\n"
    "Separately on Monday, gunmen shot dead a shopkeeper in Tikrit, police said.\n"
)

UNDATED = (
    "Teachers rally outside ministry in Baghdad\n\n"
    "Hundreds of teachers rallied outside the education ministry in Baghdad to demand unpaid wages, organisers said.\n\n"
    "Police watched from a distance and the crowd left peacefully in the afternoon.\n"
)


@pytest.fixture(scope="module")
def extractor():
    from eventcoder.pipeline import Extractor

    return Extractor()


def _code(extractor, text):
    title = text.split("\n", 1)[0]
    return extractor.extract(Article(id="t", text=text, title=title, published=PUBLISHED))


def test_one_incident_told_many_times_is_one_event(extractor):
    events = _code(extractor, MARKET)
    assert len(events) == 1, [(e.event_date, e.event_type, e.location) for e in events]
    event = events[0]
    assert event.event_date == "2023-03-14"  # "late on Tuesday" before a Wednesday
    assert event.time_precision == 1
    assert event.location == "Baqubah"  # not the dateline's Baghdad
    assert event.event_type == "Violence against civilians"


def test_figures_are_counted_once_and_guesses_are_claims(extractor):
    event = _code(extractor, MARKET)[0]
    assert event.fatalities == 7  # headline, lead and body tell the same seven; not the quote's "dozens"
    assert event.injured == 12
    texts = {c.text for c in event.claims}
    assert "reports of casualties" in texts  # the number-less wording is kept as a claim ...
    assert all("dozens" not in t and "300" not in t and "40" not in t for t in texts)  # ... quotes and history are not


def test_a_separate_incident_is_a_second_event(extractor):
    events = _code(extractor, TWO_INCIDENTS)
    assert sorted(e.location for e in events) == ["Baqubah", "Tikrit"]
    assert {e.event_date for e in events} == {"2023-03-13"}
    bomb = next(e for e in events if e.location == "Baqubah")
    assert bomb.event_type == "Explosions/Remote violence" and bomb.injured == 2 and bomb.fatalities == 0


def test_an_inferred_date_is_week_precision_and_says_so(extractor):
    events = _code(extractor, UNDATED)
    assert len(events) == 1
    event = events[0]
    assert event.event_type == "Protests"
    assert event.event_date == "2023-03-14" and event.time_precision == 2
    assert "No date in the report" in event.notes


CARJACK = (
    "Gunmen seize a militia truck near Tessit\n\n"
    "BAMAKO — Masked gunmen riding motorbikes seized a pickup truck belonging to a local self-defence militia near Tessit "
    "on Monday, residents said.\n\n"
    "Nobody was hurt, the residents said, and the attackers drove off with the truck towards the border.\n"
)


def test_a_bare_actor_mention_does_not_outrank_what_they_did(extractor):
    events = _code(extractor, CARJACK)
    assert events, "no event"
    main = max(events, key=lambda e: e.confidence)
    assert (main.event_type, main.sub_event_type) == ("Strategic developments", "Looting/property destruction")
