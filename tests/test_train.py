"""eventcoder train: reading coded data, the learned actor table, training, --model."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventcoder.cli import app
from eventcoder.train.coded import CodedDataError, read_coded
from eventcoder.train.learn import RuleView, learn_actors
from eventcoder.train.model import Model

FIXTURE = Path(__file__).parent / "fixtures" / "coded_small.jsonl"
runner = CliRunner()


def test_reads_gold_jsonl_with_non_events():
    data = read_coded([FIXTURE])
    counts = data.label_counts()["event_type"]
    assert len(data.docs) == 42
    assert counts["none"] == 6 and counts["Riots"] == 6
    assert data.docs[0].country == "Norland"


def _csv(tmp_path: Path, header: str, *rows: str) -> Path:
    path = tmp_path / "export.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_acled_csv_skips_and_counts_empty_notes(tmp_path):
    path = _csv(tmp_path, "event_date,event_type,sub_event_type,actor1,country,notes",
                "2021-05-02,Protests,Peaceful protest,Protesters (Norland),Norland,Nurses marched in Pelmar.",
                '2021-05-03,Riots,Violent demonstration,Rioters (Norland),Norland,""')
    data = read_coded([path])
    assert len(data.docs) == 1 and data.skipped_empty == 1
    assert data.docs[0].published == "2021-05-03"          # the day after the event
    assert data.docs[0].event_type == "Protests"


def test_missing_columns_are_named(tmp_path):
    path = _csv(tmp_path, "event_date,event_type,actor1", "2021-05-02,Protests,Protesters (Norland)")
    with pytest.raises(CodedDataError, match="missing column.*notes"):
        read_coded([path])


def test_unknown_labels_are_reported_with_counts(tmp_path):
    path = _csv(tmp_path, "event_type,sub_event_type,notes",
                "Skirmish,Armed clash,Two bands fought near Tiberg.",
                "Skirmish,Armed clash,Two bands fought near Halvik.",
                "Battles,Sit-in,Crowds sat in front of the palace.")
    with pytest.raises(CodedDataError) as info:
        read_coded([path])
    assert "'Skirmish' (2)" in str(info.value) and "'Sit-in' under 'Battles' (1)" in str(info.value)


def test_learned_aliases_and_spellings():
    data = read_coded([FIXTURE])
    views = [RuleView(d.event_type, d.sub_event_type, "Norland",
                      actor1="Military Forces of Norland" if "warplanes" in d.text else "") for d in data.docs]
    table = learn_actors(data.docs, views)
    aliases = {a["alias"]: a["actor"] for a in table.aliases["Norland"]}
    assert aliases["red dawn front"] == "RDF: Red Dawn Front"
    assert table.rename("Military Forces of Norland", "Norland") == "Military Forces of Norland (2020-)"
    assert table.rename("Someone Else", "Norland") == "Someone Else"


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("model") / "m"
    result = runner.invoke(app, ["train", str(FIXTURE), "--output", str(out), "--cv", "2"])
    assert result.exit_code == 0, result.output
    assert "2-fold cross-validated" in result.output
    return out


def test_train_writes_a_model_folder(model_dir):
    meta = json.loads((model_dir / "model.json").read_text())
    assert meta["documents"] == 42 and len(meta["data_hash"]) == 16
    assert meta["eventcoder_version"] and "none" in meta["labels"]["event_type"]
    assert meta["cross_validation"]["folds"] == 2 and len(meta["cross_validation"]["per_fold"]) == 2
    assert meta["label_counts"]["event_type"]["Battles"] == 6
    model = Model.load(model_dir)
    pred = model.classifier.predict(["On 1 October 2021, soldiers fought Red Dawn Front fighters near Dunsia."],
                                    [(None, None)])[0]
    assert pred.event_type == "Battles"


def test_extract_with_model(model_dir, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "published": "2021-10-02",
                               "text": "On 1 October 2021, Red Dawn Front gunmen shot dead two farmers near Sarnow."}) + "\n")
    result = runner.invoke(app, ["extract", str(src), "--format", "jsonl", "--model", str(model_dir)])
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert events and events[0]["event_type"] == "Violence against civilians"
    assert events[0]["actor1"] == "RDF: Red Dawn Front"
    assert events[0]["evidence"]["event_type"]


def test_bad_model_folder_is_a_one_line_error(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("Title\nSoldiers fought rebels near Karvel on Monday.\n")
    result = runner.invoke(app, ["extract", str(src), "--model", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no such folder" in result.output and "Traceback" not in result.output


def test_train_bad_data_is_a_one_line_error(tmp_path):
    path = _csv(tmp_path, "event_date,actor1", "2021-05-02,Protesters (Norland)")
    result = runner.invoke(app, ["train", str(path), "--output", str(tmp_path / "m")])
    assert result.exit_code == 2 and "missing column" in result.output
