"""A folder is read for articles only: documentation and hidden files are skipped."""
from __future__ import annotations

from eventcoder.ingest.readers import InputProblem, read_articles
from eventcoder.store.ingest import iter_inputs


def _folder(tmp_path):
    (tmp_path / "README.md").write_text("# How these files were made\n\nNotes for readers.\n")
    (tmp_path / "LICENSE.txt").write_text("Permission is granted to anyone.\n")
    (tmp_path / "CHANGELOG.md").write_text("## 1.0\n- first\n")
    (tmp_path / ".notes.txt").write_text("private notes\n")
    (tmp_path / "report-1.txt").write_text("Clashes in the north\nFighting was reported on Monday.\n")
    sub = tmp_path / "more"
    sub.mkdir()
    (sub / "readme.txt").write_text("about this folder\n")
    (sub / "report-2.md").write_text("Protest\nHundreds marched on Friday.\n")
    return tmp_path


def test_extract_reads_articles_only(tmp_path):
    items = list(read_articles([_folder(tmp_path)]))
    assert not [i for i in items if isinstance(i, InputProblem)]
    assert sorted(a.id for a in items) == ["report-1", "report-2"]


def test_ingest_reads_articles_only(tmp_path):
    items = list(iter_inputs([_folder(tmp_path)]))
    assert sorted(a.id for a in items if not isinstance(a, InputProblem)) == ["report-1", "report-2"]


def test_a_named_readme_is_still_read(tmp_path):
    folder = _folder(tmp_path)
    [article] = list(read_articles([folder / "README.md"]))
    assert article.id == "README"
