import json

import pytest

from eventcoder.evaluate import EvaluationError, evaluate_file, haversine_km, pair_events, score, weighted_f1


def _gold(doc_id, events, **extra):
    return {"id": doc_id, "text": "t", "published": "2020-01-02", "gold": events, **extra}


def test_haversine_one_degree_of_latitude_is_about_111_km():
    assert 110.5 < haversine_km(33.0, 36.0, 34.0, 36.0) < 111.5


def test_pairing_takes_the_best_agreement_once():
    gold = [{"event_date": "2020-01-01", "sub_event_type": "Armed clash"}]
    preds = [{"event_date": "2019-12-31", "sub_event_type": "Armed clash"},
             {"event_date": "2020-01-01", "sub_event_type": "Armed clash"}]
    [(g, p)] = pair_events(gold, preds)
    assert p is preds[1]


def test_field_scores_count_missed_events_as_wrong():
    docs = [
        _gold("a", [{"event_date": "2020-01-01", "event_type": "Battles", "sub_event_type": "Armed clash",
                     "admin1": "Idleb", "latitude": "35.93", "longitude": "36.63", "fatalities": "10",
                     "actor1": "X", "actor2": "Y"}]),
        _gold("b", [{"event_date": "2020-01-01", "event_type": "Battles", "sub_event_type": "Armed clash",
                     "admin1": "Dara", "latitude": "32.6", "longitude": "36.1", "fatalities": "0",
                     "actor1": "X", "actor2": ""}]),
    ]
    preds = {"a": [{"event_date": "2020-01-01", "event_type": "Battles", "sub_event_type": "Armed clash",
                    "admin1": "Idlib", "latitude": 35.95, "longitude": 36.64, "fatalities": 11,
                    "actor1": "X", "actor2": "Z", "confidence": 0.9}]}
    report = score(docs, preds)
    f = report["fields"]
    assert f["event_date exact"] == {"correct": 1, "total": 2, "rate": 0.5}
    assert f["admin1"]["correct"] == 1  # Idlib folds to Idleb
    assert f["within 5 km"]["correct"] == 1
    assert f["fatalities exact"]["correct"] == 0
    assert f["fatalities within 1"]["correct"] == 1
    assert f["actor1"]["correct"] == 1
    assert f["actor1 and actor2"]["correct"] == 0
    assert report["detection"] == {"recall": 0.5, "precision": 1.0}


def test_no_event_documents_are_their_own_class():
    docs = [_gold("n", []), _gold("p", [{"event_type": "Protests", "sub_event_type": "Peaceful protest"}])]
    preds = {"n": [{"event_type": "Riots", "sub_event_type": "Mob violence", "confidence": 1}],
             "p": [{"event_type": "Protests", "sub_event_type": "Peaceful protest", "confidence": 1}]}
    report = score(docs, preds)
    assert report["fields"]["event_type (main event)"]["correct"] == 1
    assert report["fields"]["no-event docs left empty"]["correct"] == 0
    assert report["event_type_confusion"]["none"] == {"Riots": 1}


def test_admin1_hint_accepts_rural_damascus_for_damascus():
    docs = [_gold("f", [{"country": "Syria", "admin1_hint": "damascus"}])]
    report = score(docs, {"f": [{"admin1": "Rural Damascus", "confidence": 1}]})
    assert report["fields"]["main event admin1 (hint)"]["correct"] == 1


def test_weighted_f1():
    assert weighted_f1([("a", "a"), ("b", "b")]) == 1.0
    assert weighted_f1([("a", "b"), ("b", "a")]) == 0.0


def test_evaluate_file_with_predictions(tmp_path):
    gold = tmp_path / "gold.jsonl"
    pred = tmp_path / "pred.jsonl"
    gold.write_text(json.dumps(_gold("a", [{"event_date": "2020-01-01", "fatalities": 2}])) + "\n", encoding="utf-8")
    pred.write_text(json.dumps({"article_id": "a", "event_date": "2020-01-01", "fatalities": 2}) + "\n", encoding="utf-8")
    report = evaluate_file(gold, pred)
    assert report["fields"]["fatalities exact"]["rate"] == 1.0
    with pytest.raises(EvaluationError):
        evaluate_file(tmp_path / "missing.jsonl", pred)


def test_actors_coded_in_another_datasets_names_are_compared_through_the_catalog():
    from eventcoder.evaluate import same_actor

    assert same_actor("Islamic State of Iraq and the Levant (ISIL)", "Islamic State (Iraq)", "Iraq")
    assert not same_actor("Islamic State of Iraq and the Levant (ISIL)", "Military Forces of Iraq (2014-)", "Iraq")
    assert same_actor("", "")
