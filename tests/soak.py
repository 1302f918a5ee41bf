"""SIGKILL soak runs for ``eventcoder ingest`` and ``eventcoder batch`` (shared by the tests and
``benchmarks/crash_soak.py``).

``soak_ingest``: a store holds a first part of the corpus and analysts' corrections; then ingests of
the whole corpus are killed with SIGKILL at random moments, ``kills`` times, and a last run
finishes. The store must then equal (table for table) one clean run on the same corpus, and every
correction must still apply. ``soak_batch`` kills ``eventcoder batch`` (with its Ray processes)
``kills`` times; after each kill the output is either refused as unfinished or complete, the final
rerun holds every article exactly once, and loading it into a store with corrections keeps them.
"""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STUB = ROOT / "tests" / "fixtures" / "multisource"
DATA_TABLES = ("articles", "article_copies", "article_urls", "sources", "events", "claims", "evidence",
               "merged_events", "merged_links")
TOWNS = ("Idlib", "Ariha", "Saraqib", "Raqqa", "Manbij", "Deraa", "Homs", "Qamishli", "Mosul", "Kirkuk")


@dataclass
class SoakResult:
    kills: int = 0
    finished_early: int = 0
    articles: int = 0
    lost: int = 0
    doubled: int = 0
    corrections: int = 0
    corrections_lost: int = 0
    tables_equal: bool = True
    incomplete_refused: int = 0
    complete_after_kill: int = 0
    notes: list[str] = field(default_factory=list)

    def line(self, what: str) -> str:
        return (f"{what}: {self.kills} SIGKILLs ({self.finished_early} runs finished before their kill), "
                f"{self.articles} articles, lost {self.lost}, doubled {self.doubled}, corrections {self.corrections}, "
                f"corrections lost {self.corrections_lost}, store equals a clean run: {self.tables_equal}")


