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


def test_country_scored_through_pack_names_and_tabled_per_country():
    from eventcoder.evaluate import same_admin1, same_country

    assert same_country("Democratic Republic of Congo", "Democratic Republic of the Congo")
    assert same_country("Palestine", "Palestinian Territory")
    assert not same_country("Niger", "Nigeria")
    assert same_admin1("Nineveh", "Ninewa") and not same_admin1("Nineveh", "Basra")
    docs = [
        _gold("a", [{"country": "Sudan", "event_date": "2020-01-01", "actor1": "X"}]),
        _gold("b", [{"country": "Mali", "event_date": "2020-01-01", "actor1": "Y"}]),
    ]
    preds = {"a": [{"country": "Sudan", "event_date": "2020-01-01", "actor1": "X"}],
             "b": [{"country": "Niger", "event_date": "2020-01-01", "actor1": "Z"}]}
    report = score(docs, preds)
    assert report["fields"]["country"] == {"correct": 1, "total": 2, "rate": 0.5}
    rows = report["by_country"]
    assert rows["Sudan"]["country"]["rate"] == 1.0 and rows["Sudan"]["actor1"]["rate"] == 1.0
    assert rows["Mali"]["country"]["correct"] == 0 and rows["Mali"]["events"] == 1


def test_cli_by_country_table(tmp_path):
    from typer.testing import CliRunner

    from eventcoder.cli import app

    gold = tmp_path / "gold.jsonl"
    pred = tmp_path / "pred.jsonl"
    gold.write_text(json.dumps(_gold("a", [{"country": "Kenya", "event_date": "2020-01-01"}])) + "\n",
                    encoding="utf-8")
    pred.write_text(json.dumps({"article_id": "a", "country": "Kenya", "event_date": "2020-01-01"}) + "\n",
                    encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", str(gold), "--pred", str(pred), "--by-country"])
    assert result.exit_code == 0, result.output
    assert "by country" in result.output and "Kenya" in result.output
    result = CliRunner().invoke(app, ["evaluate", str(gold), "--pred", str(pred), "--json"])
    assert "by_country" not in json.loads(result.output)


def test_actor_eras_compared_by_their_first_year():
    from eventcoder.evaluate import same_actor

    assert same_actor("Military Forces of Nigeria (2015-)", "Military Forces of Nigeria (2015-2023)")
    assert not same_actor("Military Forces of Nigeria (2015-)", "Military Forces of Nigeria (2023-)")
    assert same_actor("Unknown", "Unidentified Armed Group (Kenya)", "Kenya")
