"""One way to read a JSON Lines file of objects, shared by the commands that read coded data."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path


def json_objects(path: Path, error: type[Exception], encoding_errors: str = "strict") -> Iterator[tuple[int, dict]]:
    """Yield ``(line number, object)`` for each non-blank line of ``path``; a line that is not a JSON
    object raises ``error`` with a one-line message naming the file and line."""
    with path.open(encoding="utf-8", errors=encoding_errors) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise error(f"{path}:{number}: malformed JSON: {exc.msg}") from None
            if not isinstance(row, dict):
                raise error(f"{path}:{number}: expected a JSON object")
            yield number, row
