"""The API under load: concurrent readers with filters on loopback while an ingest writes to the store.

    python benchmarks/serve_load.py [--readers 8] [--duration 30] [--max-requests 20000] [--articles 300]

Builds a SQLite store (stub extractor, generated reports), starts ``eventcoder serve`` on a free
127.0.0.1 port, and runs ``--readers`` threads that request lists, searches, daily counts, GeoJSON,
CSV exports, table pages and incident pages with random filters, while ``eventcoder ingest`` adds
more reports to the same file, until ``--duration`` seconds or ``--max-requests`` requests.
Prints requests/s, p50/p99 latency, errors (5xx, other 4xx, connection failures), incident pages
that had gone (404 after a re-merge changed their id; not errors), and how often "database is
locked" appeared. Asserts nothing about time. Listens on loopback only.
"""
from __future__ import annotations

import argparse
import collections
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from soak import INGEST, STUB, TOWNS, corpus  # noqa: E402

COUNTRIES = ["Syria", "Iraq", "syria", "Lebanon", ""]
TYPES = ["Explosions/Remote violence", "Battles", ""]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(rng: random.Random, ids: list[str]) -> tuple[str, str]:
    """(kind, path+query) of one random reader request."""
    params = {}
    if rng.random() < 0.5:
        params["country"] = rng.choice(COUNTRIES)
    if rng.random() < 0.3:
        params["start"] = f"2023-03-{rng.randint(1, 20):02d}"
    if rng.random() < 0.2:
        params["event_type"] = rng.choice(TYPES)
    if rng.random() < 0.15:
        params["q"] = rng.choice(TOWNS + ("market strike", "witnesses"))
    if rng.random() < 0.1:
        params["bbox"] = "35,32,45,38"
    kind = rng.choices(["list", "daily", "geojson", "csv", "table", "event", "page"], [30, 15, 15, 5, 10, 20, 5])[0]
    if kind == "list":
        params.update(limit=rng.choice([10, 50, 200]), sort=rng.choice(["date", "fatalities", "reports"]))
        path = "/api/events"
    elif kind == "daily":
        path = "/api/stats/daily"
    elif kind == "geojson":
        path = "/api/events.geojson"
    elif kind == "csv":
        path = "/api/export.csv"
    elif kind == "table":
        path = "/table"
    elif kind == "page":
        path = "/"
    else:
        path = "/api/events/" + urllib.parse.quote(rng.choice(ids) if ids else "none", safe="")
        params = {}
    return kind, path + ("?" + urllib.parse.urlencode(params) if params else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="eventcoder-load-"))
    db = work / "store.db"
    first, more = work / "first.jsonl", work / "more.jsonl"
    corpus(first, args.articles, seed=1)
    rows = [json.loads(line) for line in corpus(more, args.articles * 3, seed=2) and more.read_text().splitlines()]
    vocab = ("convoy checkpoint shelling drone hospital bakery bridge village council rebels army police "
             "mortar rocket ambush clashes displaced families school mosque road airport").split()
    rng = random.Random(args.seed)
    more.write_text("".join(json.dumps({**r, "id": "m" + r["id"], "url": r["url"] + "/m",
                                        "text": r["text"] + " " + " ".join(rng.choices(vocab, k=25)) + "."}) + "\n"
                            for r in rows))
    code = INGEST.format(stub=str(STUB), delay=0.0)
    subprocess.run([sys.executable, "-c", code, "ingest", str(first), "--db", str(db), "--no-progress"], check=True,
                   capture_output=True)

    port = _free_port()
    serve_log = open(work / "serve.log", "w+")
    server = subprocess.Popen([sys.executable, "-c", "import sys; from eventcoder.cli import main; "
                               "sys.argv = ['eventcoder'] + sys.argv[1:]; main()", "serve", "--db", str(db),
                               "--host", "127.0.0.1", "--port", str(port), "--read-only"],
                              stdout=serve_log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/api/events?limit=1", timeout=2).read()
            break
        except OSError:
            time.sleep(0.1)
    ids = [e["event_id"] for e in json.loads(urllib.request.urlopen(base + "/api/events?limit=500").read())["events"]]

    ingest_log = open(work / "ingest.log", "w+")
    writer = subprocess.Popen([sys.executable, "-c", INGEST.format(stub=str(STUB), delay=0.01), "ingest", str(more),
                               "--db", str(db), "--batch-size", "16", "--no-progress"],
                              stdout=ingest_log, stderr=subprocess.STDOUT)

    latencies: dict[str, list[float]] = collections.defaultdict(list)
    outcomes = collections.Counter()
    failures: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + args.duration
    started = time.perf_counter()

    def reader(n: int) -> None:
        rng = random.Random(args.seed * 100 + n)
        while time.perf_counter() < deadline:
            with lock:
                if sum(outcomes.values()) >= args.max_requests:
                    return
            kind, path = _request(rng, ids)
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(base + path, timeout=60) as answer:
                    answer.read()
                    status = answer.status
            except urllib.error.HTTPError as exc:
                status = exc.code
                body = exc.read().decode("utf-8", "replace")[:200]
            except OSError as exc:
                status, body = 0, str(exc)
            elapsed = time.perf_counter() - t0
            with lock:
                latencies[kind].append(elapsed)
                if 200 <= status < 300:
                    outcomes["ok"] += 1
                elif status == 404 and kind == "event":
                    outcomes["gone"] += 1
                else:
                    outcomes["error"] += 1
                    if len(failures) < 10:
                        failures.append(f"{status} {path}: {body}")

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(args.readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    writer_running = writer.poll() is None
    if writer_running:
        writer.terminate()
    writer.wait()
    server.terminate()
    server.wait(timeout=30)
    serve_log.seek(0)
    ingest_log.seek(0)
    logs = serve_log.read() + ingest_log.read()
    locked = logs.count("database is locked")

    every = sorted(x for values in latencies.values() for x in values)
    total = len(every)

    def pct(values: list[float], p: float) -> float:
        return values[min(len(values) - 1, int(p * len(values)))] * 1000 if values else float("nan")

    print(f"readers: {args.readers} threads on 127.0.0.1 for {seconds:.1f} s while ingest wrote "
          f"({'still writing at the end' if writer_running else 'ingest finished, exit ' + str(writer.returncode)})")
    print(f"requests: {total} ({total / seconds:.1f} req/s); p50 {pct(every, 0.5):.1f} ms, p99 {pct(every, 0.99):.1f} ms")
    print(f"errors: {outcomes['error']}; 'database is locked': {locked}; incident pages gone after a re-merge: {outcomes['gone']}")
    for kind in sorted(latencies):
        values = sorted(latencies[kind])
        print(f"  {kind:8s} {len(values):6d} requests  p50 {pct(values, 0.5):7.1f} ms  p99 {pct(values, 0.99):7.1f} ms"
              f"  mean {statistics.mean(values) * 1000:7.1f} ms")
    with __import__("sqlite3").connect(db) as conn:
        print(f"store at the end: {conn.execute('SELECT COUNT(*) FROM articles').fetchone()[0]} articles, "
              f"{conn.execute('SELECT COUNT(*) FROM merged_events').fetchone()[0]} incidents")
    for line in failures:
        print("  " + line)


if __name__ == "__main__":
    main()
