"""Missing optional parts and a busy port: one line with what to do, never a traceback."""
from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from eventcoder.store.database import connect

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _cli(args: list[str], block: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the CLI in a fresh interpreter in which importing ``block`` fails (as when it is not installed)."""
    code = ("import sys\n"
            + (f"sys.modules[{block!r}] = None\n" if block else "")
            + "from eventcoder.cli import main\nsys.argv = ['eventcoder'] + sys.argv[1:]\nmain()\n")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_batch_without_ray_says_how_to_install(tmp_path):
    result = _cli(["batch", str(EXAMPLES), "--output", str(tmp_path / "out")], block="ray")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "pip install 'eventcoder[scale]'" in result.stderr


def test_postgres_without_driver_says_how_to_install(tmp_path):
    result = _cli(["export", "--db", "postgresql://nobody@127.0.0.1:9/none"], block="psycopg")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "pip install 'psycopg[binary]'" in result.stderr


def test_serve_on_a_port_in_use_says_so_first(tmp_path):
    db = tmp_path / "s.db"
    connect(str(db)).close()
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    try:
        result = _cli(["serve", "--db", str(db), "--port", str(port)])
    finally:
        busy.close()
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "already in use" in lines[0] and str(port) in lines[0]
