"""Which language an article is written in, told from its script and its function words.

``detect_language(text)`` returns a code such as ``"en"``, ``"fr"`` or ``"ar"`` (``"und"`` for a
Latin-script text in none of the known languages). eventcoder codes English; the pipeline skips
other articles with a notice. The rules and word lists are in ``data/languages.yaml``: a text whose
letters are mostly of one non-Latin script gets that script's language; a Latin-script text is
English unless another language's function words clearly outnumber English ones. Texts too short
to judge are taken as English. Only the first ``SAMPLE`` characters are read.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib.resources import files

import yaml

SAMPLE = 5000
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@lru_cache(maxsize=1)
def _rules() -> dict:
    data = yaml.safe_load(files("eventcoder").joinpath("data/languages.yaml").read_text(encoding="utf-8"))
    data["function_words"] = {lang: frozenset(words) for lang, words in data["function_words"].items()}
    return data


ENGLISH: str = "en"


@lru_cache(maxsize=4096)
def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else ""


def detect_language(text: str) -> str:
    """The language code of ``text`` (see the module docstring)."""
    rules = _rules()
    sample = text[:SAMPLE]
    scripts: dict[str, int] = {}
    letters = 0
    for char in sample:
        if char.isalpha():
            letters += 1
            if not char.isascii():
                script = _script(char)
                scripts[script] = scripts.get(script, 0) + 1
    if letters and scripts:
        script, count = max(scripts.items(), key=lambda kv: kv[1])
        if count * 2 > letters and script in rules["scripts"]:
            return rules["scripts"][script]
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < rules["min_words"]:
        return rules["english"]
    shares = {lang: sum(w in vocab for w in words) / len(words) for lang, vocab in rules["function_words"].items()}
    english = shares.pop(rules["english"])
    other, share = max(shares.items(), key=lambda kv: kv[1])
    if share >= rules["min_share"] and share >= rules["margin"] * english:
        return other
    if english < rules["min_english_share"] and len(words) >= rules["min_words_undetermined"]:
        return "und"
    return rules["english"]
