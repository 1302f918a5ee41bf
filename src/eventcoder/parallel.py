"""A pool of extractor processes on one machine: ``ExtractorPool(workers).run(articles)``.

Each worker process loads the pipeline once (one model load per worker) and codes blocks of
consecutive articles through ``Extractor.run``; the pool yields the outcomes in input order, so
the output is the same as one process's. At most ``2 * workers`` blocks are in flight, so a stream
of any length is read as it is coded. An article the extractor fails on comes back as an outcome
with its error (as in one process); a worker process that dies (killed, out of memory) is replaced
and its block coded again one article at a time, so that only the article that kills a worker is
reported, with its id.

``workers=1`` codes in this process with no pool at all. Past one machine, ``eventcoder batch`` on
Ray is the way to scale.
"""
from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice

from .pipeline import Extractor, Outcome
from .schema import Article

BLOCK = 16  # articles per task: enough to batch nlp.pipe, few enough to keep every worker busy
MIN_ARTICLES_PER_WORKER = 24  # below this a worker's start-up (model load) costs more than it saves

_WORKER_EXTRACTOR = None  # the Extractor of this worker process


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def workers_for(requested: int | None, articles: int | None) -> int:
    """How many workers to start: ``requested`` (default: the cores), but none that would have
    fewer than ``MIN_ARTICLES_PER_WORKER`` articles when the number of articles is known."""
    workers = requested or default_workers()
    if requested is None and articles is not None:
        workers = min(workers, max(1, articles // MIN_ARTICLES_PER_WORKER))
    return max(1, workers)


def _init_worker(factory: Callable[[], Extractor]) -> None:
    global _WORKER_EXTRACTOR
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: no traceback per worker
    _WORKER_EXTRACTOR = factory()


def peak_memory_kb() -> int:
    """This process's peak resident memory in KB: VmHWM where /proc has it (``ru_maxrss`` of a
    spawned process starts at its parent's size), else ``ru_maxrss``."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _stats() -> tuple[int, float, int]:
    """(pid, CPU seconds so far, peak resident memory in KB) of this worker."""
    return os.getpid(), time.process_time(), peak_memory_kb()


def _ping(delay: float) -> tuple[int, float, int]:
    time.sleep(delay)  # holds this worker, so that the next ping goes to another one
    return _stats()


def _code_block(articles: list[Article], batch_size: int):
    """(events, error, skipped) for each article of a block, in order, and the worker's stats."""
    results = [(o.events, o.error, o.skipped) for o in _WORKER_EXTRACTOR.run(articles, batch_size=batch_size)]
    return results, _stats()


class ExtractorPool:
    """``run(articles)`` like ``Extractor.run``, on ``workers`` processes; use it as a context manager
    (or call ``close``). ``factory`` builds each worker's extractor; it must be picklable (a
    module-level callable)."""

    def __init__(self, workers: int | None = None, factory: Callable[[], Extractor] = Extractor,
                 block: int = BLOCK) -> None:
        self.workers = workers or default_workers()
        self.factory = factory
        self.block = block
        self._local: Extractor | None = None
        self._executor: ProcessPoolExecutor | None = None
        self._stats: dict[int, tuple[float, int]] = {}  # worker pid -> (CPU seconds, peak RSS KB)

    # -- measurement (benchmarks)
    def warm(self) -> None:
        """Start every worker and wait until each has loaded its extractor."""
        if self.workers <= 1:
            if self._local is None:
                self._local = self.factory()
            return
        seen: set[int] = set()
        while len(seen) < self.workers:
            for future in [self._pool().submit(_ping, 0.2) for _ in range(2 * self.workers)]:
                pid, cpu, rss = future.result()
                seen.add(pid)
                self._stats[pid] = (cpu, rss)

    def cpu_seconds(self) -> float:
        """CPU seconds used so far by the workers (by this process with one worker), as last reported."""
        if self.workers <= 1:
            return time.process_time()
        return sum(cpu for cpu, _ in self._stats.values())

    def peak_rss_kb(self) -> int:
        """The largest peak resident memory of a worker (of this process with one worker), in KB."""
        if self.workers <= 1:
            return peak_memory_kb()
        return max((rss for _, rss in self._stats.values()), default=0)

    # -- lifecycle
    def __enter__(self) -> ExtractorPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # spawn: a fresh interpreter per worker, safe whatever threads this process runs
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(self.workers, mp_context=context,
                                                 initializer=_init_worker, initargs=(self.factory,))
        return self._executor

    def _restart(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    # -- coding
    def run(self, articles: Iterable[Article], batch_size: int = 64) -> Iterator[Outcome]:
        """Outcomes of ``articles`` in input order (see ``Extractor.run``)."""
        if self.workers <= 1:
            if self._local is None:
                self._local = self.factory()
            yield from self._local.run(articles, batch_size=batch_size)
            return
        batch_size = min(batch_size, self.block)
        source = iter(articles)
        pending: deque[tuple[list[Article], Future]] = deque()

        def submit(block: list[Article]) -> None:
            pending.append((block, self._pool().submit(_code_block, block, batch_size)))

        def fill() -> None:
            while len(pending) < 2 * self.workers:
                block = list(islice(source, self.block))
                if not block:
                    return
                submit(block)

        fill()
        while pending:
            block, future = pending.popleft()
            try:
                results, (pid, cpu, rss) = future.result()
                self._stats[pid] = (cpu, rss)
            except BrokenProcessPool:
                waiting = [block] + [b for b, _ in pending]
                pending.clear()
                self._restart()
                yield from self._one_by_one(block, batch_size)
                for other in waiting[1:]:
                    submit(other)
                fill()
                continue
            for article, (events, error, skipped) in zip(block, results):
                yield Outcome(article, events, error, skipped)
            fill()

    def _one_by_one(self, block: list[Article], batch_size: int) -> Iterator[Outcome]:
        """Code a block whose worker died, one article a task, so that the culprit is named."""
        for article in block:
            try:
                events, error, skipped = self._pool().submit(_code_block, [article], batch_size).result()[0][0]
            except BrokenProcessPool:
                self._restart()
                yield Outcome(article, [], "the worker process died while coding it (killed or out of memory)")
                continue
            yield Outcome(article, events, error, skipped)
