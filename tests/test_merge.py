"""Cross-source merge on hand-built events of the multi-source test set (tests/fixtures/multisource).

The main set (articles/events/gold) is 30 incidents in 67 reports; the extra set (extra_*) is 7
incidents in 12 reports written to check single rules (see benchmarks/ingest.py --quality).
"""
from __future__ import annotations

import json
import random
from pathlib import Path

from eventcoder.schema import Claim, Event, Evidence
from eventcoder.store.merge import combine, compatibility, fold_name, merge_events, pair_scores

HERE = Path(__file__).parent / "fixtures" / "multisource"


def _events(prefix: str = "") -> list[Event]:
    return [Event.model_validate_json(line) for line in (HERE / f"{prefix}events.jsonl").read_text().splitlines()]


def _gold(prefix: str = "") -> dict[str, str]:
    return json.loads((HERE / f"{prefix}gold.json").read_text())


def test_fixture_is_a_real_multisource_set():
    gold = _gold()
    sizes: dict[str, int] = {}
    for incident in gold.values():
        sizes[incident] = sizes.get(incident, 0) + 1
    assert sum(1 for n in sizes.values() if 2 <= n <= 4) >= 20
    articles = [json.loads(l) for l in (HERE / "articles.jsonl").read_text().splitlines()]
    assert {a["id"] for a in articles} == set(gold)


def test_pairwise_precision_and_recall_on_hand_built_events():
    merged = merge_events(_events())
    scores = pair_scores([[m.article_id for m in item.members] for item in merged], _gold())
    print(f"merge on hand-built events: {scores}")
    assert scores["precision"] >= 0.95
    assert scores["recall"] >= 0.90


def test_extra_set_checks_each_rule():
    gold, events = _gold("extra_"), _events("extra_")
    articles = [json.loads(l) for l in (HERE / "extra_articles.jsonl").read_text().splitlines()]
    assert {a["id"] for a in articles} == set(gold) == {e.article_id for e in events}
    merged = merge_events(events)
    groups = sorted(sorted(m.article_id for m in item.members) for item in merged)
    assert groups == [["x01a", "x01b", "x01c"], ["x02a"], ["x03a", "x03b"], ["x04a"], ["x05a", "x05b"], ["x06a"],
                      ["x07a", "x07b"]]


def test_merge_does_not_depend_on_input_order():
    events = _events() + _events("extra_")
    first = [(m.event.event_id, m.event.record()) for m in merge_events(events)]
    random.Random(7).shuffle(events)
    second = [(m.event.event_id, m.event.record()) for m in merge_events(events)]
    assert sorted(first, key=lambda x: x[0]) == sorted(second, key=lambda x: x[0])


def _by_article(events):
    return {e.article_id: e for e in events}


def test_merged_event_keeps_every_source_and_claim_and_is_conservative():
    events = _by_article(_events())
    merged = combine([events["r13a"], events["r13b"], events["r13c"]])
    assert merged.source == "Damascus Courier; Gulf Wire; Levant Monitor"
    assert merged.fatalities == 46  # ACLED: the most conservative credible report
    assert (merged.fatalities_low, merged.fatalities_high) == (46, 53)
    assert sorted((c.claimant, c.figure) for c in merged.claims) == [
        ("SANA", 46), ("SOHR", 53), ("SOHR", 53), ("state media", 46)]
    assert merged.article_id == "r13a; r13b; r13c"
    assert merged.actor1 == "Islamic State (Syria)"  # the named actor beats "unidentified"
    assert merged.event_date == "2023-02-17"


def test_outlet_becomes_claimant_of_its_own_voice():
    events = _by_article(_events())
    merged = combine([events["r01a"], events["r01c"]])
    assert ("Gulf Wire", 8) in {(c.claimant, c.figure) for c in merged.claims}
    assert merged.fatalities == 7


def test_date_slip_takes_the_date_most_reports_give():
    events = _by_article(_events())
    merged = combine([events["r02a"], events["r02b"]])
    assert merged.event_date == "2023-04-11"  # tie: the earlier day
    assert merged.fatalities == 10 and merged.location == "Deir ez-Zor"  # coordinates beat a bare name


def test_look_alikes_stay_distinct():
    events = _by_article(_events())
    assert compatibility(events["r01a"], events["r23a"]) is None  # same day, same city: air strike vs IED
    assert compatibility(events["r05a"], events["r24a"]) is None  # same day, town: other actors
    assert compatibility(events["r01a"], events["r26a"]) is None  # same day, 30 km away
    assert compatibility(events["r02a"], events["r30a"]) is None  # IS vs army, IS vs SDF
    merged = merge_events([events[k] for k in ("r21a", "r21b", "r25a", "r25b")])
    assert sorted(sorted(m.article_id for m in x.members) for x in merged) == [["r21a", "r21b"], ["r25a", "r25b"]]


def test_one_article_never_merges_with_itself():
    a = Event(event_id="x-1", article_id="x", event_date="2023-01-01", event_type="Battles", location="Homs")
    b = a.model_copy(update={"event_id": "x-2"})
    assert len(merge_events([a, b])) == 2