def corpus(path: Path, n: int, seed: int = 7) -> list[str]:
    """``n`` short reports (several per incident, some exact and near duplicates); their ids."""
    rng = random.Random(seed)
    ids = []
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(n):
            town = TOWNS[i % len(TOWNS)]
            day = 1 + (i // len(TOWNS)) % 27
            dead = 2 + (i * 7) % 11
            text = (f"Report {i}: {dead} people were killed in {town} on 2023-03-{day:02d} when an air strike hit "
                    f"a market, witnesses said. Reference {rng.randrange(10**9)}.")
            if i % 17 == 5 and ids:  # an exact copy of an earlier report under another URL
                text = f"COPY {i - 1}"
            row = {"id": f"r{i}", "text": text, "published": f"2023-03-{day:02d}", "source": f"Outlet {i % 5}",
                   "url": f"https://outlet{i % 5}.example/{i}"}
            handle.write(json.dumps(row) + "\n")
            ids.append(row["id"])
    # resolve the copies to the text they copy
    rows = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        if row["text"].startswith("COPY "):
            row["text"] = rows[int(row["text"][5:])]["text"]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return ids


INGEST = ("import sys; sys.path.insert(0, {stub!r}); import typer; from stub_extractor import StubExtractor;"
          "from eventcoder.store.commands import register; app = typer.Typer();"
          "register(app, extractor_factory=lambda: StubExtractor(delay={delay}));"
          "app.callback()(lambda: None); app()")


def _ingest(db: Path, inputs: list[Path], delay: float, batch_size: int = 8) -> subprocess.Popen:
    code = INGEST.format(stub=str(STUB), delay=delay)
    return subprocess.Popen([sys.executable, "-c", code, "ingest", *map(str, inputs), "--db", str(db),
                             "--batch-size", str(batch_size), "--no-progress"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def dump(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in DATA_TABLES}
    finally:
        conn.close()


def _descendants(pid: int) -> list[int]:
    """Every process started (transitively) by ``pid``, from /proc (Ray starts its own daemons)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def kill_tree(proc: subprocess.Popen) -> None:
    """SIGKILL ``proc`` and everything it started (by pid, leaves first, then its process group)."""
    for pid in reversed(_descendants(proc.pid)):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _review(db_path: Path) -> list[tuple[str, object]]:
    """Correct some incidents and reject one; return (event key, expected value) per correction."""
    sys.path.insert(0, str(ROOT / "src"))
    from eventcoder.store.database import connect
    from eventcoder.store.review import add_correction, reject

    expected = []
    with connect(str(db_path)) as db:
        incidents = [r[0] for r in db.query("SELECT merged_id FROM merged_events ORDER BY merged_id")]
        for n, mid in enumerate(incidents[:6]):
            key = db.scalar("SELECT MIN(event_key) FROM merged_links WHERE merged_id = ?", (mid,))
            if n == 5:
                reject(db, mid, "Ben", "soak")
                expected.append((key, "rejected"))
            else:
                add_correction(db, mid, "notes", f"checked by hand {n}", "Ana", "soak")
                expected.append((key, f"checked by hand {n}"))
    return expected


def _check_review(db_path: Path, expected: list[tuple[str, object]]) -> tuple[int, int]:
    from eventcoder.store.database import connect
    from eventcoder.store.review import reviewed_record

    lost = 0
    with connect(str(db_path)) as db:
        count = db.scalar("SELECT COUNT(*) FROM corrections")
        for key, value in expected:
            mid = db.scalar("SELECT merged_id FROM merged_links WHERE event_key = ?", (key,))
            record = reviewed_record(db, mid) if mid else None
            if record is None or (record["status"] != value if value == "rejected" else record.get("notes") != value):
                lost += 1
    return count, lost


def _count_articles(db_path: Path, src: Path) -> tuple[int, int]:
    """(lost, doubled): input reports whose URL the store lacks; articles stored twice or whose
    events are not exactly their coded number."""
    urls = {json.loads(line)["url"] for line in src.read_text(encoding="utf-8").splitlines()}
    conn = sqlite3.connect(db_path)
    try:
        stored = [r[0] for r in conn.execute("SELECT article_id FROM articles")]
        hashes = [r[0] for r in conn.execute("SELECT content_hash FROM articles")]
        have = {r[0] for r in conn.execute("SELECT url FROM article_urls")}
        events = dict(conn.execute("SELECT article_id, COUNT(*) FROM events GROUP BY article_id").fetchall())
        wanted = dict(conn.execute("SELECT article_id, n_events FROM articles").fetchall())
    finally:
        conn.close()
    lost = len(urls - have)
    doubled = (len(stored) - len(set(stored))) + (len(hashes) - len(set(hashes)))
    doubled += sum(1 for a, n in wanted.items() if events.get(a, 0) != n)
    return lost, doubled


def soak_ingest(workdir: Path, kills: int, n_articles: int = 240, delay: float = 0.004, seed: int = 1,
                log=lambda message: None) -> SoakResult:
    rng = random.Random(seed)
    workdir.mkdir(parents=True, exist_ok=True)
    src = workdir / "corpus.jsonl"
    ids = corpus(src, n_articles)
    first = workdir / "first.jsonl"
    first.write_text("".join(src.read_text(encoding="utf-8").splitlines(keepends=True)[: n_articles // 3]),
                     encoding="utf-8")
    clean, killed = workdir / "clean.db", workdir / "killed.db"
    for path in (clean, killed):
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    for db in (clean, killed):
        assert _ingest(db, [first], 0.0).wait() == 0
    expected = _review(killed)
    started = time.perf_counter()
    assert _ingest(clean, [src], delay).wait() == 0
    run_time = time.perf_counter() - started
    result = SoakResult(articles=len(ids))
    while result.kills < kills:
        proc = _ingest(killed, [src], delay)
        time.sleep(rng.uniform(0.05, run_time * 0.9))
        if proc.poll() is not None:
            result.finished_early += 1
            continue
        kill_tree(proc)
        result.kills += 1
        log(f"  ingest kill {result.kills}/{kills}")
    final = _ingest(killed, [src], 0.0)
    assert final.wait() == 0, final.stderr.read().decode()
    result.tables_equal = dump(killed) == dump(clean)
    result.lost, result.doubled = _count_articles(killed, src)
    result.corrections, result.corrections_lost = _check_review(killed, expected)
    return result


def _batch(inputs: list[Path], output: Path, overwrite: bool) -> subprocess.Popen:
    args = ["batch", *map(str, inputs), "--output", str(output), "--workers", "1", "--batch-size", "16"]
    args += ["--overwrite"] if overwrite else []
    code = "import sys; from eventcoder.cli import main; sys.argv = ['eventcoder'] + sys.argv[1:]; main()"
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)


def _batch_ids(output: Path) -> list[str] | None:
    """The article ids of a finished batch output, or None when it is refused as unfinished or absent."""
    from eventcoder.store.from_batch import BatchOutput, BatchOutputError

    try:
        return [row["id"] for row in BatchOutput(output).rows]
    except BatchOutputError:
        return None


def soak_batch(workdir: Path, kills: int, n_articles: int = 120, seed: int = 2, log=lambda message: None) -> SoakResult:
    rng = random.Random(seed)
    workdir.mkdir(parents=True, exist_ok=True)
    src = workdir / "corpus.jsonl"
    ids = corpus(src, n_articles)
    out = workdir / "out"
    started = time.perf_counter()
    first = _batch([src], out, overwrite=True)
    assert first.wait() == 0, first.stderr.read().decode()[-2000:]
    run_time = time.perf_counter() - started
    result = SoakResult(articles=len(ids))
    while result.kills < kills:
        proc = _batch([src], out, overwrite=True)
        time.sleep(rng.uniform(0.5, run_time * 1.1))
        if proc.poll() is not None:
            result.finished_early += 1
            continue
        kill_tree(proc)
        result.kills += 1
        seen = _batch_ids(out)
        if seen is None:
            result.incomplete_refused += 1
        else:
            result.complete_after_kill += 1
            if sorted(seen) != sorted(ids):
                result.notes.append(f"kill {result.kills}: output accepted with {len(seen)} rows")
                result.lost += len(set(ids) - set(seen))
                result.doubled += len(seen) - len(set(seen))
        log(f"  batch kill {result.kills}/{kills} ({'unfinished, refused' if seen is None else 'complete'})")
    final = _batch([src], out, overwrite=True)
    assert final.wait() == 0, final.stderr.read().decode()[-2000:]
    seen = _batch_ids(out) or []
    result.lost += len(set(ids) - set(seen))
    result.doubled += len(seen) - len(set(seen))
    # the batch output into a store with analysts' corrections: they stay
    db = workdir / "batch.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    first_part = workdir / "first.jsonl"
    first_part.write_text("".join(src.read_text(encoding="utf-8").splitlines(keepends=True)[: n_articles // 3]),
                          encoding="utf-8")
    assert _ingest(db, [first_part], 0.0).wait() == 0
    expected = _review(db)
    code = INGEST.format(stub=str(STUB), delay=0.0)
    loaded = subprocess.run([sys.executable, "-c", code, "ingest", "--from-parquet", str(out), "--db", str(db),
                             "--no-progress"], capture_output=True, text=True)
    result.notes.append(f"from-parquet exit {loaded.returncode}")
    result.corrections, result.corrections_lost = _check_review(db, expected)
    return result
