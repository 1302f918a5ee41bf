"""SIGKILL at random moments (a few here; ``benchmarks/crash_soak.py`` runs 20 + 20): after reruns no
article is lost or doubled, the store equals one clean run, and every correction is intact."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from soak import soak_batch, soak_ingest  # noqa: E402


def test_ingest_killed_three_times_equals_a_clean_run(tmp_path):
    result = soak_ingest(tmp_path / "ingest", kills=3, n_articles=120)
    assert result.kills == 3
    assert (result.lost, result.doubled, result.corrections_lost) == (0, 0, 0), result
    assert result.tables_equal and result.corrections == 6


def test_batch_killed_twice_loses_and_doubles_nothing(tmp_path):
    pytest.importorskip("ray")
    result = soak_batch(tmp_path / "batch", kills=2, n_articles=60)
    assert result.kills == 2
    assert (result.lost, result.doubled, result.corrections_lost) == (0, 0, 0), result
    assert result.corrections == 6 and "from-parquet exit 0" in result.notes
