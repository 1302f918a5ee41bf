"""``eventcoder serve``: the web pages and JSON API over the event store (uvicorn)."""
from __future__ import annotations

import errno
import ipaddress
import re
import socket
from pathlib import Path
from typing import Annotated, Optional

import typer
from ..cli_errors import err, fail

TOKEN_ENV = "EVENTCODER_TOKEN"


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def listen_socket(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything else so that a port in use is said first."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(2048)
        sock.set_inheritable(True)
    except OSError:
        sock.close()
        raise
    return sock


def _socket_reason(exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return "the port is already in use (stop the other server or choose another --port)"
    if exc.errno == errno.EACCES:
        return "permission denied (ports below 1024 need privileges; choose another --port)"
    if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
        return "no such address on this machine"
    return exc.strerror or str(exc)


def _has_reviewers(db: Optional[str]) -> bool:
    """Whether the store already has reviewers with tokens (then writes need a token anyway)."""
    from ..store.database import connect, default_url, is_postgres

    url = db or default_url()
    if not is_postgres(url) and not Path(url.removeprefix("sqlite:///")).exists():
        return False
    try:
        from ..store.reviewers import has_reviewers

        with connect(url) as database:
            return has_reviewers(database)
    except Exception:  # the real error is reported when the app opens the store
        return False


def check_options(host: str, port: int, token: Optional[str], read_only: bool, tiles: Optional[str],
                  reviewers: bool = False) -> None:
    """Raise ValueError with a one-line message for options the server must not start with.

    ``reviewers``: the store has reviewers with their own tokens, so writes are authenticated even
    without ``--token``."""
    if not 1 <= port <= 65535:
        raise ValueError(f"--port must be between 1 and 65535, not {port}")
    if token is not None and (len(token) < 8 or not token.isprintable() or " " in token):
        raise ValueError("the token must be at least 8 printable characters without spaces")
    if not token and not reviewers and not read_only and not is_loopback(host):
        raise ValueError(f"refusing to accept corrections on {host} without a token: "
                         f"add reviewers (`eventcoder reviewers add NAME`), set --token or ${TOKEN_ENV}, or add --read-only (or serve on 127.0.0.1)")
    if tiles is not None and not (re.match(r"^https?://[^\s\"'<>]+$", tiles) and "{z}" in tiles and "{x}" in tiles
                                  and "{y}" in tiles):
        raise ValueError("--tiles must be an http(s) URL template with {z}, {x} and {y}, "
                         "e.g. http://localhost:8080/tiles/{z}/{x}/{y}.png")


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to ``app``."""

    @app.command()
    def serve(
        db: Annotated[Optional[str], typer.Option("--db", help="SQLite file or postgresql:// URL (default: $EVENTCODER_DB, else ./eventcoder.db).")] = None,
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
        token: Annotated[Optional[str], typer.Option(help=f"Bearer token that corrections need (default: ${TOKEN_ENV}).", envvar=TOKEN_ENV, show_envvar=False)] = None,
        read_only: Annotated[bool, typer.Option("--read-only", help="Accept no corrections.")] = False,
        tiles: Annotated[Optional[str], typer.Option(help="XYZ tile URL template drawn under the bundled country outlines, e.g. http://localhost:8080/{z}/{x}/{y}.png.")] = None,
        tiles_attribution: Annotated[str, typer.Option(help="Credit line for --tiles.")] = "",
    ) -> None:
        """Serve the map, timeline, table, incident pages with evidence, the review forms and the JSON API (/docs)."""
        import sqlite3

        from ..store.database import StoreError, default_url, is_postgres

        try:
            check_options(host, port, token, read_only, tiles, reviewers=_has_reviewers(db))
        except ValueError as exc:
            raise fail(str(exc))
        url = db or default_url()
        if not is_postgres(url) and not Path(url.removeprefix("sqlite:///")).exists():
            raise fail(f"no database at {url} (run `eventcoder ingest` first)")
        try:
            sock = listen_socket(host, port)
        except OSError as exc:
            raise fail(f"cannot listen on {host}:{port}: {_socket_reason(exc)}")
        from .app import create_app

        try:
            web = create_app(url, token=token or None, allow_writes=not read_only, tiles_url=tiles,
                             tiles_attribution=tiles_attribution)
        except StoreError as exc:
            sock.close()
            raise fail(str(exc))
        except sqlite3.DatabaseError as exc:
            sock.close()
            raise fail(f"cannot use database {url}: {exc}")
        import uvicorn

        mode = "read-only" if read_only else ("corrections need a token" if token or _has_reviewers(url) else "corrections open on loopback")
        err.print(f"serving {url} at http://{host}:{port}/ ({mode}); API docs at /docs", soft_wrap=True)
        config = uvicorn.Config(web, host=host, port=port, log_level="warning", server_header=False)
        uvicorn.Server(config).run(sockets=[sock])
