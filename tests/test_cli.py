"""The command line as a user meets it: exit codes and one-line errors for mistakes, no tracebacks."""
import json

from typer.testing import CliRunner

from eventcoder.cli import app

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_missing_file_is_a_one_line_error_with_exit_2(tmp_path):
    result = _run("extract", tmp_path / "nope.jsonl")
    assert result.exit_code == 2
    assert "no such file" in result.output
    assert "Traceback" not in result.output


def test_bad_published_date_is_refused(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Clashes erupted in Aleppo.", encoding="utf-8")
    result = _run("extract", path, "--published", "17/10/2022")
    assert result.exit_code == 2
    assert "--published" in result.output and "YYYY-MM-DD" in result.output


def test_unknown_format_is_refused(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("text", encoding="utf-8")
    result = _run("extract", path, "--format", "xml")
    assert result.exit_code == 2


def test_evaluate_missing_gold_file(tmp_path):
    result = _run("evaluate", tmp_path / "gold.jsonl")
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_malformed_line_is_reported_and_the_rest_is_coded(tmp_path):
    path = tmp_path / "in.jsonl"
    good = {"id": "ok", "text": "Syrian government forces clashed with Islamic State fighters in Palmyra on "
                                "Monday, killing four fighters.", "published": "2021-03-10"}
    path.write_text(json.dumps(good) + "\n{broken\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = _run("extract", path, "--format", "jsonl", "--output", out)
    assert result.exit_code == 2
    assert f"{path}:2" in result.output
    events = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert events and all(e["article_id"] == "ok" for e in events)
