"""Throughput of one process (Extractor.run) against `batch` on a local Ray with N workers, on the
same corpus in one run; CPU and peak RSS per worker; projection for 10 million articles.

    .venv/bin/python benchmarks/scale.py [--docs 1500] [--workers 2] [--batch-size 64] [--repeat 1] [--ray-niceness]

Two figures per side, both printed:
- steady state: model loaded and warmed up (ray_runner.warm_up, which every Ray worker also runs
  at start), articles coded per wall second. Single process: the whole corpus through
  Extractor.run. Ray: the window in which every worker is loaded and coding, from the last
  worker's first block start to the first worker's last block end, counting the articles coded
  in it (a block that straddles an edge counts pro rata). This is the rate that decides the hours
  for 10 million articles; the headline ratio uses it.
- end to end: single process = imports and model load + warm-up + corpus; Ray = ray.init + `run_batch`
  (reading, actor start-up with model load and warm-up, coding, Parquet writes).

The headline RATIO is steady Ray / steady single. On a busy machine wall-clock ratios swing with
the other load, so the steady window is also costed in CPU seconds of every Ray process (driver,
raylet, GCS and Ray Data's helper actors included) and compared with the single process's CPU per
article: the "CPU-based estimate" is the ratio two idle cores would give. --repeat N runs N rounds.

Fairness: every process, the Ray workers included, runs with OMP/MKL/OpenBLAS limited to one
thread; the single process runs in a fresh interpreter each round (no model or caches left over);
the Ray workers run at this process's niceness unless --ray-niceness (Ray's default is 15, which on
a busy machine hands their CPU to everything else).
Corpus: the texts of ../shared/data/dev/*.jsonl when present (read at run time, never copied),
otherwise reports generated from templates below. Prints figures; asserts nothing.
"""
from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_name] = "1"  # before numpy loads: the same single-threaded maths on both sides

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev"
TOTAL = 10_000_000

