"""Readers: input paths -> Articles, with a readable problem for every bad input.

Formats: ``.txt``/``.md`` (one article a file; its first line is the title), ``.jsonl`` (one article
a line: ``id``, ``text``, optional ``published``, ``source``, ``title``, ``url``; other keys are
ignored), ``.json`` (one such object, or a list of them), or a folder of such files.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ..schema import Article

TEXT_SUFFIXES = {".txt", ".md"}
JSON_SUFFIXES = {".jsonl", ".json"}
SUFFIXES = TEXT_SUFFIXES | JSON_SUFFIXES


@dataclass
class InputProblem:
    """Something wrong with the input; ``where`` is ``path`` or ``path:line``."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def parse_date(value: str) -> dt.date:
    """A YYYY-MM-DD date, or ValueError with a message a user can act on."""
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except (ValueError, AttributeError):
        raise ValueError(f"not a date (want YYYY-MM-DD): {value!r}") from None


def read_articles(
    paths: Iterable[str | Path], published: dt.date | None = None
) -> Iterator[Article | InputProblem]:
    """Yield each article of the inputs in order, and an InputProblem for each bad one.

    ``published`` is used for articles that carry no publication date of their own.
    """
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            yield InputProblem(str(path), "no such file or folder")
        elif path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not files:
                yield InputProblem(str(path), "folder holds no .txt, .md, .json or .jsonl files")
            for file in files:
                yield from _read_file(file, published)
        else:
            yield from _read_file(path, published)


def _read_text(path: Path) -> str | InputProblem:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return InputProblem(str(path), f"cannot read: {exc.strerror or exc}")
    if b"\x00" in data[:8192]:
        return InputProblem(str(path), "binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return InputProblem(str(path), f"not UTF-8 text (byte {exc.start})")
    if not text.strip():
        return InputProblem(str(path), "empty file")
    return text


def _read_file(path: Path, published: dt.date | None) -> Iterator[Article | InputProblem]:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        yield InputProblem(str(path), f"unsupported file type {suffix or '(none)'}: use .txt, .md, .json or .jsonl")
        return
    text = _read_text(path)
    if isinstance(text, InputProblem):
        yield text
        return
    if suffix in TEXT_SUFFIXES:
        title = text.strip().splitlines()[0].strip()
        yield Article(id=path.stem, text=text, published=published, title=title[:300])
    elif suffix == ".jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield _article_from_json(line, f"{path}:{number}", published)
    else:
        yield from _read_json_document(text, path, published)


def _read_json_document(text: str, path: Path, published: dt.date | None) -> Iterator[Article | InputProblem]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield InputProblem(f"{path}:{exc.lineno}", f"malformed JSON: {exc.msg}")
        return
    items = data if isinstance(data, list) else [data]
    for index, item in enumerate(items):
        where = f"{path}[{index}]" if isinstance(data, list) else str(path)
        yield _article_from_obj(item, where, published)


def _article_from_json(line: str, where: str, published: dt.date | None) -> Article | InputProblem:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputProblem(where, f"malformed JSON: {exc.msg}")
    return _article_from_obj(obj, where, published)


def _article_from_obj(obj: object, where: str, published: dt.date | None) -> Article | InputProblem:
    if not isinstance(obj, dict):
        return InputProblem(where, "expected a JSON object with 'id' and 'text'")
    missing = [key for key in ("id", "text") if obj.get(key) in (None, "")]
    if missing:
        return InputProblem(where, f"missing {' and '.join(repr(k) for k in missing)}")
    if not isinstance(obj["text"], str):
        return InputProblem(where, "'text' must be a string")
    fields = {key: obj.get(key) for key in ("id", "text", "source", "title", "url")}
    when = obj.get("published")
    if when not in (None, ""):
        try:
            fields["published"] = parse_date(str(when))
        except ValueError as exc:
            return InputProblem(where, f"'published' is {exc}")
    else:
        fields["published"] = published
    try:
        return Article(**fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        return InputProblem(where, f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}")