def test_transliterations_fold_together():
    assert fold_name("Deir ez-Zor") == fold_name("Deir al-Zour")
    assert fold_name("Qamishli") == fold_name("Kamishli")
    assert fold_name("Ma'arrat an-Nu'man") == fold_name("Maarat al-Numan")
    assert fold_name("Homs") != fold_name("Hama")


def test_injuries_only_reports_do_not_lower_the_death_toll():
    a = Event(event_id="a-1", article_id="a", event_date="2023-01-01", event_type="Battles", location="Homs",
              fatalities=5, claims=[Claim(figure=5)])
    b = Event(event_id="b-1", article_id="b", event_date="2023-01-01", event_type="Battles", location="Homs",
              fatalities=0, injured=4)
    merged = merge_events([a, b])
    assert len(merged) == 1 and merged[0].event.fatalities == 5 and merged[0].event.injured == 4


def _ev(article: str, day: str, **fields) -> Event:
    base = dict(event_id=f"{article}-1", article_id=article, event_date=day, event_type="Explosions/Remote violence",
                sub_event_type="Shelling/artillery/missile attack", country="Syria", location="Saraqib",
                latitude=35.86, longitude=36.80, geo_precision=1, admin1="Idleb",
                actor1="Military Forces of Syria (2000-)", actor2="Civilians (Syria)")
    base.update(fields)
    return Event(**base)


_STATED = {"event_date": [Evidence(start=0, end=9, text="on Monday")]}


def test_consecutive_days_stated_by_both_reports_are_two_incidents():
    a = _ev("a", "2023-10-12", evidence=_STATED, fatalities=2)
    b = _ev("b", "2023-10-13", evidence=_STATED, fatalities=1)
    assert compatibility(a, b) is None
    # a date not read from the text (the publication date stood in) may have slipped a day
    assert compatibility(a, b.model_copy(update={"evidence": {}})) is not None
    # ... and so may an imprecise one
    assert compatibility(a, b.model_copy(update={"time_precision": 2})) is not None
    # two stated days, but the same attack told twice: same sub-event, same named actor, same toll
    assert compatibility(a, b.model_copy(update={"fatalities": 2})) is not None


def test_region_level_place_needs_the_same_type_and_a_shared_actor_or_toll():
    town = _ev("a", "2023-10-12", fatalities=2)
    region = _ev("b", "2023-10-12", location="Idlib", latitude=35.93, longitude=36.63, geo_precision=3, fatalities=4)
    assert compatibility(town, region) is not None  # same type, same named actor
    unnamed = region.model_copy(update={"actor1": "Unidentified Armed Group (Syria)"})
    assert compatibility(town, unnamed) is None  # "somewhere in Idlib", nobody named, other toll
    assert compatibility(town, unnamed.model_copy(update={"fatalities": 2})) is not None  # the same toll
    battle = region.model_copy(update={"event_type": "Battles", "sub_event_type": "Armed clash",
                                       "actor2": "HTS: Hayat Tahrir al Sham"})
    assert compatibility(town, battle) is None  # fighting somewhere in the region is not this strike


def test_killing_told_as_clash_and_as_attack_on_a_civilian():
    clash = _ev("a", "2023-09-01", event_type="Battles", sub_event_type="Armed clash",
                actor1="Unidentified Armed Group (Syria)", actor2="Former Opposition Rebels (Syria)", fatalities=1)
    attack = _ev("b", "2023-09-01", event_type="Violence against civilians", sub_event_type="Attack",
                 actor1="Unidentified Armed Group (Syria)", fatalities=1)
    assert compatibility(clash, attack) is not None
    assert compatibility(clash, attack.model_copy(update={"fatalities": 2})) is None  # another toll
    assert compatibility(clash, attack.model_copy(update={"event_date": "2023-09-02"})) is None  # another day
    army = _ev("c", "2023-09-01", event_type="Battles", sub_event_type="Armed clash",
               actor2="Unidentified Armed Group (Syria)", fatalities=2)
    assert compatibility(clash, army) is None  # a former rebel is not the army


def test_descriptive_actor_labels_fit_named_actors():
    named = _ev("a", "2023-04-11", event_type="Battles", sub_event_type="Armed clash",
                actor2="Islamic State (Syria)", fatalities=12)
    jihadists = named.model_copy(update={"event_id": "b-1", "article_id": "b", "actor2": "Islamist Militia (Syria)",
                                         "fatalities": 10})
    assert compatibility(named, jihadists) is not None
    militia = _ev("c", "2023-04-11", event_type="Battles", sub_event_type="Armed clash",
                  actor1="Islamic State (Syria)", actor2="Militia (Pro-Government)")
    ndf = militia.model_copy(update={"event_id": "d-1", "article_id": "d", "actor2": "QDW: National Defence Forces"})
    assert compatibility(militia, ndf) is not None
    sdf = named.model_copy(update={"event_id": "e-1", "article_id": "e", "actor2": "QSD: Syrian Democratic Forces"})
    assert compatibility(named, sdf) is None


def test_place_names_fold_like_the_gazetteer():
    assert fold_name("Falluja") == fold_name("Al Fallūjah")
    a = _ev("a", "2023-01-14", location="Falluja", latitude=None, longitude=None, geo_precision=None)
    b = _ev("b", "2023-01-14", location="al-Fallujah", latitude=None, longitude=None, geo_precision=None)
    assert compatibility(a, b) is not None
