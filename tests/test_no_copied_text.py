"""Third-party text stays out of the repository.

The development sets and the example article (``../shared``) may be read, never copied: this test
fails when any run of ten consecutive words of them appears in a file tracked by git. Words are
compared lower-cased, so re-punctuating a copied sentence does not hide it. The open place data of
``../shared/data/gazetteer`` is not checked here: it may ship.
"""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

RUN = 10  # words in a row that count as a copy
ROOT = Path(__file__).resolve().parents[1]
_WORD = re.compile(r"\w+")


def _runs(text: str) -> set[int]:
    words = _WORD.findall(text.lower())
    return {hash(tuple(words[i:i + RUN])) for i in range(len(words) - RUN + 1)}


def _texts_of(value) -> list[str]:
    """Every string of a JSON record with at least RUN words (texts, titles, notes)."""
    if isinstance(value, str):
        return [value] if value.count(" ") >= RUN - 1 else []
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts_of(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts_of(v)]
    return []


ACTOR_FIELDS = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")


def _third_party_runs(shared: Path) -> set[int]:
    """Word runs of the third-party texts, less those inside ACLED's actor names: a name such as
    "Military Forces of Syria (2000-) ..." is the vocabulary we code with, not prose."""
    runs: set[int] = set()
    labels: set[int] = set()
    for path in sorted((shared / "data" / "dev").glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                record = json.loads(line)
                for text in _texts_of(record):
                    runs |= _runs(text)
                for event in record.get("gold") or ():
                    if isinstance(event, dict):
                        for field in ACTOR_FIELDS:
                            if isinstance(event.get(field), str):
                                labels |= _runs(event[field])
    runs -= labels
    for path in sorted((shared / "examples").glob("*")):
        if path.suffix == ".txt":
            runs |= _runs(path.read_text(encoding="utf-8"))
        elif path.suffix == ".json":
            for text in _texts_of(json.loads(path.read_text(encoding="utf-8"))):
                runs |= _runs(text)
    return runs


def _tracked_text_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    files = []
    for name in out.decode().split("\0"):
        path = ROOT / name
        if name and path.is_file():
            head = path.read_bytes()[:8192]
            if b"\0" not in head:  # binary and compressed files hold no prose
                files.append(path)
    return files


def find_copies(shared: Path) -> list[tuple[str, str]]:
    """(file, the copied words) for every tracked file holding a run of the third-party text."""
    runs = _third_party_runs(shared)
    found = []
    for path in _tracked_text_files():
        words = _WORD.findall(path.read_text(encoding="utf-8", errors="replace").lower())
        for i in range(len(words) - RUN + 1):
            if hash(tuple(words[i:i + RUN])) in runs:
                found.append((str(path.relative_to(ROOT)), " ".join(words[i:i + RUN])))
                break
    return found


def test_runs_are_word_sequences():
    a = _runs("One two three four five six seven eight nine ten eleven.")
    assert len(a) == 2
    assert _runs("ONE, two; three four five six seven eight nine TEN!") <= a
    assert not _runs("only nine words are here in this short line")


def test_no_tracked_file_copies_third_party_text(shared_dir):
    copies = find_copies(shared_dir)
    assert not copies, "third-party text in the repository:\n" + "\n".join(f"{f}: {w}" for f, w in copies)
