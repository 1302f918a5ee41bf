"""Readers: input paths -> Articles, with a readable problem for every bad input.

Formats: ``.txt``/``.md`` (one article a file; its first line is the title), ``.jsonl`` (one article
a line: ``id``, ``text``, optional ``published``, ``source``, ``title``, ``url``; other keys are
ignored), ``.json`` (one such object, or a list of them), or a folder of such files. A folder is
read for articles only: README, LICENSE, CHANGELOG and the like, and hidden files, are skipped.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import yaml
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

    def __post_init__(self) -> None:  # one line, whatever a library's exception said
        self.where = " ".join(str(self.where).splitlines())
        self.message = " ".join(str(self.message).split())[:300]

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

    ``published`` is used for articles that carry no publication date of their own. JSONL files
    are read a line at a time, so their size does not bound memory.
    """
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            yield InputProblem(str(path), "no such file or folder")
        elif path.is_dir():
            files = sorted(p for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in SUFFIXES and is_article_file(p, path))
            if not files:
                yield InputProblem(str(path), "folder holds no .txt, .md, .json or .jsonl files")
            for file in files:
                yield from guarded(_read_file(file, published), str(file))
        else:
            yield from guarded(_read_file(path, published), str(path))


@lru_cache(maxsize=1)
def _documentation_names() -> frozenset[str]:
    data = yaml.safe_load(files("eventcoder").joinpath("data/not_articles.yaml").read_text(encoding="utf-8"))
    return frozenset(name.lower() for name in data["documentation_names"])


def is_article_file(path: Path, folder: Path) -> bool:
    """Whether ``path``, found inside ``folder``, may be an article: not documentation (README,
    LICENSE, CHANGELOG..., listed in ``data/not_articles.yaml``) and not hidden (a name starting
    with a dot, for the file or a folder between it and ``folder``)."""
    if path.name.split(".", 1)[0].lower() in _documentation_names():
        return False
    return not any(part.startswith(".") for part in path.relative_to(folder).parts)


def guarded(items: Iterator[Article | InputProblem], where: str) -> Iterator[Article | InputProblem]:
    """``items``, with a reader's unexpected failure turned into one InputProblem for the file
    (the articles read before it are kept; the next file is read as usual)."""
    try:
        yield from items
    except (MemoryError, RecursionError, ValueError, OSError, LookupError, TypeError, AttributeError,
            ArithmeticError, EOFError, UnicodeError, AssertionError, RuntimeError) as exc:
        message = " ".join(str(exc).split())[:200] or type(exc).__name__
        yield InputProblem(where, f"cannot read: {type(exc).__name__}: {message}")


def clean_text(value: str) -> str:
    """``value`` without lone surrogates (from JSON ``\\ud800`` escapes), which cannot be encoded."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")


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


def _read_jsonl(path: Path, published: dt.date | None) -> Iterator[Article | InputProblem]:
    """One article a line, streamed: memory holds one line at a time."""
    try:
        handle = open(path, "rb")
    except OSError as exc:
        yield InputProblem(str(path), f"cannot read: {exc.strerror or exc}")
        return
    with handle:
        if b"\x00" in handle.read(8192):
            yield InputProblem(str(path), "binary file, not text")
            return
        handle.seek(0)
        seen = False
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                seen = True
                yield InputProblem(f"{path}:{number}", f"not UTF-8 text (byte {exc.start})")
                continue
            if line.strip():
                seen = True
                yield _article_from_json(line, f"{path}:{number}", published)
        if not seen:
            yield InputProblem(str(path), "empty file")


def _read_file(path: Path, published: dt.date | None) -> Iterator[Article | InputProblem]:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        yield InputProblem(str(path), f"unsupported file type {suffix or '(none)'}: use .txt, .md, .json or .jsonl")
        return
    if suffix == ".jsonl":
        yield from _read_jsonl(path, published)
        return
    text = _read_text(path)
    if isinstance(text, InputProblem):
        yield text
        return
    text = clean_text(text)
    if suffix in TEXT_SUFFIXES:
        title = text.strip().splitlines()[0].strip()
        yield Article(id=path.stem, text=text, published=published, title=title[:300])
    else:
        yield from _read_json_document(text, path, published)


def _read_json_document(text: str, path: Path, published: dt.date | None) -> Iterator[Article | InputProblem]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield InputProblem(f"{path}:{exc.lineno}", f"malformed JSON: {exc.msg}")
        return
    except RecursionError:
        yield InputProblem(str(path), "malformed JSON: nested too deeply")
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
    except RecursionError:
        return InputProblem(where, "malformed JSON: nested too deeply")
    return _article_from_obj(obj, where, published)


def _article_from_obj(obj: object, where: str, published: dt.date | None) -> Article | InputProblem:
    if not isinstance(obj, dict):
        return InputProblem(where, "expected a JSON object with 'id' and 'text'")
    missing = [key for key in ("id", "text") if obj.get(key) in (None, "")]
    if missing:
        return InputProblem(where, f"missing {' and '.join(repr(k) for k in missing)}")
    if not isinstance(obj["text"], str):
        return InputProblem(where, "'text' must be a string")
    if not obj["text"].strip():
        return InputProblem(where, "'text' is blank")
    if isinstance(obj["id"], (int, float)) and not isinstance(obj["id"], bool):
        obj = {**obj, "id": str(obj["id"])}
    for key in ("id", "source", "title", "url"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            return InputProblem(where, f"{key!r} must be a string")
    fields = {key: clean_text(obj[key]) if isinstance(obj.get(key), str) else obj.get(key)
              for key in ("id", "text", "source", "title", "url")}
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


class StreamedInputs:
    """The articles of a reader stream, one at a time, reporting problems and repeated ids as they pass.

    ``first()`` reads up to the first article (None if there is none); iterating yields it and the
    rest. ``articles`` and ``problems`` count what went by.
    """

    def __init__(self, items: Iterable[Article | InputProblem], on_problem=None, on_duplicate=None):
        self._items = iter(items)
        self._on_problem = on_problem
        self._on_duplicate = on_duplicate
        self._head: Article | None = None
        self._seen: set[str] = set()
        self.articles = 0
        self.problems = 0

    def _next(self) -> Article | None:
        for item in self._items:
            if isinstance(item, InputProblem):
                self.problems += 1
                if self._on_problem:
                    self._on_problem(item)
                continue
            self.articles += 1
            if item.id in self._seen and self._on_duplicate:
                self._on_duplicate(item.id)
            self._seen.add(item.id)
            return item
        return None

    def first(self) -> Article | None:
        if self._head is None:
            self._head = self._next()
        return self._head

    def __iter__(self) -> Iterator[Article]:
        head = self.first()
        self._head = None
        if head is None:
            return
        yield head
        while (item := self._next()) is not None:
            yield item


def count_articles(paths: Iterable[str | Path]) -> int | None:
    """How many articles the inputs hold, counted cheaply (non-blank JSONL lines, one per text
    file), or None when a .json file or a folder makes that unknown without parsing."""
    total = 0
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            return None
        suffix = path.suffix.lower()
        if suffix in TEXT_SUFFIXES:
            total += 1
        elif suffix == ".jsonl":
            try:
                with open(path, "rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            except OSError:
                return None
        else:
            return None
    return total
