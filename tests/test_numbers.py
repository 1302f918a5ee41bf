"""Casualty figures under ACLED's counting rules (sentences written for these tests)."""
from __future__ import annotations

import pytest

from eventcoder.extract.numbers import (
    Figure, conservative, event_fatalities, fatalities_without_number, find_figures,
    is_significant, split_share,
)


def figs(nlp, text):
    doc = nlp(text)
    return [f for s in doc.sents for f in find_figures(s)]


def killed(nlp, text, significant=False):
    return event_fatalities(figs(nlp, text), significant)[0]


@pytest.mark.parametrize("text,expected", [
    ("At least 18 soldiers were killed in the blast.", 18),
    ("More than 20 fighters were killed near the town.", 20),
    ("Two soldiers and three civilians were killed in the attack.", 5),
    ("Gunmen attacked the checkpoint, killing 3 of them.", 3),
    ("Seven civilians died in the shelling.", 7),
    ("Twenty-one people lost their lives in the raid.", 21),
    ("The attack killed 2 and injured 4.", 2),
    ("Dozens of fighters were killed in the offensive.", 12),
    ("Tens of militants were killed.", 10),
    ("Hundreds of people were killed in the siege.", 100),
    ("A dozen soldiers were slain at the base.", 12),
    ("Several militants were killed in the raid.", 3),
    ("The clashes left several militants and leaders dead.", 3),
    ("The army said 5 insurgents were executed.", 5),
    ("The bodies of 4 fighters were found near the road.", 4),
    ("2 of the 5 attackers were killed.", 2),
    ("The attack killed 10 people, including 3 children.", 10),
    ("An HTS commander was assassinated near the town.", 1),
    ("One civilian was shot and killed during clashes.", 1),
    ("The suicide bomber detonated, killing both of them.", 2),
    ("In addition to the assailants, three people were killed in the blasts.", 5),
    ("In addition to the suicide bomber, four soldiers were killed.", 5),
    ("No casualties were reported.", 0),
    ("Neither injuries nor fatalities were reported.", 0),
    ("Four soldiers were wounded by sniper fire.", 0),
    ("The convoy of 12 vehicles was hit in 2019 and 30 soldiers were killed.", 30),
])
def test_killed(nlp, text, expected):
    assert killed(nlp, text) == expected


def test_range_and_open_ended(nlp):
    f = [x for x in figs(nlp, "Between 5 and 7 people were killed.") if x.kind == "killed"][0]
    assert (f.best, f.low, f.high) == (5, 5, 7)
    inj = [x for x in figs(nlp, "The bombing killed at least 18 soldiers and wounded over 27 others.")
           if x.kind == "injured"][0]
    assert (inj.best, inj.low, inj.high) == (27, 27, None)


def test_injured_separate(nlp):
    out = figs(nlp, "The attack killed 2 and injured 4.")
    assert [(f.kind, f.best) for f in out] == [("killed", 2), ("injured", 4)]
    assert event_fatalities(out, kind="injured")[0] == 4


def test_vague_quantity_not_exact(nlp):
    f = figs(nlp, "Several militants were killed.")[0]
    assert f.kind == "killed" and not f.exact and f.best == 3


@pytest.mark.parametrize("text", [
    "Fatalities were reported in the ranks of both parties.",
    "Regime forces shelled the town, killing civilians.",
    "The clashes caused casualties among the rebels.",
])
def test_unknown_deaths(nlp, text):
    out = [f for f in figs(nlp, text) if f.kind == "killed"]
    assert out and all(f.unknown and not f.exact for f in out)
    assert event_fatalities(out, significant=False)[0] == 3
    assert event_fatalities(out, significant=True)[0] == 10


def test_explicit_zero_figure(nlp):
    out = figs(nlp, "No fatalities were reported.")
    assert len(out) == 1 and out[0].kind == "killed" and out[0].best == 0


def test_intention_is_not_a_death(nlp):
    assert killed(nlp, "The forces carried out an operation to eliminate ISIS elements.") == 0


def test_offsets_are_absolute(nlp):
    doc = nlp("The town was calm. Later, 6 fighters were killed.")
    sent = list(doc.sents)[1]
    f = find_figures(sent)[0]
    assert doc.text[f.start:f.end] == f.text and f.text.startswith("6")


def test_fatalities_without_number():
    assert fatalities_without_number(False) == 3
    assert fatalities_without_number(True) == 10


def test_conservative():
    a = Figure("killed", 20, 20, None, 0, 1, "20")
    b = Figure("killed", 15, 15, 15, 0, 1, "15")
    assert conservative([a, b])[0] == 15
    assert conservative([]) == (0, 0, 0)


def test_significance():
    assert is_significant("Heavy clashes broke out and fatalities were reported.")
    assert not is_significant("Gunmen assassinated a local official.")


def test_split_share():
    assert split_share("29 fatalities split between the 5 locations.", 29) == 5
    assert split_share("Total fatalities of 28 split, 14 each, between the 2 locations.", 28) == 14
    assert split_share("Five fighters were killed.", 5) is None


def test_example_article(nlp, example_article):
    doc = nlp(example_article["text"])
    sents = list(doc.sents)
    bus = next(s for s in sents if "13 October" in s.text)
    k = [f for f in find_figures(bus) if f.kind == "killed"]
    i = [f for f in find_figures(bus) if f.kind == "injured"]
    assert [(f.best, f.low, f.high) for f in k] == [(18, 18, None)]
    assert i and i[0].best >= 27 and i[0].high is None
    russian = next(s for s in sents if "16 October" in s.text)
    assert [f.best for f in find_figures(russian) if f.kind == "killed"] == [20]
    clashes = next(s for s in sents if "several" in s.text and "dead" in s.text)
    assert [f.best for f in find_figures(clashes) if f.kind == "killed"] == [3]


def test_a_toll_shared_out_over_events_is_split(nlp):
    from eventcoder.pipeline import Extractor
    from eventcoder.schema import Article

    text = ("Clashes continued between two armed factions in the countryside of Idlib. "
            "Some deaths were reported. Fatalities split across 2 events.")
    [event] = Extractor().extract(Article(id="t", text=text, published="2020-03-02"))
    assert event.fatalities == 5
