"""Gazetteer figures against their budgets: first-use build, cold load, lookup time, memory, package data.

Prints figures, asserts nothing. Run: python benchmarks/gazetteer.py [--build]
(``--build`` times a fresh build into a temporary folder even when the cache index exists.)
"""
from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from eventcoder.geo import gazetteer as gz

NAMES = ["Deraa", "Jassim", "Sabbourah", "Idlib", "Rural Damascus", "Deir ez-Zor", "Mosul", "Tikrit",
         "Fallujah", "Raqqa", "Kobani", "Aleppo", "Homs", "Baghdad", "Nowhere Atall", "Khan Shaykhun",
         "Tall Hamid", "Kafr Nabl", "Maiduguri", "Bunia", "Kismayo", "Taizz", "Marib", "Bakhmut"]
BUDGET = {"build_s": 60.0, "cold_ms": 1000.0, "lookup_ms": 1.0, "memory_mb": 150.0, "package_mb": 80.0}


def _mark(value: float, budget: float) -> str:
    return f"(budget {budget:g}: {'ok' if value <= budget else 'OVER'})"


def package_data_mb() -> float:
    import eventcoder

    root = Path(eventcoder.__file__).parent
    return sum(f.stat().st_size for f in (root / "data").rglob("*") if f.is_file()) / 1e6


def main() -> None:
    path = gz.default_path()
    if "--build" in sys.argv or not path.is_file():
        target = Path(tempfile.mkdtemp(prefix="gaz-bench-")) / path.name if path.is_file() else path
        t, c = time.perf_counter(), time.process_time()
        gz.build(target)
        took, cpu = time.perf_counter() - t, time.process_time() - c
        print(f"first-use build: {took:.1f} s wall, {cpu:.1f} s CPU {_mark(took, BUDGET['build_s'])}  "
              f"({target.stat().st_size / 1e6:.0f} MB; load average {os.getloadavg()[0]:.1f})")
        if target != path:
            target.unlink()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    gaz = gz.Gazetteer(path)
    cold = (time.perf_counter() - t) * 1000
    print(f"cold load: {cold:.1f} ms {_mark(cold, BUDGET['cold_ms'])}  ({path}, {path.stat().st_size / 1e6:.0f} MB)")
    times, sizes = [], []
    for n in NAMES:
        t = time.perf_counter()
        sizes.append(len(gaz.lookup(n)))
        times.append((time.perf_counter() - t) * 1000)
    per = sum(times) / len(times)
    print(f"lookup (uncached): mean {per:.3f} ms/name {_mark(per, BUDGET['lookup_ms'])}, median "
          f"{statistics.median(times):.3f} ms, max {max(times):.1f} ms ({max(sizes)} candidates); "
          f"{sum(1 for s in sizes if s)}/{len(NAMES)} found")
    t = time.perf_counter()
    for _ in range(100):
        for n in NAMES:
            gaz.lookup(n)
    print(f"lookup (cached): {(time.perf_counter() - t) / (100 * len(NAMES)) * 1000:.4f} ms/name")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    added = (rss - rss0) / 1024
    print(f"memory: max RSS {rss / 1024:.0f} MB (gazetteer added {added:.0f} MB) {_mark(added, BUDGET['memory_mb'])}")
    pkg = package_data_mb()
    print(f"installed package data: {pkg:.1f} MB {_mark(pkg, BUDGET['package_mb'])}")


if __name__ == "__main__":
    main()
