"""Big inputs in bounded memory: a 10 MB article and a 100,000-line JSONL, coded with a progress bar.

    python benchmarks/big_inputs.py [--article-mb 10] [--lines 100000] [--what article,jsonl,ingest]

``article``: one generated article of ``--article-mb`` MB through ``eventcoder extract`` (it is coded
in pieces that keep sentences whole, ``eventcoder.chunking``). ``jsonl``: ``--lines`` short
generated articles through ``eventcoder extract`` (read a line at a time). ``ingest``: the same
JSONL through ``eventcoder ingest`` (stub extractor: the store's own memory). Each runs in a child
process whose resident memory is sampled twice a second; prints events, seconds, peak RSS and the
RSS at each quarter of the run (flat = bounded). Asserts nothing about time.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

TOWNS = ("Idlib", "Ariha", "Saraqib", "Raqqa", "Manbij", "Deraa", "Homs", "Qamishli", "Mosul", "Kirkuk")
SENTENCES = (
    "Government artillery shelled {town} on {day} March, killing {n} civilians, a local monitor said.",
    "Residents of {town} said the market had reopened after a week of calm.",
    "An armed group attacked a checkpoint near {town} on {day} March and {n} soldiers were wounded.",
    "Officials in {town} said water and power had been cut since the start of the month.",
    "A roadside bomb exploded on the road to {town} on {day} March, killing {n} people.",
)


def _paragraph(rng: random.Random) -> str:
    return " ".join(rng.choice(SENTENCES).format(town=rng.choice(TOWNS), day=rng.randint(1, 28), n=rng.randint(2, 30))
                    for _ in range(rng.randint(3, 7)))


def make_article(path: Path, megabytes: float) -> None:
    rng = random.Random(1)
    size = int(megabytes * 1024 * 1024)
    parts, total = ["Long report\n\n"], 0
    while total < size:
        paragraph = _paragraph(rng) + "\n\n"
        parts.append(paragraph)
        total += len(paragraph)
    path.write_text(json.dumps({"id": "long", "text": "".join(parts), "published": "2023-03-30"}) + "\n")


def make_jsonl(path: Path, lines: int) -> None:
    rng = random.Random(2)
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(lines):
            handle.write(json.dumps({"id": f"a{i}", "text": f"Dispatch {i}. " + _paragraph(rng),
                                     "published": "2023-03-30", "url": f"https://news.example/{i}"}) + "\n")


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def measure(args: list[str]) -> dict:
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from eventcoder.cli import main; "
                             "sys.argv = ['eventcoder'] + sys.argv[1:]; main()", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    samples = []
    while proc.poll() is None:
        samples.append(_rss(proc.pid))
        time.sleep(0.5)
    stderr = proc.stderr.read().decode("utf-8", "replace")
    seconds = time.perf_counter() - started
    quarters = [max(samples[int(len(samples) * q / 4): max(int(len(samples) * (q + 1) / 4), 1)] or [0])
                for q in range(4)] if samples else []
    return {"exit": proc.returncode, "seconds": seconds, "peak": max(samples or [0]), "quarters": quarters,
            "last": stderr.strip().splitlines()[-1:] }


def _mb(n: int) -> str:
    return f"{n / 1e6:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article-mb", type=float, default=10.0)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--what", default="article,jsonl,ingest")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="eventcoder-big-"))
    what = set(args.what.split(","))
    if "article" in what:
        path = work / "long.jsonl"
        make_article(path, args.article_mb)
        out = work / "long-events.jsonl"
        result = measure(["extract", str(path), "--format", "jsonl", "--output", str(out)])
        events = sum(1 for _ in open(out)) if out.exists() else 0
        print(f"article of {path.stat().st_size / 1e6:.1f} MB: exit {result['exit']}, {events} events, "
              f"{result['seconds']:.0f} s, peak RSS {_mb(result['peak'])}, per quarter "
              f"{', '.join(_mb(q) for q in result['quarters'])}; {' '.join(result['last'])}")
    if what & {"jsonl", "ingest"}:
        path = work / "many.jsonl"
        make_jsonl(path, args.lines)
    if "jsonl" in what:
        out = work / "many-events.jsonl"
        result = measure(["extract", str(path), "--format", "jsonl", "--output", str(out)])
        events = sum(1 for _ in open(out)) if out.exists() else 0
        print(f"JSONL of {args.lines} lines ({path.stat().st_size / 1e6:.0f} MB) through extract: exit {result['exit']}, "
              f"{events} events, {result['seconds']:.0f} s, peak RSS {_mb(result['peak'])}, per quarter "
              f"{', '.join(_mb(q) for q in result['quarters'])}")
    if "ingest" in what:
        from soak import INGEST, STUB

        db = work / "store.db"
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", INGEST.format(stub=str(STUB), delay=0.0), "ingest", str(path),
                                 "--db", str(db), "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        samples = []
        while proc.poll() is None:
            samples.append(_rss(proc.pid))
            time.sleep(0.5)
        quarters = [max(samples[int(len(samples) * q / 4): max(int(len(samples) * (q + 1) / 4), 1)] or [0])
                    for q in range(4)]
        print(f"JSONL of {args.lines} lines through ingest (stub extractor): exit {proc.returncode}, "
              f"{time.perf_counter() - started:.0f} s, peak RSS {_mb(max(samples or [0]))}, per quarter "
              f"{', '.join(_mb(q) for q in quarters)}; {proc.stderr.read().decode().strip().splitlines()[-1:]}")


if __name__ == "__main__":
    main()
