"""The user's own example (../shared/examples/jassim-2022-10.json) must come out as an analyst codes it."""
import pytest

from eventcoder.evaluate import haversine_km
from eventcoder.schema import Article

JASIM = (32.99, 36.06)
SABBOURAH_DAMASCUS = (33.52, 36.18)


@pytest.fixture(scope="module")
def events(example_article):
    from eventcoder.pipeline import Extractor

    return Extractor().extract(Article(**example_article))


def _near(event, point, km=10):
    return event.latitude is not None and haversine_km(event.latitude, event.longitude, *point) <= km


def test_jasim_clashes_on_the_14th(events):
    found = [e for e in events if e.event_date == "2022-10-14" and e.event_type == "Battles"
             and e.sub_event_type == "Armed clash" and _near(e, JASIM)]
    assert found, [(e.event_date, e.sub_event_type, e.location) for e in events]
    event = found[0]
    assert event.admin1 == "Dara"
    assert event.fatalities >= 3
    assert event.actor1 == "Military Forces of Syria (2000-)" or event.actor2 == "Military Forces of Syria (2000-)"
    assert "Islamic State (Syria)" in (event.actor1, event.actor2)
    assert event.evidence["location"][0].text in ("Jassim", "the city of Jassim")


def test_russian_claim_of_20_dead_on_the_16th(events):
    found = [e for e in events if e.event_date == "2022-10-16" and e.event_type == "Battles" and _near(e, JASIM)]
    assert found
    event = found[0]
    assert event.fatalities == 20
    assert any(c.figure == 20 and c.claimant and "Russian Reconciliation Center" in c.claimant for c in event.claims)


def test_bus_bombing_near_the_sabbourah_by_damascus(events):
    found = [e for e in events if e.event_date == "2022-10-13"
             and e.sub_event_type == "Remote explosive/landmine/IED"]
    assert found
    event = found[0]
    assert event.event_type == "Explosions/Remote violence"
    assert _near(event, SABBOURAH_DAMASCUS), (event.location, event.latitude, event.longitude)
    assert event.fatalities == 18
    assert event.injured is not None and event.injured >= 27


def test_nothing_outside_october_2022(events):
    assert events
    assert all(e.event_date.startswith("2022-10") for e in events), [e.event_date for e in events]


def test_every_evidence_span_matches_the_text(events, example_article):
    text = example_article["text"]
    for event in events:
        for spans in event.evidence.values():
            for span in spans:
                assert text[span.start:span.end] == span.text
