"""Gazetteer figures: build time (if the cache is missing), cold load, lookup time, memory.

Prints figures, asserts nothing. Run: python benchmarks/gazetteer.py
"""
from __future__ import annotations

import resource
import time

from eventcoder.geo import gazetteer as gz

NAMES = ["Deraa", "Jassim", "Sabbourah", "Idlib", "Rural Damascus", "Deir ez-Zor", "Mosul", "Tikrit",
         "Fallujah", "Raqqa", "Kobani", "Aleppo", "Homs", "Baghdad", "Nowhere Atall", "Khan Shaykhun"]


def main() -> None:
    path = gz.default_path()
    if not path.is_file():
        t = time.perf_counter()
        gz.build(path)
        print(f"build: {time.perf_counter() - t:.1f} s (first use only)")
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    gaz = gz.Gazetteer(path)
    print(f"cold load: {(time.perf_counter() - t) * 1000:.1f} ms  ({path}, {path.stat().st_size / 1e6:.0f} MB)")
    t = time.perf_counter()
    for n in NAMES:
        gaz.lookup(n)
    print(f"lookup (uncached): {(time.perf_counter() - t) / len(NAMES) * 1000:.3f} ms/name")
    t = time.perf_counter()
    for _ in range(100):
        for n in NAMES:
            gaz.lookup(n)
    print(f"lookup (cached): {(time.perf_counter() - t) / (100 * len(NAMES)) * 1000:.4f} ms/name")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"memory: max RSS {rss / 1024:.0f} MB (gazetteer added {(rss - rss0) / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
