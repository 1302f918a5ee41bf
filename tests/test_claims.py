"""Who reports a figure (sentences written for these tests)."""
from __future__ import annotations

import pytest

from eventcoder.extract.claims import find_claimant


def claimant(nlp, text):
    doc = nlp(text)
    return find_claimant(doc[:])


@pytest.mark.parametrize("text,name", [
    ("According to SOHR, 5 fighters were killed.", "SOHR"),
    ("5 civilians were killed, according to the Syrian Observatory for Human Rights.",
     "Syrian Observatory for Human Rights"),
    ("State media said 12 soldiers died.", "State media"),
    ("Sources said the attack killed 3.", "Sources"),
    ("The Observatory said 4 civilians were killed.", "Observatory"),
    ("The Russian Reconciliation Center in Syria claimed that 20 militants were killed.",
     "Russian Reconciliation Center"),
    ("The ministry reported that 7 fighters died.", "ministry"),
])
def test_claimants(nlp, text, name):
    c = claimant(nlp, text)
    assert c is not None and c.name == name


@pytest.mark.parametrize("text", [
    "The clashes killed 3 fighters.",
    "ISIL claimed responsibility for the attack.",
    "Regime forces claimed control of the village.",
])
def test_no_claimant(nlp, text):
    assert claimant(nlp, text) is None


def test_offsets(nlp):
    doc = nlp("Calm returned. According to SOHR, 5 fighters were killed.")
    s = list(doc.sents)[1]
    c = find_claimant(s)
    assert doc.text[c.start:c.end] == "SOHR"


def test_example_article(nlp, example_article):
    doc = nlp(example_article["text"])
    s = next(s for s in doc.sents if "16 October" in s.text)
    assert find_claimant(s).name == "Russian Reconciliation Center"
