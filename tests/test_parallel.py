"""ExtractorPool: outcomes in input order, the same as one process, failures named by article id."""
from __future__ import annotations

import os

import pytest

from eventcoder.parallel import ExtractorPool, workers_for
from eventcoder.pipeline import Outcome
from eventcoder.schema import Article


class FakeExtractor:
    """Codes nothing: an error for articles whose id starts with "bad", a dead process for "die"."""

    def run(self, articles, batch_size=64):
        for article in articles:
            if article.id.startswith("die"):
                os._exit(3)  # a worker killed in the middle of a block
            error = "ValueError: broken on purpose" if article.id.startswith("bad") else None
            yield Outcome(article, [], error, "language xx" if article.id.startswith("skip") else None)


def make_fake():
    return FakeExtractor()


def _articles(ids):
    return [Article(id=i, text=f"Text of article {i}.") for i in ids]


def test_workers_for_caps_small_inputs():
    assert workers_for(3, 5) == 3  # asked for: given
    assert workers_for(None, 5) == 1  # default: not a worker per handful of articles
    assert workers_for(1, None) == 1


def test_pool_keeps_input_order_and_errors():
    ids = [f"a{i}" for i in range(40)] + ["bad1", "skip1"] + [f"b{i}" for i in range(13)]
    with ExtractorPool(2, make_fake, block=3) as pool:
        outcomes = list(pool.run(_articles(ids)))
    assert [o.article.id for o in outcomes] == ids
    assert [o.article.id for o in outcomes if o.error] == ["bad1"]
    assert [o.skipped for o in outcomes if o.skipped] == ["language xx"]


def test_dead_worker_names_the_article_and_the_rest_are_coded():
    ids = [f"a{i}" for i in range(7)] + ["die1"] + [f"b{i}" for i in range(7)]
    with ExtractorPool(2, make_fake, block=4) as pool:
        outcomes = list(pool.run(_articles(ids)))
    assert [o.article.id for o in outcomes] == ids
    failed = [(o.article.id, o.error) for o in outcomes if o.error]
    assert [i for i, _ in failed] == ["die1"]
    assert "worker process died" in failed[0][1]


def test_two_workers_code_exactly_as_one():
    import json
    from pathlib import Path

    rows = [json.loads(line) for line in (Path(__file__).parents[1] / "examples" / "reports.jsonl").open()]
    articles = [Article(**{**r, "id": f"{r['id']}-{k}"}) for k in range(3) for r in rows]
    with ExtractorPool(1) as one, ExtractorPool(2, block=2) as two:
        first = [(o.article.id, [e.model_dump() for e in o.events], o.error) for o in one.run(articles)]
        second = [(o.article.id, [e.model_dump() for e in o.events], o.error) for o in two.run(articles)]
    assert first == second
    assert sum(len(events) for _, events, _ in first) > 0
