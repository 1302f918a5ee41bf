"""ACLED analysts' remarks on tolls are read only with --notes-style acled."""
from __future__ import annotations

import pytest

from eventcoder.notes_style import notes_style_of
from eventcoder.pipeline import Extractor
from eventcoder.schema import Article

TOTAL = ("On 3 May 2021, government forces clashed with rebels in Kafr Amra, killing 4 rebels. "
         "Total number of fatalities 7.")
SPLIT = ("On 3 May 2021, government forces shelled rebel positions in Kafr Amra, killing 9 rebels. "
         "9 fatalities split between the 3 locations.")


@pytest.fixture(scope="module")
def extractors():
    return {style: Extractor(notes_style=style) for style in ("news", "acled")}


def _toll(extractor, text):
    [event] = extractor.extract(Article(id="t", text=text, published="2021-05-04"))
    return event.fatalities


def test_a_stated_total_is_a_remark(extractors):
    assert _toll(extractors["acled"], TOTAL) == 7
    assert _toll(extractors["news"], TOTAL) == 4


def test_a_split_statement_is_a_remark(extractors):
    assert _toll(extractors["acled"], SPLIT) == 3
    assert _toll(extractors["news"], SPLIT) != 3


def test_a_place_list_spreads_a_toll_in_either_style(extractors):
    text = "On 3 May 2021, clashes between the army and rebels in Kafr Amra and Tell Birka killed 8 fighters."
    for extractor in extractors.values():
        tolls = sorted(e.fatalities for e in extractor.extract(Article(id="t", text=text, published="2021-05-04")))
        assert sum(tolls) <= 8


def test_style_from_argument_environment_or_default(monkeypatch):
    monkeypatch.delenv("EVENTCODER_NOTES_STYLE", raising=False)
    assert notes_style_of() == "news"
    monkeypatch.setenv("EVENTCODER_NOTES_STYLE", "ACLED")
    assert notes_style_of() == "acled"
    assert notes_style_of("news") == "news"
    with pytest.raises(ValueError, match="unknown notes style"):
        notes_style_of("tweets")


def test_cli_takes_the_option_after_the_command(tmp_path):
    from typer.testing import CliRunner

    from eventcoder.cli import app, hoist_data_dirs

    assert hoist_data_dirs(["extract", "a.txt", "--notes-style", "acled"])[:2] == ["--notes-style", "acled"]
    result = CliRunner().invoke(app, ["--notes-style", "tweets", "extract", str(tmp_path)])
    assert result.exit_code == 2 and "unknown notes style" in result.output
