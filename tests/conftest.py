from __future__ import annotations

import json
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from eventcoder.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout; tests that need it skip cleanly when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def example_article(shared_dir) -> dict:
    path = shared_dir / "examples" / "jassim-2022-10.json"
    if not path.is_file():
        pytest.skip("example article not present")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _commands_leave_no_environment(monkeypatch):
    """Commands pass --model, --notes-style and --data-dir on to worker processes through the
    environment; a command run inside a test must not change what later tests' extractors read."""
    for name in ("EVENTCODER_MODEL", "EVENTCODER_NOTES_STYLE", "EVENTCODER_DATA"):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