TEMPLATES = [
    "{actor} shelled the town of {place} on {day}, killing {n} civilians, local sources said.",
    "Clashes between {actor} and {other} near {place} on {day} left {n} fighters dead, a monitor reported.",
    "An airstrike hit a market in {place} on {day}. Rescue workers said {n} people died and many were wounded.",
    "{other} attacked a checkpoint held by {actor} outside {place} on {day}; {n} guards were killed.",
    "Hundreds of residents protested in {place} on {day} against the lack of fuel. No injuries were reported.",
    "A roadside bomb struck a military vehicle near {place} on {day}, killing {n} soldiers, state media said.",
]
ACTORS = ["Government forces", "The Syrian army", "Rebel fighters", "Islamic State militants", "Turkish-backed factions"]
PLACES = ["Idlib", "Daraa", "Homs", "Aleppo", "Deir ez-Zor", "Raqqa", "Hama", "Qamishli", "Ariha", "Manbij"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def corpus(size: int) -> list[dict]:
    rows: list[dict] = []
    if SHARED.is_dir():
        for path in sorted(SHARED.glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                obj = json.loads(line)
                if obj.get("id") and obj.get("text"):
                    rows.append({"id": f"{path.stem}:{obj['id']}", "text": obj["text"], "published": obj.get("published")})
        random.Random(7).shuffle(rows)
    rng = random.Random(11)
    while len(rows) < size:
        sentences = [
            rng.choice(TEMPLATES).format(actor=rng.choice(ACTORS), other=rng.choice(ACTORS), place=rng.choice(PLACES),
                                         day=rng.choice(DAYS), n=rng.randint(2, 30))
            for _ in range(rng.randint(2, 5))
        ]
        rows.append({"id": f"gen{len(rows)}", "text": " ".join(sentences), "published": "2023-06-10"})
    return rows[:size]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class MeasuredExtractor:
    """The real Extractor in a Ray worker, writing its figures to FOLDER/PID.json after every block:
    CPU before the constructor (Python + Ray start-up), model load, warm-up, and per block the wall
    start/end (time.time(), one clock for all processes of this machine), articles and thread CPU."""

    def __init__(self, folder: str, niceness: int | None = None) -> None:
        self.niceness = niceness
        self._renice()
        self.figures = {"pid": os.getpid(), "nice": os.getpriority(os.PRIO_PROCESS, 0),
                        "cpu_before_init": cpu_seconds(), "blocks": []}
        self.folder = folder
        start, cpu = time.time(), cpu_seconds()
        from eventcoder.pipeline import Extractor

        self.inner = Extractor()
        self.figures.update(init_at=start, load_cpu=cpu_seconds() - cpu, load_wall=time.time() - start)

    def _renice(self) -> None:
        """Niceness is per thread on Linux, and Ray Data calls run() from a thread of its own."""
        if self.niceness is None:
            return
        for task in os.listdir("/proc/self/task"):
            try:
                os.setpriority(os.PRIO_PROCESS, int(task), self.niceness)
            except OSError:  # lowering niceness needs privileges: keep Ray's (shown as "nice" below)
                pass

    def run(self, articles, batch_size=64):
        from eventcoder.scale.ray_runner import WARM_UP_ID

        self._renice()
        self.figures["nice"] = os.getpriority(os.PRIO_PROCESS, 0)  # this (the coding) thread's
        articles = list(articles)
        start, cpu = time.time(), time.thread_time()
        outcomes = list(self.inner.run(articles, batch_size))
        end, used = time.time(), time.thread_time() - cpu
        if [a.id for a in articles] == [WARM_UP_ID]:
            self.figures.update(warm_cpu=used, ready_at=end)
        else:
            self.figures["blocks"].append((start, end, len(articles), used))
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.figures.update(rss_mb=usage.ru_maxrss / 1024, cpu_s=usage.ru_utime + usage.ru_stime)
        Path(self.folder, f"{os.getpid()}.json").write_text(json.dumps(self.figures))
        yield from outcomes


def process_table() -> dict[int, tuple[int, str, float]]:
    """pid -> (parent pid, command name, CPU seconds user + system) of every live process."""
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[int, tuple[int, str, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            text = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        name, rest = text[text.index("(") + 1:text.rindex(")")], text[text.rindex(")") + 2:].split()
        out[int(entry)] = (int(rest[1]), name, (int(rest[11]) + int(rest[12])) / tick)
    return out


def family(table: dict[int, tuple[int, str, float]], root: int) -> dict[int, tuple[str, float]]:
    """ROOT and every process under it (a local Ray's GCS, raylet, workers...): pid -> (name, CPU-s)."""
    out = {}
    for pid, (_, name, cpu) in table.items():
        up = pid
        while up and up != root and up in table:
            up = table[up][0]
        if up == root:
            out[pid] = (name, cpu)
    return out


class Sampler:
    """Samples the CPU seconds of this process and all its descendants every ``every`` seconds (a
    background thread; a few ms of CPU per sample), so the steady-state window can be costed."""

    def __init__(self, every: float = 1.0) -> None:
        import threading

        self.samples: list[tuple[float, dict[int, tuple[str, float]]]] = []
        self.every, self.stop = every, threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> "Sampler":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()

    def _loop(self) -> None:
        while True:
            self.samples.append((time.time(), family(process_table(), os.getpid())))
            if self.stop.wait(self.every):
                self.samples.append((time.time(), family(process_table(), os.getpid())))
                return

    def between(self, start: float, end: float) -> tuple[float, dict[str, float]]:
        """CPU-s used by each process name from the last sample at or before START to the first at
        or after END (so a little more than the window), and that span's length."""
        if not self.samples:
            return 0.0, {}
        before = max((s for s in self.samples if s[0] <= start), default=self.samples[0], key=lambda s: s[0])
        after = min((s for s in self.samples if s[0] >= end), default=self.samples[-1], key=lambda s: s[0])
        used: dict[str, float] = {}
        for pid, (name, cpu) in after[1].items():
            key = "driver" if pid == os.getpid() else name
            used[key] = used.get(key, 0.0) + cpu - before[1].get(pid, (name, 0.0))[1]
        return after[0] - before[0], used


def window(workers: list[dict]) -> tuple[float, float, float]:
    """(start, end, articles) of the span in which every worker had its model loaded and was coding."""
    lives = [w["blocks"] for w in workers if w["blocks"]]
    if not lives:
        return 0.0, 0.0, 0.0
    start = max(min(b[0] for b in blocks) for blocks in lives)
    end = min(max(b[1] for b in blocks) for blocks in lives)
    if end <= start:  # too few blocks to overlap: take the whole coding span
        start, end = min(b[0] for bs in lives for b in bs), max(b[1] for bs in lives for b in bs)
    docs = 0.0
    for blocks in lives:
        for b_start, b_end, n, _ in blocks:
            overlap = min(end, b_end) - max(start, b_start)
            if overlap > 0:
                docs += n * overlap / max(b_end - b_start, 1e-9)
    return start, end, docs


def single_process(src: Path, batch_size: int) -> dict:
    """`extract`'s work in this process: imports and model load, warm-up, then the corpus."""
    start, cpu = time.perf_counter(), cpu_seconds()
    from eventcoder.ingest.readers import read_articles
    from eventcoder.pipeline import Extractor
    from eventcoder.scale.ray_runner import warm_up

    extractor = Extractor()
    load, load_cpu = time.perf_counter() - start, cpu_seconds() - cpu
    articles = [a for a in read_articles([src]) if not hasattr(a, "message")]
    start, cpu = time.perf_counter(), cpu_seconds()
    warm_up(extractor)
    warm, warm_cpu = time.perf_counter() - start, cpu_seconds() - cpu
    start, cpu = time.perf_counter(), cpu_seconds()
    per_article = {o.article.id: len(o.events) for o in extractor.run(articles, batch_size)}
    wall, used = time.perf_counter() - start, cpu_seconds() - cpu
    return {"load": load, "load_cpu": load_cpu, "warm": warm, "warm_cpu": warm_cpu, "wall": wall, "cpu": used,
            "docs": len(articles), "events": sum(per_article.values()), "per_article": per_article,
            "rate": len(articles) / wall, "end_to_end": len(articles) / (load + warm + wall),
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def single_in_child(src: Path, batch_size: int) -> dict:
    """single_process in a fresh interpreter, so every round starts cold (no model, caches or
    vocabulary left from an earlier round) like a worker does."""
    import subprocess

    proc = subprocess.run([sys.executable, __file__, "--single", str(src), "--batch-size", str(batch_size)],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def ray_run(src: Path, work: Path, workers: int, batch_size: int, round_no: int, niceness: int | None) -> dict:
    import ray

    from eventcoder.scale.ray_runner import connect, run_batch

    figures_dir = work / f"workers{round_no}"
    figures_dir.mkdir()
    folder = str(figures_dir)
    start = time.perf_counter()
    connect(None, num_cpus=workers + 1)
    ready = time.perf_counter()
    stages: list[str] = []
    driver_cpu = cpu_seconds()
    with Sampler() as sampler:
        summary = run_batch([src], str(work / f"out{round_no}"), workers=workers, batch_size=batch_size,
                            make_extractor=lambda: MeasuredExtractor(folder, niceness), progress_log=stages.append)
    end = time.perf_counter()
    driver_cpu = cpu_seconds() - driver_cpu
    ray.shutdown()
    seen = [json.loads(p.read_text()) for p in sorted(figures_dir.glob("*.json"))]
    w_start, w_end, w_docs = window(seen)
    span, steady_cpu = sampler.between(w_start, w_end)
    return {"summary": summary, "init": ready - start, "run": end - ready, "stages": stages, "workers": seen,
            "driver_cpu": driver_cpu, "steady_cpu": steady_cpu, "steady_span": span, "window": (w_start, w_end, w_docs),
            "rate": w_docs / (w_end - w_start) if w_end > w_start else 0.0,
            "end_to_end": summary.articles / (end - start), "run_rate": summary.articles / (end - ready)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=1, help="Rounds of (single, ray) in one run; ratios per round.")
    parser.add_argument("--ray-niceness", action="store_true",
                        help="Leave the Ray workers at Ray's niceness (15) instead of this process's, as the "
                             "single process runs: fairer on a busy machine, no difference on an idle one.")
    parser.add_argument("--single", type=Path, help=argparse.SUPPRESS)  # internal: one single-process run, as JSON
    args = parser.parse_args()
    if args.single:
        print(json.dumps(single_process(args.single, args.batch_size)))
        return

    from eventcoder.ingest.readers import read_articles

    rows = corpus(args.docs)
    words = sum(len(r["text"].split()) for r in rows)
    work = Path(tempfile.mkdtemp(prefix="eventcoder-scale-"))
    src = work / "corpus.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    articles = [a for a in read_articles([src]) if not hasattr(a, "message")]
    load_before = os.getloadavg()[0]
    print(f"corpus: {len(articles)} docs, {words} words ({'shared dev texts' if SHARED.is_dir() else 'templates'}); "
          f"cpus: {os.cpu_count()}; load average {load_before:.1f} before the run")

    ratios: list[float] = []
    rates: list[float] = []
    cpu_per_doc: list[float] = []  # CPU-s of every Ray process per article in the steady window
    estimates: list[float] = []  # steady ratio estimated from CPU-s per article on both sides
    for round_no in range(1, args.repeat + 1):
        if args.repeat > 1:
            print(f"-- round {round_no} (load average {os.getloadavg()[0]:.1f})")
        one = single_in_child(src, args.batch_size)
        print(f"single process: steady {one['rate']:.1f} docs/s ({one['wall']:.1f}s wall, {one['cpu']:.1f} CPU-s = "
              f"{len(articles) / one['cpu']:.1f} docs/CPU-s; {one['events']} events); end to end {one['end_to_end']:.1f} docs/s "
              f"(+ imports and model load {one['load']:.1f}s, warm-up {one['warm']:.1f}s); peak RSS {one['rss_mb']:.0f} MB")

        niceness = None if args.ray_niceness else os.getpriority(os.PRIO_PROCESS, 0)
        ray_ = ray_run(src, work, args.workers, args.batch_size, round_no, niceness)
        summary, seen = ray_["summary"], ray_["workers"]
        w_start, w_end, w_docs = ray_["window"]
        print(f"ray, {args.workers} workers: steady {ray_['rate']:.1f} docs/s ({w_docs:.0f} docs in the {w_end - w_start:.1f}s "
              f"when all workers were coding); end to end {ray_['end_to_end']:.1f} docs/s ({ray_['init']:.1f}s ray.init + "
              f"{ray_['run']:.1f}s run_batch = {ray_['run_rate']:.1f} docs/s without ray.init; {summary.events} events; "
              f"{'; '.join(ray_['stages'])})")
        ratio = ray_["rate"] / one["rate"]
        ratios.append(ratio)
        rates.append(ray_["rate"])
        print(f"RATIO ray/single, steady state: {ratio:.2f}   (end to end: {ray_['end_to_end'] / one['end_to_end']:.2f}; "
              f"without ray.init: {ray_['run_rate'] / one['end_to_end']:.2f})")
        if one["events"] != summary.events:
            import pyarrow.dataset as pads

            got = pads.dataset(str(work / f"out{round_no}" / "articles"), format="parquet").to_table(columns=["id", "n_events"])
            differ = [(i, one["per_article"].get(i), n) for i, n in zip(got.column("id").to_pylist(), got.column("n_events").to_pylist())
                      if one["per_article"].get(i) != n]
            print(f"NOTE: event counts differ (single {one['events']}, ray {summary.events}) on {len(differ)} articles, e.g. "
                  + ", ".join(f"{i}: {a} vs {b}" for i, a, b in differ[:3])
                  + ". Ray workers import src/ afresh: was the code edited during the run? Else see tests/test_scale_batch.py")

        t0 = min((w["init_at"] for w in seen), default=0.0)
        for w in seen:
            blocks = w["blocks"]
            docs = sum(b[2] for b in blocks)
            block_cpu = sum(b[3] for b in blocks)
            busy = sum(b[1] - b[0] for b in blocks)
            span = (max(b[1] for b in blocks) - min(b[0] for b in blocks)) if blocks else 0.0
            print(f"  worker {w['pid']} (nice {w['nice']}): {docs} docs in {len(blocks)} blocks; "
                  f"{docs / block_cpu if block_cpu else 0:.1f} docs/CPU-s in blocks ({block_cpu:.1f} CPU-s, busy {busy:.1f}s "
                  f"of {span:.1f}s span); process CPU {w.get('cpu_s', 0):.1f}s = {w['cpu_before_init']:.1f} start-up + "
                  f"{w['load_cpu']:.1f} model load + {w.get('warm_cpu', 0):.1f} warm-up + rest; "
                  f"ready {w.get('ready_at', t0) - t0:+.1f}s after the first worker's constructor; peak RSS {w.get('rss_mb', 0):.0f} MB")
        workers_cpu = sum(w.get("cpu_s", 0.0) for w in seen)
        print(f"  CPU-s over the whole run: workers {workers_cpu:.1f}, driver {ray_['driver_cpu']:.1f}")
        # the steady window, costed in CPU: what every Ray process (driver included) spent per article
        span, used = ray_["steady_span"], ray_["steady_cpu"]
        if span and w_docs:
            coders = sum(v for k, v in used.items() if k.startswith("ray::MapWorker"))
            rest = sorted(((k, v) for k, v in used.items() if not k.startswith("ray::MapWorker") and v > 0.005),
                          key=lambda kv: -kv[1])
            total_cpu = coders + sum(v for _, v in rest)
            docs = w_docs * span / (w_end - w_start)  # the sampled span is a little longer than the window
            single_cpu_doc = one["cpu"] / len(articles)
            cores = min(os.cpu_count() or 1, args.workers)
            print(f"  steady window, CPU of every Ray process ({span:.1f}s sampled): workers {coders:.1f}, others "
                  f"{total_cpu - coders:.1f} ({', '.join(f'{k} {v:.2f}' for k, v in rest[:6])}) = "
                  f"{1000 * total_cpu / docs:.0f} ms CPU per doc, single process {1000 * single_cpu_doc:.0f} ms")
            print(f"  CPU-based estimate of the steady ratio with {cores} idle cores: {cores * single_cpu_doc * docs / total_cpu:.2f} "
                  f"(what the wall-clock ratio would be if nothing else ran on this machine)")
            cpu_per_doc.append(total_cpu / docs)
            estimates.append(cores * single_cpu_doc * docs / total_cpu)

    if args.repeat > 1:
        print(f"steady-state ratios: {', '.join(f'{r:.2f}' for r in ratios)} (median {statistics.median(ratios):.2f})"
              + (f"; CPU-based estimates: {', '.join(f'{r:.2f}' for r in estimates)} (median {statistics.median(estimates):.2f})"
                 if estimates else ""))
        if load_before > 1.0 or max(ratios) > args.workers:
            print("  the machine was busy: wall-clock ratios swing with the other load (above the number of workers means "
                  "the single process was the one disturbed); the CPU-based estimates are steadier")

    # projection from the steady state (the median round when there are several)
    per_worker = statistics.median(rates) / args.workers
    if not per_worker:
        return
    mean_words = words / len(rows)
    worker_hours = TOTAL / per_worker / 3600
    peak = max((w.get("rss_mb", 0.0) for w in seen), default=one["rss_mb"])
    start_up = max((w.get("ready_at", w["init_at"]) - w["init_at"] for w in seen), default=0.0)
    print(f"projection for {TOTAL:,} articles like these ({mean_words:.0f} words on average) at the steady "
          f"{per_worker:.1f} docs/s per worker ({per_worker * mean_words:,.0f} words/s, {per_worker * 3600:,.0f} docs per "
          f"worker-hour): {worker_hours:,.0f} worker-hours (model load + warm-up {start_up:.0f}s per worker, negligible)")
    for hours in (24, 8, 1):
        need = math.ceil(worker_hours / hours)
        print(f"  in {hours:>2} h: {need} workers (1 CPU + ~{peak / 1024:.1f} GB RAM each, ~{need * peak / 1024:.0f} GB in all)")
    for workers in (16, 64, 256):
        print(f"  with {workers} workers: {worker_hours / workers:,.1f} h")
    if cpu_per_doc:
        cpu_hours = TOTAL * statistics.median(cpu_per_doc) / 3600
        print(f"  from CPU instead of wall time ({1000 * statistics.median(cpu_per_doc):.0f} ms of CPU per article in all Ray "
              f"processes, steady state; holds when each worker has a core of its own, whatever else runs here): "
              f"{cpu_hours:,.0f} CPU-hours, {math.ceil(cpu_hours / 24)} workers for 24 h, {cpu_hours / 64:,.1f} h on 64 workers")
    long_hours = worker_hours * 500 / mean_words
    print(f"  for 500-word articles (a typical news report), scaling by words: ~{long_hours:,.0f} worker-hours, "
          f"{math.ceil(long_hours / 24)} workers for 24 h, {long_hours / 64:,.1f} h on 64 workers")
    print(f"(output kept in {work})", file=sys.stderr)


if __name__ == "__main__":
    main()
