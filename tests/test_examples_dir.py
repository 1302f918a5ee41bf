"""The project's own example reports (examples/reports.jsonl) come out as their authors meant."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventcoder.geo.place import distance_km
from eventcoder.pipeline import Extractor
from eventcoder.schema import Article

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "reports.jsonl"


@pytest.fixture(scope="module")
def coded() -> dict[str, list]:
    extractor = Extractor()
    out = {}
    for line in EXAMPLES.read_text(encoding="utf-8").splitlines():
        article = Article(**json.loads(line))
        out[article.id] = extractor.extract(article)
    return out


def test_every_example_is_checked(coded):
    assert set(coded) == {"example-saraqib-clashes", "example-anbar-ied", "example-baghdad-protest",
                          "example-earthquake"}


def test_clashes_are_one_battle_with_the_monitors_toll(coded):
    [event] = coded["example-saraqib-clashes"]
    assert (event.event_type, event.sub_event_type) == ("Battles", "Armed clash")
    assert event.admin1 == "Idleb" and event.location == "Saraqib"
    assert event.fatalities == 6  # four soldiers and two fighters; "dozens" is the other side's claim
    assert event.event_date == "2024-03-11"


def test_roadside_bomb_counts_its_three_dead_once(coded):
    [event] = coded["example-anbar-ied"]
    assert event.sub_event_type == "Remote explosive/landmine/IED"
    assert event.fatalities == 3 and event.injured == 5  # the headline repeats the toll: not added
    assert event.admin1 == "Al Anbar"
    assert distance_km(event.latitude, event.longitude, 33.42, 43.30) < 15  # near Ramadi
    assert event.event_date == "2023-05-07"


def test_dispersed_protest_is_a_protest_with_intervention_and_no_other_event(coded):
    [event] = coded["example-baghdad-protest"]
    assert (event.event_type, event.sub_event_type) == ("Protests", "Protest with intervention")
    assert event.actor1 == "Protesters (Iraq)" and event.fatalities == 0
    assert event.location == "Baghdad"


def test_an_earthquake_is_no_event(coded):
    assert coded["example-earthquake"] == []
