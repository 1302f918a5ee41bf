import datetime as dt
import json

from eventcoder.ingest.readers import InputProblem, read_articles


def _read(*paths, published=None):
    return list(read_articles(paths, published))


def test_txt_file_gives_one_article_titled_by_its_first_line(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("Clashes in the north\nFighting broke out on Monday.\n", encoding="utf-8")
    [article] = _read(path, published=dt.date(2024, 1, 2))
    assert article.id == "report"
    assert article.title == "Clashes in the north"
    assert article.published == dt.date(2024, 1, 2)


def test_jsonl_reports_bad_lines_by_number_and_keeps_the_rest(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "one", "published": "2024-05-01", "extra": 1}),
        "{not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": "three", "published": "yesterday"}),
        json.dumps({"id": 7, "text": "four", "source": None}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _read(path)
    problems = [i for i in items if isinstance(i, InputProblem)]
    articles = [i for i in items if not isinstance(i, InputProblem)]
    assert [a.id for a in articles] == ["a", "7"]
    assert articles[0].published == dt.date(2024, 5, 1)
    assert [p.where for p in problems] == [f"{path}:2", f"{path}:3", f"{path}:4"]
    assert "malformed JSON" in problems[0].message
    assert "'text'" in problems[1].message
    assert "published" in problems[2].message


def test_missing_empty_binary_and_undecodable_inputs_are_problems(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02abc")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\xe9 attack".encode("latin-1"))
    other = tmp_path / "x.pdf"
    other.write_bytes(b"%PDF")
    items = _read(tmp_path / "nope.txt", empty, binary, latin, other)
    assert all(isinstance(i, InputProblem) for i in items)
    messages = [i.message for i in items]
    assert messages[0] == "no such file or folder"
    assert messages[1] == "empty file"
    assert "binary" in messages[2]
    assert "UTF-8" in messages[3]
    assert "unsupported" in messages[4]


def test_folder_is_read_recursively_in_name_order(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text("B text", encoding="utf-8")
    (tmp_path / "sub" / "a.md").write_text("A text", encoding="utf-8")
    (tmp_path / "c.json").write_text(json.dumps([{"id": "c1", "text": "C"}, {"id": "c2", "text": "D"}]), encoding="utf-8")
    (tmp_path / "ignored.bin").write_bytes(b"\x00")
    ids = [a.id for a in _read(tmp_path)]
    assert ids == ["b", "c1", "c2", "a"]


def test_empty_folder_is_a_problem(tmp_path):
    [problem] = _read(tmp_path)
    assert isinstance(problem, InputProblem)
